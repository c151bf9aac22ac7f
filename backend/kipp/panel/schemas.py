"""Request and response shapes of the panel: members, progress, conflicts, assignments."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from kipp.schemas import Id, Schema

# A reason someone must give: surrounding blanks are dropped, and then it may not be empty.
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class PanelIn(BaseModel):
    user_ids: list[Id] = Field(max_length=500)


class PanelJudgeOut(Schema):
    id: int
    full_name: str
    email: str
    agency_id: int | None
    agency_code: str | None


class PanelOut(BaseModel):
    user_ids: list[int]
    items: list[PanelJudgeOut]
    total: int


class ConflictDeclarationIn(BaseModel):
    reason: Reason


class ConflictRecordIn(BaseModel):
    innovation_id: Id
    judge_id: Id
    reason: Reason


class ConflictOut(Schema):
    id: int | None = Field(description="null for automatic (own agency) conflicts")
    competition_id: int
    innovation_id: int
    innovation_title: str
    agency_code: str
    judge_id: int
    judge_name: str
    source: Literal["agency", "declared", "admin"]
    reason: str
    created_at: datetime | None


class ConflictPage(BaseModel):
    items: list[ConflictOut]
    total: int


AssignmentStatus = Literal["to_do", "draft", "final"]


class AssignmentOut(Schema):
    competition_id: int
    competition_name: str
    innovation_id: int
    title: str
    agency_code: str
    group: str
    category: str
    status: AssignmentStatus
    updated_at: datetime | None
    slot_starts_at: datetime | None = Field(
        default=None, description="The published presentation slot (the list follows its order)"
    )
    slot_place: str | None = None


class AssignmentProgress(BaseModel):
    final: int
    draft: int
    to_do: int
    total: int


class JudgeProgressOut(BaseModel):
    judge_id: int
    full_name: str
    agency_code: str | None
    final: int
    draft: int
    to_do: int
    total: int


class JudgingProgressOut(BaseModel):
    judges: list[JudgeProgressOut]
    progress: AssignmentProgress


class AssignmentPage(BaseModel):
    items: list[AssignmentOut]
    total: int
    progress: AssignmentProgress
