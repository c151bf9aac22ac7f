from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from kipp.models import OutboxStatus
from kipp.schemas import Schema


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str | None
    created_at: datetime
    read_at: datetime | None


class InboxOut(BaseModel):
    items: list[NotificationOut]
    total: int
    unread: int


class MarkedReadOut(BaseModel):
    marked: int
    unread: int


class OutboxMessageOut(Schema):
    """An e-mail in the outbox, without its body (it may carry a single-use link)."""

    id: int
    kind: str
    to_address: str
    to_name: str
    subject: str
    message_id: str
    status: OutboxStatus
    attempts: int
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None


class OutboxOut(BaseModel):
    items: list[OutboxMessageOut]
    total: int
    counts: dict[str, int] = Field(description="E-mails in each status, whatever the filter")
