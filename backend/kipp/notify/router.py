"""The signed-in user's inbox (``/me/notifications``) and the admin's view of the e-mail
outbox (``/outbox``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from kipp.deps import AdminUser, CurrentUser, SessionDep, api_router
from kipp.errors import Conflict, Forbidden, NotFound, Unauthorized, responses_for
from kipp.models import OutboxStatus
from kipp.notify import inbox, outbox
from kipp.notify.schemas import (
    InboxOut,
    MarkedReadOut,
    NotificationOut,
    OutboxMessageOut,
    OutboxOut,
)
from kipp.schemas import IdPath, Paging, paging

router = api_router(
    prefix="/me/notifications", tags=["notifications"], responses=responses_for(Unauthorized)
)


@router.get("", response_model=InboxOut)
def list_my_notifications(
    session: SessionDep,
    user: CurrentUser,
    page: Annotated[Paging, Depends(paging)],
    unread: bool = False,
) -> InboxOut:
    """My notifications, newest first (``unread=true``: only those not read yet); ``unread``
    in the answer is my unread count, for the bell."""
    found = inbox.list_notifications(
        session=session, user=user, unread_only=unread, limit=page.limit, offset=page.offset
    )
    return InboxOut(
        items=[NotificationOut.model_validate(n) for n in found.items],
        total=found.total,
        unread=found.unread,
    )


@router.post("/read-all", response_model=MarkedReadOut)
def mark_all_my_notifications_read(session: SessionDep, user: CurrentUser) -> MarkedReadOut:
    """Mark every notification of mine read."""
    marked = inbox.mark_all_read(session=session, user=user)
    return MarkedReadOut(marked=marked, unread=0)


@router.post(
    "/{notification_id}/read",
    response_model=NotificationOut,
    responses=responses_for(NotFound),
)
def mark_my_notification_read(
    notification_id: IdPath, session: SessionDep, user: CurrentUser
) -> NotificationOut:
    """Mark one of my notifications read (another user's is not found)."""
    return NotificationOut.model_validate(
        inbox.mark_read(session=session, user=user, notification_id=notification_id)
    )


outbox_router = api_router(
    prefix="/outbox", tags=["notifications"], responses=responses_for(Unauthorized, Forbidden)
)


@outbox_router.get("", response_model=OutboxOut)
def list_outbox_messages(
    session: SessionDep,
    admin: AdminUser,
    page: Annotated[Paging, Depends(paging)],
    status: OutboxStatus | None = None,
) -> OutboxOut:
    """The e-mail outbox, newest first (one ``status`` only if asked), with the count in each
    status. Bodies are never shown: some carry a single-use link."""
    found = outbox.list_messages(
        session=session, status=status, limit=page.limit, offset=page.offset, actor=admin
    )
    return OutboxOut(
        items=[OutboxMessageOut.model_validate(m) for m in found.items],
        total=found.total,
        counts=found.counts,
    )


@outbox_router.post(
    "/{message_id}/retry",
    response_model=OutboxMessageOut,
    responses=responses_for(NotFound, Conflict),
)
def retry_outbox_message(
    message_id: IdPath, session: SessionDep, admin: AdminUser
) -> OutboxMessageOut:
    """Send a dead (or waiting) e-mail again now, its attempts counted afresh; audited. A sent
    e-mail or one being sent is a conflict."""
    return OutboxMessageOut.model_validate(
        outbox.retry(session=session, actor=admin, message_id=message_id)
    )
