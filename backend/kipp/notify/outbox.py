"""The outbox as the organising team sees it: what waits, what was sent, what was given up —
and sending a message again. The platform admin sees every e-mail; an organiser those to its
organisation's users (another's are a 404). The body is never shown: an invitation or a password reset carries a
single-use link that only its recipient may see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from kipp import clock
from kipp.audit import service as audit_service
from kipp.errors import Conflict, NotFound
from kipp.i18n import Msg
from kipp.models import OutboxMessage, OutboxStatus, User
from kipp.policy import is_platform_admin

NO_SUCH_MESSAGE = Msg(id="E-mail tidak ditemukan di outbox.", en="No such e-mail in the outbox.")
NOT_RETRYABLE = Msg(
    id="E-mail berstatus {status} tidak dapat dikirim ulang; hanya yang pending atau dead.",
    en="An e-mail that is {status} cannot be retried; only pending or dead ones can.",
)
RETRYABLE = frozenset({OutboxStatus.PENDING, OutboxStatus.DEAD})


@dataclass(frozen=True)
class OutboxPage:
    items: Sequence[OutboxMessage]
    total: int
    counts: dict[str, int]  # every status, whatever the filter


def scope(actor: User | None) -> ColumnElement[bool]:
    """The e-mails ``actor`` sees: every one (the platform admin, the system), else those to the
    users of their organisation."""
    if actor is None or is_platform_admin(actor):
        return true()
    return OutboxMessage.user_id.in_(
        select(User.id).where(User.organisation_id == actor.organisation_id)
    )


def status_counts(*, session: Session, actor: User | None = None) -> dict[str, int]:
    """How many e-mails are in each status (every status, zero included)."""
    counts = {status.value: 0 for status in OutboxStatus}
    for status, count in session.execute(
        select(OutboxMessage.status, func.count())
        .where(scope(actor))
        .group_by(OutboxMessage.status)
    ):
        counts[str(status)] = int(count)
    return counts


def list_messages(
    *,
    session: Session,
    status: OutboxStatus | None,
    limit: int,
    offset: int,
    actor: User | None = None,
) -> OutboxPage:
    """The outbox as ``actor`` sees it, newest first, optionally one status only."""
    query = select(OutboxMessage).where(scope(actor))
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = session.scalars(
        query.order_by(OutboxMessage.id.desc()).limit(limit).offset(offset)
    ).all()
    return OutboxPage(items=items, total=total, counts=status_counts(session=session, actor=actor))


def retry(*, session: Session, actor: User, message_id: int) -> OutboxMessage:
    """Send a dead (or waiting) e-mail again now, with a fresh count of attempts; audited.
    The Message-ID stays: it is the same message."""
    message = session.scalar(
        select(OutboxMessage).where(OutboxMessage.id == message_id, scope(actor)).with_for_update()
    )
    if message is None:
        raise NotFound(NO_SUCH_MESSAGE)
    if message.status not in RETRYABLE:
        raise Conflict(NOT_RETRYABLE.format(status=message.status))
    before = {"status": message.status, "attempts": message.attempts}
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = clock.now()
    message.claimed_until = None
    audit_service.record(
        session=session,
        actor=actor,
        action="outbox.retry",
        entity_type="outbox_message",
        entity_id=message.id,
        before=before,
        after={"status": message.status, "attempts": 0},
    )
    session.flush()
    return message
