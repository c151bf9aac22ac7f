"""Response shapes of the ranking (also frozen into the results manifest)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

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
