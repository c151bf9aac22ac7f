"""The worker loop: delivers due mail, runs the periodic jobs on their interval (a failing one
is logged and the others go on), and runs in a thread only of the served app."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from kipp.app import create_app
from kipp.config import get_settings
from kipp.i18n import Msg
from kipp.models import OutboxMessage, OutboxStatus
from kipp.notify import service as notify_service
from kipp.notify.letters import Letter, Recipient
from kipp.panel import reminders
from kipp.worker import JOBS, Job, Worker
from tests.mail import mail_server


def _factory(connection: Connection) -> Callable[[], Session]:
    def make() -> Session:
        return Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )

    return make


def _worker_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "kipp-worker"]


def test_a_round_delivers_and_runs_due_jobs(
    session: Session, connection: Connection, caplog: pytest.LogCaptureFixture
) -> None:
    notify_service.send(
        session,
        letter=Letter(kind="test", subject=Msg(id="Halo", en="Hello"), body=Msg(id="-", en="-")),
        recipients=[Recipient(email="warga@example.org")],
    )
    session.commit()
    runs: list[datetime] = []

    def broken(_session: Session, _now: datetime) -> None:
        raise RuntimeError("boom")

    jobs = (
        Job("broken", 0.0, broken),
        Job("counted", 3600.0, lambda _session, now: runs.append(now)),
    )
    with mail_server() as server:
        settings = get_settings().model_copy(update={"smtp_url": server.url})
        worker = Worker(settings, session_factory=_factory(connection), jobs=jobs)
        first = worker.run_once()
        worker.run_once()  # "counted" is not due again for an hour
        assert first.sent == 1
        assert len(server.wait_for(1)) == 1
    assert len(runs) == 1
    assert "periodic job broken failed" in caplog.text
    session.expire_all()
    assert session.scalar(select(OutboxMessage.status)) == OutboxStatus.SENT


def test_stop_ends_the_loop() -> None:
    settings = get_settings().model_copy(update={"smtp_url": "", "worker_poll_seconds": 0.05})
    worker = Worker(settings, jobs=())
    thread = threading.Thread(target=worker.run)
    thread.start()
    worker.stop.set()
    thread.join(5)
    assert not thread.is_alive()


def test_only_the_served_app_starts_a_worker(migrated: str) -> None:
    with TestClient(create_app(get_settings())):
        assert _worker_threads() == []
    served = create_app(get_settings(), background_worker=True)
    with TestClient(served):
        assert len(_worker_threads()) == 1
    assert _worker_threads() == []
    off = get_settings().model_copy(update={"run_worker": False})
    with TestClient(create_app(off, background_worker=True)):
        assert _worker_threads() == []


def test_an_unreadable_smtp_url_is_said_once_and_mail_waits(
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = get_settings().model_copy(update={"smtp_url": "http://user:secret@mail.example"})
    worker = Worker(settings, jobs=())
    worker.announce()
    assert worker.run_once().attempted == 0
    assert "KIPP_SMTP_URL must start with smtp://" in caplog.text
    assert "secret" not in caplog.text


def test_the_scoring_reminders_run_in_the_worker() -> None:
    assert [job.run for job in JOBS if job.name == "scoring_reminders"] == [
        reminders.send_due_reminders
    ]
