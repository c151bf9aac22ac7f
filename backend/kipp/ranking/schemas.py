"""Response shapes of the ranking (also frozen into the results manifest)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field
from typing_extensions import TypedDict

Method = Literal["mean", "trimmed_mean", "median", "zscore", "judge_effects"]


class Agreement(BaseModel):
    kendalls_w: float | None = Field(
        description="Kendall's W (tie-corrected) over the innovations every panel judge "
        "scored; null when fewer than 3 such innovations or 2 judges"
    )
    kendalls_w_innovations: int = Field(description="How many innovations Kendall's W used")
    krippendorffs_alpha: float | None = Field(
        description="Krippendorff's alpha (interval) over every final sheet: agreement that "
        "incomplete panels also have; null without two sheets on one innovation"
    )


class Uncertainty(BaseModel):
    draws: int = Field(description="How many re-draws of the panel's scores gave p_top")
    p_exact_top: float | None = Field(
        description="Share of the draws whose TOP N is exactly the computed TOP N"
    )
    expected_top_overlap: float | None = Field(
        description="Sum of p_top over the computed TOP N: how many of its names the draws "
        "expect to be right"
    )


class JudgeStatsOut(BaseModel):
    judge_id: int
    full_name: str
    scored: int
    mean_total: float | None
    sd_total: float | None
    offset: float | None = Field(description="+ lenient, - harsh, against the same innovations")
    centre: float | None = Field(
        description="Judge-effects model: points above the panel's average judge (null: "
        "scored nothing)"
    )
    spread: float | None = Field(description="1 = the panel's average use of the scale")
    noise: float | None = Field(description="How far their totals stray from the model, points")


# The entries and their moves are TypedDicts, not models: a national round's response holds
# 3,000 entries, and validating them into plain dicts takes 40 % less than building a model
# per entry (the same JSON and the same schema).
class CalibrationMoveOut(TypedDict):
    judge_id: int
    full_name: str
    points: Annotated[
        float,
        Field(
            description="How far this judge's calibration moved the score from the raw mean "
            "of the judges' totals, points on the 0-100 scale"
        ),
    ]


AGENCY_CODE = Field(
    description="The agency's code; for an agency of another organisation than the "
    "competition's (a proposal promoted from the level below), followed by ' · ' and that "
    "organisation's region, e.g. 'DINKES · Luwu Utara' (agency codes repeat across "
    "organisations)"
)


class RankingEntryOut(TypedDict):
    rank: int
    innovation_id: int
    title: str
    agency_code: Annotated[str, AGENCY_CODE]
    score: float
    raw_score: float
    calibrated_score: float
    adjusted_score: Annotated[
        float, Field(description="The judge_effects score, whatever the method")
    ]
    judge_count: int
    criteria: dict[str, float]
    judge_totals: list[float]
    tie: bool
    in_top: bool
    p_top: float
    calibration_moves: Annotated[
        list[CalibrationMoveOut],
        Field(
            description="Near the cut-off under a calibrated method (judge_effects, zscore): "
            "the judges whose calibration moved the score most, largest first (at most 5); "
            "empty elsewhere"
        ),
    ]


class UnrankedOut(BaseModel):
    innovation_id: int
    title: str
    agency_code: Annotated[str, AGENCY_CODE]
    judge_count: int


class RankingOut(BaseModel):
    method: Method
    top_n: int
    min_judges: int
    tie_at_cutoff: bool
    seed: int
    bootstrap_samples: int
    explanation: str = Field(
        description="One plain paragraph: how this method turns the judges' scores into the "
        "ranking and what p(TOP N) means (Indonesian, English by Accept-Language)"
    )
    agreement: Agreement
    uncertainty: Uncertainty
    judges: list[JudgeStatsOut]
    entries: list[RankingEntryOut]
    unranked: list[UnrankedOut]
