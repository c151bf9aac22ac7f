"""Delivering the outbox: claim due e-mails, send them through SMTP, record each outcome.

At least once, never lost: a row is claimed (``sending`` with a lease, committed), sent, and
only marked ``sent`` after the SMTP server accepted it. A worker that dies in between leaves
the row ``sending``; when its lease runs out another claim takes it again and the e-mail goes
out a second time with the same Message-ID, so it is recognisable as the same message.

Several workers: on PostgreSQL each claims with ``FOR UPDATE SKIP LOCKED`` and they get
disjoint rows; on SQLite a claim is one write transaction (``BEGIN IMMEDIATE``), so claims are
serial.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from kipp import clock
from kipp.config import Settings
from kipp.db import WRITE_INTENT
from kipp.models import OutboxMessage, OutboxStatus
from kipp.notify import smtp as smtp_mail

logger = logging.getLogger("kipp.mail")

LEASE = timedelta(minutes=2)  # the default of KIPP_MAIL_LEASE_SECONDS
BATCH_SIZE = 20
NOT_CONFIGURED = "mail is not configured; e-mails wait in the outbox"

SessionFactory = Callable[[], Session]


def retry_delay(*, attempts: int, base_seconds: int) -> timedelta:
    """The wait after the ``attempts``-th failure: base, 2×base, 4×base, …"""
    return timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0))


def due_condition(now: datetime) -> object:
    """Rows to claim: pending and due, or ``sending`` whose claimer's lease ran out (a crash)."""
    return or_(
        and_(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= now,
        ),
        and_(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_until < now,
        ),
    )


def any_due(session: Session, *, now: datetime) -> bool:
    """Whether any e-mail waits to be claimed."""
    return (
        session.scalar(
            select(OutboxMessage.id).where(due_condition(now)).limit(1)  # type: ignore[arg-type]
        )
        is not None
    )


def claim(
    session: Session, *, now: datetime, limit: int = BATCH_SIZE, lease: timedelta = LEASE
) -> list[smtp_mail.Outgoing]:
    """Take up to ``limit`` due rows for this worker (``sending`` until ``now + lease``) and
    commit, so the claim holds whatever happens next. Oldest due first."""
    claimed = claim_rows(session, now=now, limit=limit, lease=lease)
    session.commit()
    return claimed


def claim_rows(
    session: Session, *, now: datetime, limit: int, lease: timedelta
) -> list[smtp_mail.Outgoing]:
    """The claim, uncommitted: the rows stay locked (PostgreSQL) until the caller commits, and
    a concurrent claim skips them."""
    if session.get_bind().dialect.name == "sqlite":
        # One write transaction from its first statement: claims by two workers are serial.
        session.connection(execution_options={WRITE_INTENT: True})
    rows = session.scalars(
        select(OutboxMessage)
        .where(due_condition(now))  # type: ignore[arg-type]
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for row in rows:
        row.status = OutboxStatus.SENDING
        row.claimed_until = now + lease
    session.flush()
    return [
        smtp_mail.Outgoing(
            message_id=row.message_id,
            to_address=row.to_address,
            to_name=row.to_name,
            subject=row.subject,
            body=row.body,
            attachments=list(row.attachments or []),
        )
        for row in rows
    ]


def mark_sent(session: Session, *, message_id: str, now: datetime) -> None:
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.message_id == message_id,
            OutboxMessage.status == OutboxStatus.SENDING,
        )
        .values(
            status=OutboxStatus.SENT,
            sent_at=now,
            claimed_until=None,
            last_error=None,
            attempts=OutboxMessage.attempts + 1,
        )
    )
    session.commit()


def mark_failed(
    session: Session,
    *,
    message_id: str,
    error: str,
    permanent: bool,
    now: datetime,
    settings: Settings,
) -> str:
    """Count a failed attempt: back to ``pending`` after the backoff, or ``dead`` after the
    last attempt (at once when ``permanent``). Returns the new status."""
    row = session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.message_id == message_id,
            OutboxMessage.status == OutboxStatus.SENDING,
        )
    )
    if row is None:  # another worker took it over after our lease ran out, and finished it
        session.rollback()
        return "gone"
    row.attempts += 1
    row.last_error = error[:2000]
    row.claimed_until = None
    if permanent or row.attempts >= settings.mail_max_attempts:
        row.status = OutboxStatus.DEAD
    else:
        row.status = OutboxStatus.PENDING
        row.next_attempt_at = now + retry_delay(
            attempts=row.attempts, base_seconds=settings.mail_retry_seconds
        )
    status = str(row.status)
    session.commit()
    return status


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def attempted(self) -> int:
        return self.sent + self.retried + self.dead


