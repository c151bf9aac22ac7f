"""Request and response shapes of scoresheets."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, StrictInt

from kipp.panel.schemas import Reason
from kipp.schemas import Schema


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
