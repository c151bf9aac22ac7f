from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from kipp.schemas import Schema


class ChangeOut(BaseModel):
    field: str = Field(description="The stored field's path, e.g. `windows.presentation.ends_at`")
    label: str = Field(description="The field as people call it, in the answer's language")
    before: str | None = Field(description="As text; times stay ISO 8601 (show them local)")
    after: str | None


class AuditEventOut(Schema):
    """One event as people read it (in the request's language), and its place in the chain."""

    id: int
    created_at: datetime
    actor_id: int | None
    actor_email: str | None
    actor_name: str | None = Field(description="null: the system or a member of the public")
    competition_id: int | None
    competition_label: str | None
    action: str
    entity_type: str
    entity_id: int | None
    object_label: str
    sentence: str = Field(
        examples=["Tim Pelaksana memindahkan KIPP Kabupaten Luwu Utara 2021 ke tahap Penilaian"]
    )
    changes: list[ChangeOut] = Field(description="Only the fields that changed")
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
