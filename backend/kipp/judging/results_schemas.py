"""Request and response shapes of the ranking, the nomination and the results."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, EmailStr, Field, StringConstraints

from kipp.schemas import Schema

Method = Literal["mean", "trimmed_mean", "median", "zscore"]


class Agreement(BaseModel):
    kendalls_w: float | None = Field(
        description="Kendall's W over the innovations every panel judge scored; null when "
        "fewer than 3 such innovations or 2 judges"
    )


class JudgeStatsOut(BaseModel):
    judge_id: int
    full_name: str
    scored: int
    mean_total: float | None
    sd_total: float | None
    offset: float | None = Field(description="+ lenient, - harsh, against the same innovations")


class RankingEntryOut(BaseModel):
    rank: int
    innovation_id: int
    title: str
    agency_code: str
    score: float
    raw_score: float
    calibrated_score: float
    judge_count: int
    criteria: dict[str, float]
    judge_totals: list[float]
    tie: bool
    in_top: bool
    p_top: float


class UnrankedOut(BaseModel):
    innovation_id: int
    title: str
    agency_code: str
    judge_count: int


class RankingOut(BaseModel):
    method: Method
    top_n: int
    min_judges: int
    tie_at_cutoff: bool
    seed: int
    bootstrap_samples: int
    agreement: Agreement
    judges: list[JudgeStatsOut]
    entries: list[RankingEntryOut]
    unranked: list[UnrankedOut]


class NominationIn(BaseModel):
    innovation_ids: list[int] = Field(
        min_length=1, max_length=1000, description="The TOP N, in order (exactly top_n)"
    )
    honourable_mention_ids: list[int] = Field(default_factory=list, max_length=1000)
    method: Method = Field(description="The ranking the decision is compared with")
    justification: str = Field(
        default="",
        max_length=10_000,
        description="Required where the decision departs from the computed ranking or a tie "
        "straddles the cut-off",
    )


class DecisionLine(BaseModel):
    position: int
    innovation_id: int
    title: str
    agency_code: str
    computed_rank: int
    computed_position: int


class DecisionTopLine(DecisionLine):
    change: Literal["same", "up", "down", "added"]


class DroppedLine(BaseModel):
    innovation_id: int
    title: str
    agency_code: str
    computed_rank: int
    computed_position: int


class NominationPreviewOut(BaseModel):
    method: Method
    top_n: int
    tie_at_cutoff: bool
    departs_from_ranking: bool
    justification_required: bool
    computed_top: list[int]
    top: list[DecisionTopLine]
    honourable_mentions: list[DecisionLine]
    moved_up: list[int]
    moved_down: list[int]
    added: list[int]
    dropped: list[DroppedLine]


class NominationOut(Schema):
    id: int
    competition_id: int
    innovation_ids: list[int]
    honourable_mention_ids: list[int]
    method: Method
    justification: str
    departs_from_ranking: bool
    tie_at_cutoff: bool
    manifest_sha256: str
    decided_by_id: int | None
    decided_at: datetime


class ManifestChecks(BaseModel):
    sha256_matches: bool
    ranking_matches: bool


class ManifestOut(BaseModel):
    sha256: str
    verified: bool = Field(
        description="The hash matches and recomputing the ranking from the manifest's own "
        "scores gives the manifest's ranking"
    )
    checks: ManifestChecks
    manifest: dict[str, Any]


class ResultLine(BaseModel):
    rank: int
    innovation_id: int
    title: str
    agency_code: str


class ObjectionPeriodOut(BaseModel):
    starts_at: datetime
    ends_at: datetime
    open: bool


class ResultsOut(BaseModel):
    competition_id: int
    final: bool
    announced_at: datetime
    finalised_at: datetime | None
    objection_period: ObjectionPeriodOut
    top: list[ResultLine]
    honourable_mentions: list[ResultLine]
    manifest_sha256: str = Field(
        description="SHA-256 of the frozen results manifest: the panel's commitment to every "
        "score behind this result (the manifest itself is for the admin and panel judges)."
    )


class ObjectionIn(BaseModel):
    innovation_id: int
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    email: EmailStr
    text: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=20, max_length=5000)
    ] = Field(description="20 to 5000 characters")


class ObjectionReceipt(Schema):
    id: int
    innovation_id: int
    name: str
    created_at: datetime


class ObjectionOut(Schema):
    id: int
    innovation_id: int
    name: str
    email: str
    text: str
    client_address: str
    created_at: datetime
