"""The background worker: delivers due e-mail every few seconds and runs the periodic jobs.

`kipp worker` runs it in the foreground (SIGTERM or Ctrl-C stop it after the e-mail in hand);
`kipp serve` runs it in a thread of the server process unless ``KIPP_RUN_WORKER=false``.
Several at once are safe: on PostgreSQL each claims other rows (``SKIP LOCKED``), on SQLite
claims are serial.

A periodic job is a ``Job(name, interval_seconds, run)`` in ``JOBS``; ``run(session, now)``
only flushes, the worker commits (or rolls back and logs a failure, then carries on).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from sqlalchemy.orm import Session

from kipp import clock
from kipp.afterlife import reminders as afterlife_reminders
from kipp.config import Settings
from kipp.db import get_sessionmaker
from kipp.notify import delivery
from kipp.notify.smtp import SmtpUrlError
from kipp.panel import reminders

logger = logging.getLogger("kipp.worker")


class Job(NamedTuple):
    name: str
    interval_seconds: float
    run: Callable[[Session, datetime], object]


# Periodic jobs besides mail delivery.
JOBS: tuple[Job, ...] = (
    # Judges with unfinished sheets, a configurable time before scoring closes; each judge
    # once per window (a unique key), so two workers never remind twice.
    Job("scoring_reminders", 300, reminders.send_due_reminders),
    # Winners whose yearly sustainability report is due (KIPP_SUSTAINABILITY_DUE_MONTH) and
    # missing; each innovation once per year (a unique key).
    Job("sustainability_reminders", 3600, afterlife_reminders.send_due_reminders),
)


class Worker:
    """Delivers due mail every ``poll`` seconds and runs each job when its interval is up,
    until ``stop`` is set."""

    def __init__(
        self,
        settings: Settings,
        *,
        session_factory: delivery.SessionFactory | None = None,
        jobs: tuple[Job, ...] | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        self.settings = settings
        self.session_factory = session_factory or get_sessionmaker()
        self.jobs = JOBS if jobs is None else jobs
        self.stop = stop or threading.Event()
        self._next_run = {job.name: 0.0 for job in self.jobs}
        self.deliver = True

    def announce(self) -> None:
        """Say once where mail goes; an unreadable KIPP_SMTP_URL stops delivery (e-mails wait)
        rather than failing every round."""
        try:
            config = delivery.smtp_config(self.settings)
        except SmtpUrlError as exc:
            self.deliver = False
            logger.error("%s; e-mails wait in the outbox", exc)
            return
        if config is None:
            logger.warning(delivery.NOT_CONFIGURED)
        else:
            logger.info("delivering e-mail through %s", config.describe())

    def run_once(self) -> delivery.DeliveryReport:
        """One round: deliver what is due (again while full batches come back), then the jobs
        whose time has come."""
        report = delivery.DeliveryReport()
        while self.deliver and not self.stop.is_set():
            try:
                batch = delivery.deliver_due(
                    session_factory=self.session_factory, settings=self.settings
                )
            except Exception:  # the database is away, say: log it, try again next round
                logger.exception("e-mail delivery failed")
                break
            report.sent += batch.sent
            report.retried += batch.retried
            report.dead += batch.dead
            if batch.attempted < delivery.BATCH_SIZE:
                break
        for job in self.jobs:
            if self.stop.is_set() or time.monotonic() < self._next_run[job.name]:
                continue
            self._next_run[job.name] = time.monotonic() + job.interval_seconds
            self._run_job(job)
        return report

    def _run_job(self, job: Job) -> None:
        with self.session_factory() as session:
            try:
                job.run(session, clock.now())
                session.commit()
            except Exception:
                session.rollback()
                logger.exception("periodic job %s failed", job.name)

    def run(self) -> None:
        """Run until ``stop`` is set."""
        self.announce()
        while not self.stop.is_set():
            self.run_once()
            self.stop.wait(self.settings.worker_poll_seconds)
        logger.info("worker stopped")


class BackgroundWorker:
    """The worker in a daemon thread of the server process (``kipp serve``)."""

    def __init__(self, settings: Settings) -> None:
        self.worker = Worker(settings)
        self.thread = threading.Thread(target=self.worker.run, name="kipp-worker", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self, timeout: float = 10) -> None:
        self.worker.stop.set()
        self.thread.join(timeout)
