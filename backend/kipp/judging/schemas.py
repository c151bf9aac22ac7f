"""Request and response shapes of judging: rubric, panel, conflicts, assignments, scoresheets."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictInt, StringConstraints

from kipp.schemas import Schema

CRITERION_KEY_PATTERN = r"^[a-z][a-z0-9_]{0,49}$"

# A reason someone must give: surrounding blanks are dropped, and then it may not be empty.
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class CriterionIn(BaseModel):
    key: str = Field(pattern=CRITERION_KEY_PATTERN, examples=["kebaruan"])
    name: str = Field(min_length=1, max_length=200, examples=["Kebaruan"])
    description: str = Field(default="", max_length=2000)
    weight: float = Field(gt=0, le=100, examples=[25])
    min_score: StrictInt = Field(default=1, ge=0, le=1000)
    max_score: StrictInt = Field(default=10, ge=1, le=1000)


class CriterionOut(Schema):
    key: str
    name: str
    description: str
    weight: float
    min_score: int
    max_score: int


class RubricOut(BaseModel):
    items: list[CriterionOut]
    total: int
    locked: bool = Field(description="true once any scoresheet exists: the rubric is frozen")


class PanelIn(BaseModel):
    user_ids: list[int] = Field(max_length=500)


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
    innovation_id: int
    judge_id: int
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


class ScoresheetIn(BaseModel):
    scores: dict[str, StrictInt] = Field(default_factory=dict, examples=[{"kebaruan": 8}])
    comment: str = Field(default="", max_length=5000)


class ReopenIn(BaseModel):
    reason: Reason


class ScoresheetOut(Schema):
    id: int
    competition_id: int
    innovation_id: int
    judge_id: int
    judge_name: str
    status: Literal["draft", "final"]
    scores: dict[str, int]
    comment: str
    weighted_total: float | None = Field(
        description="the judge's weighted 0-100 total, once every criterion is scored"
    )
    submitted_at: datetime | None
    updated_at: datetime
    version: int


class ScoresheetPage(BaseModel):
    items: list[ScoresheetOut]
    total: int
