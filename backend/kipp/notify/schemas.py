from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

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
