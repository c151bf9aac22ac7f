from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

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


class ChainHeadOut(Schema):
    """The newest event; write it down outside KIPP (e.g. in the minutes of the panel session)
    and give its hash back as ``anchor`` to prove no event up to it was removed since."""

    id: int | None = Field(description="null while the log is empty")
    hash: str
    count: int


class AnchorCheckOut(Schema):
    hash: str
    found: bool = Field(description="false when the anchored event is no longer in the chain")
    event_id: int | None
    position: int | None = Field(description="1-based position in the chain (0: the empty log)")


class AuditVerification(BaseModel):
    ok: bool
    checked: int
    breaks: list[ChainBreakOut]
    head: ChainHeadOut
    anchor: AnchorCheckOut | None = None
