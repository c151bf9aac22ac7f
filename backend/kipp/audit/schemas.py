from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from kipp.schemas import Schema


class AuditEventOut(Schema):
    id: int
    created_at: datetime
    actor_id: int | None
    actor_email: str | None
    competition_id: int | None
    action: str
    entity_type: str
    entity_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None
    prev_hash: str
    hash: str


class ChainBreakOut(BaseModel):
    event_id: int
    problem: str


class AuditVerification(BaseModel):
    ok: bool
    checked: int
    breaks: list[ChainBreakOut]
