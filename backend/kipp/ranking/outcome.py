"""What ``compute_ranking`` returns: the ranking, its entries and the judges (plain data)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CalibrationMove:
    """How far one judge's calibration moved an innovation's score from the raw mean of its
    judges' totals, in points on the 0-100 scale (``calibration.judge_moves``)."""

    judge_id: int
    points: float


@dataclass(frozen=True)
class JudgeStats:
    """How one judge scored. The numbers are None when the judge scored nothing."""

    judge_id: int
    scored: int
    mean_total: float | None
    sd_total: float | None  # population sd of the judge's totals
    offset: float | None  # mean of (their total - that innovation's mean total): + is lenient
    centre: float | None = None  # judge-effects model: points above the average judge
    spread: float | None = None  # judge-effects model: 1 = the panel's average use of the scale
    noise: float | None = None  # judge-effects model: sd of their totals around the model


# Not frozen: a frozen dataclass sets each field through object.__setattr__, which measured
# 20x slower to construct (13 fields x 3,000 entries of a national round: ~1/10 of the
# computation). Nothing changes an entry after ``compute_ranking`` builds it.
@dataclass
class RankingEntry:
    rank: int  # 1-based; entries in an unresolved tie share the rank
    innovation_id: int
    score: float  # by the chosen method
    raw_score: float  # mean of the judge totals
    calibrated_score: float  # mean z of the judge totals
    judge_count: int
    criteria: dict[str, float]  # mean rescaled (0-100) score per key, tie-break order
    judge_totals: list[float]  # ascending
    tie: bool  # tied with another entry on the score and every tie-breaker
    in_top: bool  # position (not rank) within the TOP N
    p_top: float  # share of the draws (panel re-drawn, judges shared) with it in the TOP N
    adjusted_score: float = 0.0  # judge-effects score (0-100 for an average judge), any method
    # near the cut-off, under a calibrated method: the judges whose calibration moved it most
    calibration_moves: list[CalibrationMove] = field(default_factory=list)


@dataclass(frozen=True)
class UnrankedEntry:
    innovation_id: int
    judge_count: int  # fewer final scoresheets than min_judges (possibly 0)


@dataclass(frozen=True)
class Ranking:
    method: str
    top_n: int
    seed: int
    bootstrap_samples: int
    tie_at_cutoff: bool  # an unresolved tie straddles position top_n: the panel must decide
    kendalls_w: float | None  # tie-corrected, over innovations every panel judge scored
    judges: list[JudgeStats]
    entries: list[RankingEntry]
    unranked: list[UnrankedEntry]
    kendalls_w_innovations: int = 0  # how many innovations W could use
    krippendorffs_alpha: float | None = None  # interval metric, over every final sheet
    p_exact_top: float | None = None  # share of draws whose TOP N is exactly the computed one
    expected_top_overlap: float | None = None  # sum of p_top over the computed TOP N
    noise_sd: float | None = None  # judge-effects model: pooled sd of totals around the model