def smtp_config(settings: Settings) -> smtp_mail.SmtpConfig | None:
    """The SMTP server of ``KIPP_SMTP_URL``, or None when mail is not configured."""
    if not settings.smtp_url.strip():
        return None
    return smtp_mail.parse_smtp_url(settings.smtp_url, timeout=settings.smtp_timeout_seconds)


def deliver_due(
    *,
    session_factory: SessionFactory,
    settings: Settings,
    now: datetime | None = None,
    limit: int = BATCH_SIZE,
) -> DeliveryReport:
    """Claim the due e-mails and send them over one SMTP connection. Without
    ``KIPP_SMTP_URL`` nothing is claimed: the e-mails stay pending in the outbox."""
    report = DeliveryReport()
    config = smtp_config(settings)
    if config is None:
        return report
    at = now or clock.now()
    lease = timedelta(seconds=settings.mail_lease_seconds)
    with session_factory() as session:
        # A plain read first: an idle poll never takes SQLite's write lock.
        if not any_due(session, now=at):
            return report
        session.rollback()
        batch = claim(session, now=at, limit=limit, lease=lease)
    if not batch:
        return report
    _send_batch(
        batch,
        config=config,
        session_factory=session_factory,
        settings=settings,
        now=now,
        report=report,
    )
    return report


def _send_batch(
    batch: Sequence[smtp_mail.Outgoing],
    *,
    config: smtp_mail.SmtpConfig,
    session_factory: SessionFactory,
    settings: Settings,
    now: datetime | None,
    report: DeliveryReport,
) -> None:
    connection: smtplib.SMTP | None = None
    unreachable: str | None = None  # the server could not be reached: the batch waits
    try:
        for outgoing in batch:
            at = now or clock.now()
            error: BaseException | None = None
            if not smtp_mail.valid_address(outgoing.to_address):
                _record(
                    session_factory,
                    outgoing,
                    at,
                    settings,
                    report,
                    error="not a valid e-mail address",
                    permanent=True,
                )
                continue
            if unreachable is not None:
                _record(
                    session_factory,
                    outgoing,
                    at,
                    settings,
                    report,
                    error=unreachable,
                    permanent=False,
                )
                continue
            if connection is None:
                try:
                    connection = smtp_mail.connect(config)
                except (smtplib.SMTPException, OSError) as exc:
                    unreachable = f"{config.describe()}: {smtp_mail.describe_error(exc)}"
                    _record(
                        session_factory,
                        outgoing,
                        at,
                        settings,
                        report,
                        error=unreachable,
                        permanent=False,
                    )
                    continue
            try:
                email = smtp_mail.build_email(outgoing, mail_from=settings.mail_from, date=at)
                connection.send_message(
                    email,
                    from_addr=smtp_mail.envelope_sender(settings.mail_from),
                    to_addrs=[outgoing.to_address],
                )
            except (smtplib.SMTPException, OSError, ValueError) as exc:
                error = exc
                if isinstance(exc, (smtplib.SMTPServerDisconnected, OSError)):
                    _drop(connection)
                    connection = None
                elif connection is not None:
                    connection = _reset(connection)
            if error is None:
                with session_factory() as session:
                    mark_sent(session, message_id=outgoing.message_id, now=now or clock.now())
                report.sent += 1
            else:
                reason = smtp_mail.permanent_refusal(error)
                _record(
                    session_factory,
                    outgoing,
                    at,
                    settings,
                    report,
                    error=reason or smtp_mail.describe_error(error),
                    permanent=reason is not None,
                )
    finally:
        if connection is not None:
            _quit(connection)


def _record(
    session_factory: SessionFactory,
    outgoing: smtp_mail.Outgoing,
    at: datetime,
    settings: Settings,
    report: DeliveryReport,
    *,
    error: str,
    permanent: bool,
) -> None:
    with session_factory() as session:
        status = mark_failed(
            session,
            message_id=outgoing.message_id,
            error=error,
            permanent=permanent,
            now=at,
            settings=settings,
        )
    report.errors.append(error)
    if status == OutboxStatus.DEAD:
        report.dead += 1
        logger.warning("e-mail %s given up: %s", outgoing.message_id, error)
    else:
        report.retried += 1
        logger.info("e-mail %s not sent, will retry: %s", outgoing.message_id, error)


def _reset(connection: smtplib.SMTP) -> smtplib.SMTP | None:
    """After a refused message the connection may go on (RSET); if not, drop it."""
    try:
        connection.rset()
    except (smtplib.SMTPException, OSError):
        _drop(connection)
        return None
    return connection


def _drop(connection: smtplib.SMTP | None) -> None:
    if connection is not None:
        with contextlib.suppress(OSError):
            connection.close()


def _quit(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()
