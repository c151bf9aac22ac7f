"""A delivery worker killed with SIGKILL mid-delivery loses no e-mail, and any e-mail sent
twice carries the same Message-ID both times (at least once, recognisably).

`kipp worker` runs as a subprocess against a real SMTP server (aiosmtpd on loopback) that
answers each message only after a pause, so the kill lands while a message is received but
not yet acknowledged. After a restart every message arrives, every row is ``sent``.
Also: `kipp worker` stops cleanly on SIGTERM, and says so when mail is not configured.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session

from kipp.i18n import Msg
from kipp.models import OutboxMessage, OutboxStatus
from kipp.notify import service as notify_service
from kipp.notify.letters import Letter, Recipient
from tests.live import KIPP, kipp, kipp_env
from tests.mail import mail_server
from tests.test_scaleout import own_database

pytestmark = pytest.mark.slow

MESSAGES = 30
PAUSE = 0.4  # seconds the server holds each message before answering


@contextlib.contextmanager
def _database(tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    with own_database(tmp_path) as url:
        result = kipp(kipp_env(url, tmp_path / "var"), "db", "upgrade")
        assert result.returncode == 0, result.stderr
        engine = create_engine(url)
        try:
            yield url, engine
        finally:
            engine.dispose()


def _enqueue(engine: Engine, count: int) -> list[str]:
    with Session(engine) as session:
        for n in range(count):
            notify_service.send(
                session,
                letter=Letter(
                    kind="test",
                    subject=Msg(id=f"Pesan {n}", en=f"Message {n}"),
                    body=Msg(id="-", en="-"),
                ),
                recipients=[Recipient(email=f"warga{n}@example.org", name=f"Warga {n}")],
            )
        session.commit()
        return list(session.scalars(select(OutboxMessage.message_id)))


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as output:
        return subprocess.Popen(
            [*KIPP, "worker"], env=env, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def _statuses(engine: Engine) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    with Session(engine) as session:
        for status in session.scalars(select(OutboxMessage.status)):
            counts[status] += 1
    return dict(counts)


def test_sigkill_mid_delivery_loses_nothing_and_duplicates_keep_their_message_id(
    tmp_path: Path,
) -> None:
    with _database(tmp_path) as (url, engine), mail_server(delay=PAUSE) as server:
        ids = _enqueue(engine, MESSAGES)
        env = kipp_env(url, tmp_path / "var") | {
            "KIPP_SMTP_URL": server.url,
            "KIPP_WORKER_POLL_SECONDS": "0.2",
            "KIPP_MAIL_LEASE_SECONDS": "2",
        }
        log = tmp_path / "worker.log"
        worker = _start_worker(env, log)
        try:
            server.wait_for(MESSAGES // 3, timeout=60)
            time.sleep(PAUSE / 4)  # the message is received, its answer not yet given
            in_hand = server.message_ids()[-1]
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
            with Session(engine) as session:
                row = session.scalar(
                    select(OutboxMessage).where(OutboxMessage.message_id == in_hand)
                )
                assert row is not None and row.status == OutboxStatus.SENDING

            worker = _start_worker(env, log)
            deadline = time.monotonic() + 90
            while _statuses(engine) != {OutboxStatus.SENT: MESSAGES}:
                assert time.monotonic() < deadline, (_statuses(engine), log.read_text())
                assert worker.poll() is None, log.read_text()
                time.sleep(0.2)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)

        received = server.message_ids()
        assert set(received) == set(ids)  # nothing lost
        # A message received twice is the same message: one Message-ID per subject.
        ids_by_subject: dict[str, set[str]] = defaultdict(set)
        for message in server.messages:
            ids_by_subject[str(message["Subject"])].add(str(message["Message-ID"]))
        assert len(ids_by_subject) == MESSAGES
        assert all(len(message_ids) == 1 for message_ids in ids_by_subject.values())
        # The kill landed mid-delivery: the message in the server's hands went out again.
        assert received.count(in_hand) == 2


def test_sigterm_stops_the_worker_cleanly_and_unconfigured_mail_waits(tmp_path: Path) -> None:
    with _database(tmp_path) as (url, engine):
        _enqueue(engine, 2)
        env = kipp_env(url, tmp_path / "var") | {"KIPP_WORKER_POLL_SECONDS": "0.2"}
        log = tmp_path / "worker.log"
        worker = _start_worker(env, log)
        deadline = time.monotonic() + 30
        while "mail is not configured" not in log.read_text():
            assert time.monotonic() < deadline and worker.poll() is None, log.read_text()
            time.sleep(0.1)
        time.sleep(0.5)  # a few rounds
        os.killpg(worker.pid, signal.SIGTERM)
        assert worker.wait(timeout=15) == 0, log.read_text()
        assert "e-mails wait in the outbox" in log.read_text()
        assert "worker stopped" in log.read_text()
        assert _statuses(engine) == {OutboxStatus.PENDING: 2}
