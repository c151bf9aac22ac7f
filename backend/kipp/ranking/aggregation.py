"""Scores in, ranking out: pure aggregation of final scoresheets (no database).

The spec is DESIGN.md, "Scoring and aggregation"; docs/judging.md explains the choices.
Every number that is compared (judge totals, z values, scores, criteria means) is rounded to
``DECIMALS`` places first, so floating-point noise can neither break a real tie nor invent
one, and the same input in any order gives the identical ``Ranking``.

Each method's innovation score is an L-estimator: a fixed linear combination of the sorted
judge totals (or z values) with integer weights over a denominator. That one idea gives the
point estimate, the exact bootstrap (see ``_bootstrap_scores``) and the tests something in
common.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

METHODS = ("mean", "trimmed_mean", "median", "zscore")
DECIMALS = 9
TRIM_MIN_JUDGES = 5  # trimmed_mean drops the highest and lowest total from this many judges on

# Bootstrap: innovations scored by up to this many judges are resampled through the exact
# distribution of multisets (C(2k-1, k) of them: 1716 for k = 7); more judges fall back to
# drawing k indices per resample. Both give the same distribution; the first is ~5x faster.
_MAX_MULTISET_JUDGES = 8
_TABLE_BYTES = 1 << 19  # rows per multiset-table chunk chosen so a chunk stays in cache
_DRAW_ELEMENTS = 1 << 21  # draws per chunk in the fallback path, bounds memory


@dataclass(frozen=True)
class Criterion:
    """One rubric criterion: ``weight`` in percent (the rubric totals 100), integer scale."""

    key: str
    weight: float
    min_score: int
    max_score: int


@dataclass(frozen=True)
class Scoresheet:
    """A judge's final scores for one innovation, one integer per criterion key."""

    innovation_id: int
    judge_id: int
    scores: Mapping[str, int]


@dataclass(frozen=True)
class JudgeStats:
    """How one judge scored. The three numbers are None when the judge scored nothing."""

    judge_id: int
    scored: int
    mean_total: float | None
    sd_total: float | None  # population sd of the judge's totals
    offset: float | None  # mean of (their total - that innovation's mean total): + is lenient


@dataclass(frozen=True)
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
    p_top: float  # bootstrap probability of being in the TOP N


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
    kendalls_w: float | None
    judges: list[JudgeStats]
    entries: list[RankingEntry]
    unranked: list[UnrankedEntry]


# --------------------------------------------------------------------------- judge totals


@dataclass(frozen=True)
class _Rubric:
    keys: tuple[str, ...]  # sorted by key: the order every computation uses
    weights: FloatArray
    mins: FloatArray
    spans: FloatArray
    tiebreak: tuple[int, ...]  # column indices by descending weight, then key

    @classmethod
    def of(cls, criteria: Sequence[Criterion]) -> _Rubric:
        if not criteria:
            raise ValueError("the rubric has no criteria")
        ordered = sorted(criteria, key=lambda c: c.key)
        keys = tuple(c.key for c in ordered)
        if len(set(keys)) != len(keys):
            raise ValueError("criterion keys must be unique")
        for c in ordered:
            if not c.min_score < c.max_score:
                raise ValueError(f"criterion {c.key!r}: min_score must be below max_score")
            if not (math.isfinite(c.weight) and c.weight >= 0):
                raise ValueError(f"criterion {c.key!r}: weight must be a finite number >= 0")
        weights = np.array([c.weight for c in ordered], dtype=np.float64)
        if weights.sum() <= 0:
            raise ValueError("criterion weights must not all be 0")
        tiebreak = tuple(sorted(range(len(ordered)), key=lambda i: (-ordered[i].weight, keys[i])))
        return cls(
            keys=keys,
            weights=weights,
            mins=np.array([c.min_score for c in ordered], dtype=np.float64),
            spans=np.array([c.max_score - c.min_score for c in ordered], dtype=np.float64),
            tiebreak=tiebreak,
        )

    def rescale(self, raw: IntArray) -> FloatArray:
        """Scores (sheets x criteria, key order) -> 0..100, checking the scale."""
        rescaled: FloatArray = (raw - self.mins) / self.spans * 100.0
        if rescaled.size and (rescaled.min() < 0.0 or rescaled.max() > 100.0):
            raise ValueError("a score lies outside its criterion's scale")
        return rescaled

    def totals(self, rescaled: FloatArray) -> FloatArray:
        weighted: FloatArray = (rescaled * self.weights).sum(axis=1) / self.weights.sum()
        return _quantise(weighted)


