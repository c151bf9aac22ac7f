"""The in-app inbox: a user's own notifications, newest first, and marking them read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kipp import clock
from kipp.errors import NotFound
from kipp.i18n import Msg
from kipp.models import Notification, User

NOT_YOURS = Msg(id="Notifikasi tidak ditemukan.", en="No such notification.")


@dataclass(frozen=True)
class InboxPage:
    items: Sequence[Notification]
    total: int  # matching the filter
    unread: int  # the user's unread notifications, whatever the filter


def unread_count(*, session: Session, user: User) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def list_notifications(
    *, session: Session, user: User, unread_only: bool, limit: int, offset: int
) -> InboxPage:
    """The user's notifications, newest first (only the unread ones if asked)."""
    query = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = session.scalars(
        query.order_by(Notification.id.desc()).limit(limit).offset(offset)
    ).all()
    return InboxPage(items=items, total=total, unread=unread_count(session=session, user=user))


def mark_read(*, session: Session, user: User, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (once: the first time stays). Another
    user's notification is not found."""
    notification = session.scalar(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user.id
        )
    )
    if notification is None:
        raise NotFound(NOT_YOURS)
    if notification.read_at is None:
        notification.read_at = clock.now()
        session.flush()
    return notification


def mark_all_read(*, session: Session, user: User) -> int:
    """Mark every unread notification of the user read; how many were."""
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)