def _quantise(values: FloatArray) -> FloatArray:
    rounded: FloatArray = np.round(values, DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
    return rounded


def _score_matrix(sheets: Sequence[Scoresheet], keys: tuple[str, ...]) -> IntArray:
    key_set = set(keys)
    for sheet in sheets:
        if sheet.scores.keys() != key_set:
            missing = sorted(key_set - set(sheet.scores))
            extra = sorted(set(sheet.scores) - key_set)
            raise ValueError(
                f"scoresheet of judge {sheet.judge_id} for innovation {sheet.innovation_id}: "
                f"missing criteria {missing}, unknown criteria {extra}"
            )
    flat = [sheet.scores[key] for sheet in sheets for key in keys]
    raw = np.array(flat).reshape(len(sheets), len(keys))
    if raw.size and raw.dtype.kind not in "iu":
        raise ValueError("scores must be integers")
    return raw.astype(np.int64)


def judge_total(scores: Mapping[str, int], criteria: Sequence[Criterion]) -> float:
    """One judge's total for one innovation, 0..100.

    Each criterion score is rescaled to 0..100, ``(s - min) / (max - min) * 100``, then
    averaged with the criterion weights; rounded to ``DECIMALS`` places.
    """
    rubric = _Rubric.of(criteria)
    sheet = Scoresheet(innovation_id=0, judge_id=0, scores=scores)
    totals = rubric.totals(rubric.rescale(_score_matrix([sheet], rubric.keys)))
    return float(totals[0])


# --------------------------------------------------------------------------- L-estimators


@cache
def _order_weights(k: int, method: str) -> tuple[tuple[int, ...], int]:
    """Integer weights on the k sorted values, and their denominator, for a method."""
    if method == "median":
        weights = [0] * k
        weights[(k - 1) // 2] += 1
        weights[k // 2] += 1
        return tuple(weights), 2
    if method == "trimmed_mean" and k >= TRIM_MIN_JUDGES:
        return (0, *([1] * (k - 2)), 0), k - 2
    return tuple([1] * k), k  # mean, zscore (mean z), trimmed_mean with few judges


def _sorted_stat(sorted_values: FloatArray, method: str) -> FloatArray:
    """The method's statistic over the last axis of ascending values (no NaN)."""
    weights, denominator = _order_weights(sorted_values.shape[-1], method)
    stat: FloatArray = (sorted_values * np.array(weights, dtype=np.float64)).sum(
        axis=-1
    ) / denominator
    return stat


@cache
def _multisets(k: int, method: str) -> tuple[FloatArray, FloatArray, IntArray]:
    """Every multiset of k draws from k sorted values, for the exact bootstrap.

    Returns the statistic's weight on each value per multiset (already divided by the
    denominator), and Vose alias tables (probability, alias) to draw multisets with their
    multinomial probabilities k! / prod(c!) / k**k.
    """
    weights, denominator = _order_weights(k, method)
    draws = np.array(list(itertools.combinations_with_replacement(range(k), k)), dtype=np.int64)
    count = len(draws)
    value_weights = np.zeros((count, k), dtype=np.float64)
    rows = np.arange(count)
    for position in range(k):  # the draws are sorted, so position is the order statistic
        np.add.at(value_weights, (rows, draws[:, position]), weights[position])
    value_weights /= denominator
    multiplicity = np.stack([(draws == value).sum(axis=1) for value in range(k)], axis=1)
    log_factorials = np.array(
        [sum(math.lgamma(c + 1) for c in row) for row in multiplicity.tolist()]
    )
    probability = np.exp(math.lgamma(k + 1) - k * math.log(k) - log_factorials)
    probability /= probability.sum()
    return (value_weights, *_alias_tables(probability))


def _alias_tables(probability: FloatArray) -> tuple[FloatArray, IntArray]:
    count = len(probability)
    scaled = (probability * count).tolist()
    accept = np.ones(count, dtype=np.float64)
    alias = np.arange(count, dtype=np.int64)
    small = [i for i, p in enumerate(scaled) if p < 1.0]
    large = [i for i, p in enumerate(scaled) if p >= 1.0]
    while small and large:
        low, high = small.pop(), large.pop()
        accept[low] = scaled[low]
        alias[low] = high
        scaled[high] += scaled[low] - 1.0
        (small if scaled[high] < 1.0 else large).append(high)
    return accept, alias  # leftovers keep accept 1.0: they are exactly full up to rounding


# --------------------------------------------------------------------------- bootstrap


def _bootstrap_scores(
    values: FloatArray,
    counts: IntArray,
    method: str,
    samples: int,
    rng: np.random.Generator,
) -> FloatArray:
    """Scores (samples x innovations) after resampling each innovation's values.

    ``values`` holds each innovation's ascending values left-aligned, padded with NaN.
    Groups of equal judge count are processed in ascending count, which fixes the use of
    the random stream.
    """
    scores = np.empty((len(counts), samples), dtype=np.float64)
    for k in np.unique(counts).tolist():
        rows = np.flatnonzero(counts == k)
        group = values[rows, :k]
        if k == 1:
            scores[rows] = group  # one judge: every resample is the same
        elif k <= _MAX_MULTISET_JUDGES:
            scores[rows] = _bootstrap_multisets(group, method, samples, rng)
        else:
            scores[rows] = _bootstrap_draws(group, method, samples, rng)
    return _quantise(scores)


def _bootstrap_multisets(
    group: FloatArray, method: str, samples: int, rng: np.random.Generator
) -> FloatArray:
    n, k = group.shape
    value_weights, accept, alias = _multisets(k, method)
    count = len(accept)
    scaled = rng.random((n, samples)) * count
    column = np.minimum(scaled.astype(np.int64), count - 1)
    multiset = np.where(scaled - column < accept[column], column, alias[column])
    out = np.empty((n, samples), dtype=np.float64)
    step = max(1, _TABLE_BYTES // (8 * count))
    for start in range(0, n, step):
        table = group[start : start + step] @ value_weights.T  # rows x multisets
        chunk = multiset[start : start + step] + (np.arange(len(table)) * count)[:, None]
        out[start : start + step] = table.ravel()[chunk]
    return out


def _bootstrap_draws(
    group: FloatArray, method: str, samples: int, rng: np.random.Generator
) -> FloatArray:
    n, k = group.shape
    out = np.empty((n, samples), dtype=np.float64)
    step = max(1, _DRAW_ELEMENTS // (n * k))
    offsets = (np.arange(n, dtype=np.int64) * k)[:, None, None]
    flat = group.ravel()
    for start in range(0, samples, step):
        width = min(step, samples - start)
        draws = np.sort(rng.integers(0, k, size=(n, width, k)), axis=-1)
        out[:, start : start + width] = _sorted_stat(flat[draws + offsets], method)
    return out


def _top_share(scores: FloatArray, top_n: int) -> FloatArray:
    """Per innovation, the share of resamples (columns) that put it in the TOP N.

    A tie across the cut-off inside a resample shares the remaining places equally, so the
    shares always add up to min(top_n, innovations).
    """
    n, samples = scores.shape
    if n <= top_n:
        return np.ones(n, dtype=np.float64)
    cutoff = np.partition(scores, n - top_n, axis=0)[n - top_n]  # N-th highest per resample
    above = scores > cutoff
    at = scores == cutoff
    places_left = (top_n - above.sum(axis=0)) / at.sum(axis=0)
    share: FloatArray = (above.sum(axis=1) + (at * places_left).sum(axis=1)) / samples
    return share


# --------------------------------------------------------------------------- ranking


def _kendalls_w(totals: FloatArray, panel_columns: list[int]) -> float | None:
    """Kendall's W over innovations every panel judge scored; ties by average rank."""
    if len(panel_columns) < 2:
        return None
    panel = totals[:, panel_columns]
    panel = panel[~np.isnan(panel).any(axis=1)]
    n, m = panel.shape
    if n < 3:
        return None
    rank_sums = np.zeros(n, dtype=np.float64)
    for column in panel.T:
        ordered = np.sort(column)
        below = np.searchsorted(ordered, column, side="left")
        up_to = np.searchsorted(ordered, column, side="right")
        rank_sums += (below + up_to + 1) / 2.0
    spread = float(((rank_sums - m * (n + 1) / 2.0) ** 2).sum())
    return round(12.0 * spread / float(m**2 * (n**3 - n)), DECIMALS)


def _group_left(values: FloatArray, row: IntArray, n_rows: int, width: int) -> FloatArray:
    """Each row's values ascending and left-aligned in an (n_rows x width) NaN-padded array."""
    order = np.lexsort((values, row))
    row_sorted = row[order]
    starts = np.searchsorted(row_sorted, np.arange(n_rows))
    padded = np.full((n_rows, max(width, 1)), np.nan)
    padded[row_sorted, np.arange(len(order)) - starts[row_sorted]] = values[order]
    return padded


def _row_stat(padded: FloatArray, counts: IntArray, method: str) -> FloatArray:
    stat = np.full(len(counts), np.nan)
    for k in np.unique(counts[counts > 0]).tolist():
        rows = np.flatnonzero(counts == k)
        stat[rows] = _sorted_stat(padded[rows, :k], method)
    return _quantise(stat)


def _order(
    ranked: IntArray,
    ids: IntArray,
    score: FloatArray,
    criteria_mean: FloatArray,
    tiebreak: tuple[int, ...],
) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """Ranked rows in ranking order, and whether each ties the one before it.

    Descending score, then criteria means by descending weight (then key), then id: the id
    has no meaning, it only fixes the listing order inside a tie the panel must resolve.
    """
    tiebreak_keys = [-criteria_mean[ranked, c] for c in reversed(tiebreak)]
    order: IntArray = ranked[np.lexsort([ids[ranked], *tiebreak_keys, -score[ranked]])]
    compared = np.column_stack([score[order], criteria_mean[order][:, list(tiebreak)]])
    same_as_previous = np.zeros(len(order), dtype=np.bool_)
    if len(order) > 1:
        same_as_previous[1:] = (compared[1:] == compared[:-1]).all(axis=1)
    return order, same_as_previous


def _check_arguments(method: str, top_n: int, min_judges: int, bootstrap_samples: int) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown aggregation method {method!r}; use one of {METHODS}")
    if top_n < 1:
        raise ValueError("top_n must be at least 1")
    if min_judges < 1:
        raise ValueError("min_judges must be at least 1")
    if bootstrap_samples < 1:
        raise ValueError("bootstrap_samples must be at least 1")


def compute_ranking(
    *,
    innovation_ids: Sequence[int],
    criteria: Sequence[Criterion],
    scoresheets: Sequence[Scoresheet],
    method: str,
    top_n: int,
    min_judges: int = 1,
    panel_judge_ids: Sequence[int] | None = None,
    bootstrap_samples: int = 1000,
    seed: int = 20211201,
) -> Ranking:
    """Rank innovations from their final scoresheets (DESIGN.md, "Scoring and aggregation").

    ``scoresheets`` must be final sheets, at most one per (innovation, judge), each with one
    integer per criterion within its scale, on innovations listed in ``innovation_ids``;
    anything else raises ``ValueError``. Judges are standardised (``zscore``) over every
    listed innovation they scored, ranked or not. ``panel_judge_ids`` defines the panel for
    Kendall's W (default: every judge with a sheet) and adds panel judges who scored nothing
    to ``judges``. The result depends only on the content, not on the order, of the inputs.
    """
    _check_arguments(method, top_n, min_judges, bootstrap_samples)
    rubric = _Rubric.of(criteria)
    ids = np.array(sorted(innovation_ids), dtype=np.int64)
    if len(np.unique(ids)) != len(ids):
        raise ValueError("innovation_ids must be unique")
    sheets = sorted(scoresheets, key=lambda s: (s.innovation_id, s.judge_id))
    sheet_innovation = np.array([s.innovation_id for s in sheets], dtype=np.int64)
    sheet_judge = np.array([s.judge_id for s in sheets], dtype=np.int64)
    unknown = ~np.isin(sheet_innovation, ids)
    if unknown.any():
        raise ValueError(
            f"a scoresheet is for innovation {sheet_innovation[unknown][0]}, "
            "which is not in innovation_ids"
        )
    row = np.searchsorted(ids, sheet_innovation).astype(np.int64)
    duplicate = (np.diff(sheet_innovation) == 0) & (np.diff(sheet_judge) == 0)
    if duplicate.any():
        at = int(np.flatnonzero(duplicate)[0])
        raise ValueError(
            f"judge {sheets[at].judge_id} has two scoresheets for innovation "
            f"{sheets[at].innovation_id}"
        )

    panel_ids = sorted(set(panel_judge_ids)) if panel_judge_ids is not None else None
    judge_ids = np.array(sorted(set(sheet_judge.tolist()) | set(panel_ids or ())), dtype=np.int64)
    column = np.searchsorted(judge_ids, sheet_judge).astype(np.int64)
    n, n_judges = len(ids), len(judge_ids)

    rescaled = rubric.rescale(_score_matrix(sheets, rubric.keys))
    totals = rubric.totals(rescaled)
    counts = np.bincount(row, minlength=n).astype(np.int64)

    # Judges: their scale, for z values and for the panel's view of harsh and lenient.
    scored = np.bincount(column, minlength=n_judges)
    judge_mean = np.bincount(column, totals, n_judges) / np.maximum(scored, 1)
    deviation = totals - judge_mean[column]
    judge_sd = np.sqrt(np.bincount(column, deviation**2, n_judges) / np.maximum(scored, 1))
    judge_max = np.full(n_judges, -np.inf)
    judge_min = np.full(n_judges, np.inf)
    np.maximum.at(judge_max, column, totals)
    np.minimum.at(judge_min, column, totals)
    flat_judge = judge_max == judge_min  # exactly: no rounding noise can fake a spread
    judge_sd[flat_judge] = 0.0
    safe_sd = np.where(judge_sd > 0, judge_sd, 1.0)
    z = _quantise(np.where(flat_judge[column], 0.0, deviation / safe_sd[column]))

    width = int(counts.max()) if n else 0
    padded_totals = _group_left(totals, row, n, width)
    padded_z = _group_left(z, row, n, width)
    raw_score = _row_stat(padded_totals, counts, "mean")
    calibrated = _row_stat(padded_z, counts, "zscore")
    method_values = padded_z if method == "zscore" else padded_totals
    score = _row_stat(method_values, counts, method)
    criteria_sum = np.stack(
        [np.bincount(row, rescaled[:, c], n) for c in range(len(rubric.keys))], axis=1
    )
    criteria_mean = _quantise(criteria_sum / np.maximum(counts, 1)[:, None])

    offset_sum = np.bincount(column, totals - raw_score[row], n_judges)
    judges = [
        JudgeStats(
            judge_id=int(judge_ids[j]),
            scored=int(scored[j]),
            mean_total=round(float(judge_mean[j]), DECIMALS) if scored[j] else None,
            sd_total=round(float(judge_sd[j]), DECIMALS) if scored[j] else None,
            offset=round(float(offset_sum[j] / scored[j]), DECIMALS) + 0.0 if scored[j] else None,
        )
        for j in range(n_judges)
    ]

    ranked = np.flatnonzero(counts >= min_judges)
    order, same_as_previous = _order(ranked, ids, score, criteria_mean, rubric.tiebreak)
    tied = same_as_previous.copy()
    tied[:-1] |= same_as_previous[1:]
    ranks = np.maximum.accumulate(np.where(same_as_previous, 0, np.arange(len(order)))) + 1
    tie_at_cutoff = bool(len(order) > top_n and same_as_previous[top_n])

    p_top_by_row = np.zeros(n)
    if len(ranked):
        rng = np.random.default_rng(seed)
        resampled = _bootstrap_scores(
            method_values[ranked], counts[ranked], method, bootstrap_samples, rng
        )
        p_top_by_row[ranked] = _top_share(resampled, top_n)

    entries = []
    for position, i in enumerate(order.tolist()):
        means = criteria_mean[i].tolist()
        entries.append(
            RankingEntry(
                rank=int(ranks[position]),
                innovation_id=int(ids[i]),
                score=float(score[i]),
                raw_score=float(raw_score[i]),
                calibrated_score=float(calibrated[i]),
                judge_count=int(counts[i]),
                criteria={rubric.keys[c]: means[c] for c in rubric.tiebreak},
                judge_totals=padded_totals[i, : counts[i]].tolist(),
                tie=bool(tied[position]),
                in_top=position < top_n,
                p_top=float(p_top_by_row[i]),
            )
        )
    unranked = [
        UnrankedEntry(innovation_id=int(ids[i]), judge_count=int(counts[i]))
        for i in np.flatnonzero(counts < min_judges).tolist()
    ]
    panel_columns: list[int] = (
        np.searchsorted(judge_ids, panel_ids).tolist()
        if panel_ids is not None
        else list(range(n_judges))
    )
    totals_matrix = np.full((n, max(n_judges, 1)), np.nan)
    totals_matrix[row, column] = totals
    return Ranking(
        method=method,
        top_n=top_n,
        seed=seed,
        bootstrap_samples=bootstrap_samples,
        tie_at_cutoff=tie_at_cutoff,
        kendalls_w=_kendalls_w(totals_matrix, panel_columns),
        judges=judges,
        entries=entries,
        unranked=unranked,
    )
