"""Scores in, ranking out: pure aggregation of final scoresheets (no database).

The spec is DESIGN.md, "Scoring and aggregation"; docs/judging.md explains the choices.
Every number that is compared (judge totals, z values, scores, criteria means) is rounded to
``DECIMALS`` places first, so floating-point noise can neither break a real tie nor invent
one, and the same input in any order gives the identical ``Ranking``.

``mean``, ``median`` and ``trimmed_mean`` are L-estimators over an innovation's judge totals
(fixed integer weights on the sorted values over a denominator), ``zscore`` the mean of the
judges' z values, and ``judge_effects`` the joint model of ``judge_effects.py``. p(TOP N)
comes from ``uncertainty.py``: draws in which the judges' errors are shared by every
innovation they scored; agreement from ``agreement.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from kipp.ranking import agreement, calibration, judge_effects, uncertainty
from kipp.ranking.estimators import TRIM_SHARE, group_left, noise_factor, order_weights, row_stat
from kipp.ranking.outcome import (
    CalibrationMove,
    JudgeStats,
    Ranking,
    RankingEntry,
    UnrankedEntry,
)
from kipp.ranking.totals import (
    DECIMALS,
    Criterion,
    FloatArray,
    IntArray,
    Rubric,
    Scoresheet,
    ScoreTable,
    judge_total,
    quantise,
)

__all__ = [
    "DECIMALS",
    "DEFAULT_METHOD",
    "METHODS",
    "TRIM_SHARE",
    "CalibrationMove",
    "Criterion",
    "JudgeStats",
    "Ranking",
    "RankingEntry",
    "ScoreTable",
    "Scoresheet",
    "UnrankedEntry",
    "compute_ranking",
    "judge_total",
    "order_weights",
]

METHODS = ("mean", "trimmed_mean", "median", "zscore", "judge_effects")
DEFAULT_METHOD = "judge_effects"  # for new competitions
# z-score: a judge's sd is pooled with the panel's as if they had scored this many more
# sheets at the panel's spread, so a judge with two sheets (z = +-1 whatever the gap) cannot
# outweigh colleagues; over 15 sheets it moves a judge's sd by a few percent at most.
ZSCORE_PRIOR_SHEETS = 2.0
DRAW_CHUNK = uncertainty.DEFAULT_CHUNK


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


def _z_values(
    totals: FloatArray, column: IntArray, n_judges: int
) -> tuple[FloatArray, FloatArray, FloatArray, float]:
    """Each judge's mean and population sd, the z values, and the pooled sd.

    z divides by the judge's sd pooled with the panel's (``ZSCORE_PRIOR_SHEETS``): a judge
    with two sheets 71 and 70 gets z = +-0.05, not +-1. A judge who gave everyone the same
    total gets z = 0 (exactly: no rounding noise can fake a spread).
    """
    scored = np.bincount(column, minlength=n_judges).astype(np.float64)
    judge_mean = np.bincount(column, totals, n_judges) / np.maximum(scored, 1)
    deviation = totals - judge_mean[column]
    sum_squares = np.bincount(column, deviation**2, n_judges)
    judge_sd = np.sqrt(sum_squares / np.maximum(scored, 1))
    judge_max = np.full(n_judges, -np.inf)
    judge_min = np.full(n_judges, np.inf)
    np.maximum.at(judge_max, column, totals)
    np.minimum.at(judge_min, column, totals)
    flat_judge = judge_max == judge_min
    judge_sd[flat_judge] = 0.0
    pooled = float(np.sqrt(sum_squares.sum() / max(scored.sum(), 1.0)))
    shrunk = np.sqrt(
        (scored * judge_sd**2 + ZSCORE_PRIOR_SHEETS * pooled**2) / (scored + ZSCORE_PRIOR_SHEETS)
    )
    safe_sd = np.where(shrunk > 0, shrunk, 1.0)
    z = quantise(np.where(flat_judge[column], 0.0, deviation / safe_sd[column]))
    return judge_mean, judge_sd, z, pooled


def _canonical_judges(totals: FloatArray, row: IntArray, column: IntArray, n: int) -> IntArray:
    """Judge indices in an order fixed by what they scored, not by their ids, so the random
    draws (one stream position per judge) do not depend on how judges are numbered."""
    if n <= 1:
        return np.arange(n, dtype=np.int64)
    position = row.astype(np.float64) + 1.0
    features = [
        np.bincount(column, weights, n)
        for weights in (position**2, totals * position, totals**2, totals, position)
    ]
    features.append(np.bincount(column, minlength=n).astype(np.float64))
    order: IntArray = np.lexsort(features)
    keys = np.stack(features, axis=1)[order]
    if (keys[1:] == keys[:-1]).all(axis=1).any():  # equal summaries: compare the sheets
        sheets: list[list[tuple[int, float]]] = [[] for _ in range(n)]
        for r, c, t in zip(row.tolist(), column.tolist(), totals.tolist(), strict=True):
            sheets[c].append((r, t))
        order = np.array(
            sorted(range(n), key=lambda j: (len(sheets[j]), sorted(sheets[j]))), dtype=np.int64
        )
    return order


def _fit_in_canonical_order(
    values: FloatArray,
    row: IntArray,
    column: IntArray,
    n_rows: int,
    canonical: IntArray,
    *,
    spreads: bool = True,
    noise_prior_sd: float = judge_effects.NOISE_PRIOR_SD,
) -> judge_effects.JudgeEffectsFit:
    """The model fitted with judges (and each innovation's sheets) in the canonical order,
    so every sum runs in the same order however the judges are numbered: the fit is then
    bit-for-bit the same, not merely equal up to its convergence tolerance."""
    n_judges = len(canonical)
    position = np.empty(n_judges, dtype=np.int64)
    position[canonical] = np.arange(n_judges)
    fit_column = position[column]
    # np.lexsort((fit_column, row))'s permutation, by one stable sort of a combined key
    order = np.argsort(row * max(n_judges, 1) + fit_column, kind="stable")
    fitted = judge_effects.fit(
        values[order],
        row[order],
        fit_column[order],
        n_rows,
        n_judges,
        spreads=spreads,
        noise_prior_sd=noise_prior_sd,
    )
    return replace(
        fitted,
        offset=fitted.offset[position],
        spread=fitted.spread[position],
        noise=fitted.noise[position],
    )


def _top_probability(
    *,
    method: str,
    ranked: IntArray,
    in_top_rows: IntArray,
    score: FloatArray,
    values: FloatArray,
    row: IntArray,
    column: IntArray,
    counts: IntArray,
    n_judges: int,
    canonical: IntArray,
    model: judge_effects.JudgeEffectsFit,
    noise_prior: float,
    top_n: int,
    samples: int,
    seed: int,
    chunk: int,
) -> uncertainty.TopProbability:
    """p(TOP N) under the chosen method, from draws that share each judge's errors."""
    n = len(counts)
    ranked_position = np.full(n, -1, dtype=np.int64)
    ranked_position[ranked] = np.arange(len(ranked))
    on_ranked = ranked_position[row] >= 0
    load_row = ranked_position[row[on_ranked]]
    judge = column[on_ranked]
    canonical_position = np.empty(n_judges, dtype=np.int64)
    canonical_position[canonical] = np.arange(n_judges)
    if method == "judge_effects":
        spread = model.spread[judge]
        weight = spread**2 / model.noise[judge] ** 2 / model.precision[row[on_ranked]]
        quality = model.quality[row[on_ranked]]
        load_shock = np.concatenate(
            [canonical_position[judge], canonical_position[judge] + n_judges]
        )
        load_value = np.concatenate([-weight / spread, -weight * quality / spread])
        load_row = np.concatenate([load_row, load_row])
        l11, l21, l22 = judge_effects.judge_covariance(model, row, column, n_judges)
        shocks = uncertainty.gaussian_pairs(l11[canonical], l21[canonical], l22[canonical])
        noise_sd = 1.0 / np.sqrt(model.precision[ranked])
    else:
        additive = _fit_in_canonical_order(
            values, row, column, n, canonical, spreads=False, noise_prior_sd=noise_prior
        )
        k = counts[ranked]
        factor = np.array([noise_factor(int(c), method) for c in k.tolist()])
        noise_sd = additive.pooled_noise * np.sqrt(factor / k)
        load_shock = canonical_position[judge]
        load_value = 1.0 / counts[row[on_ranked]].astype(np.float64)
        scored = np.bincount(column, minlength=n_judges)
        pool = np.flatnonzero(scored[canonical] > 0)
        shocks = uncertainty.resampled_judges(additive.offset[canonical], pool)
    # Draws are centred on the method's own scores. (An empirical-Bayes pull toward the mean
    # for less precisely measured innovations made p under-confident in the simulation.)
    centre, scale = score[ranked], np.ones(len(ranked))
    computed_top = np.zeros(len(ranked), dtype=np.bool_)
    computed_top[ranked_position[in_top_rows]] = True
    return uncertainty.top_probability(
        centre=centre,
        scale=scale,
        noise_sd=noise_sd,
        load_row=load_row,
        load_shock=load_shock,
        load_value=load_value,
        shocks=shocks,
        top_n=top_n,
        computed_top=computed_top,
        samples=samples,
        seed=seed,
        chunk=chunk,
    )


def compute_ranking(
    *,
    innovation_ids: Sequence[int],
    criteria: Sequence[Criterion],
    scoresheets: Sequence[Scoresheet] | ScoreTable,
    method: str,
    top_n: int,
    min_judges: int = 1,
    panel_judge_ids: Sequence[int] | None = None,
    bootstrap_samples: int = 1000,
    seed: int = 20211201,
    draw_chunk: int = DRAW_CHUNK,
) -> Ranking:
    """Rank innovations from their final scoresheets (DESIGN.md, "Scoring and aggregation").

    ``scoresheets`` (``Scoresheet`` objects, or the same scores as a ``ScoreTable``) must be
    final sheets, at most one per (innovation, judge), each with one
    integer per criterion within its scale, on innovations listed in ``innovation_ids``;
    anything else raises ``ValueError``. Judges are standardised (``zscore``) and modelled
    (``judge_effects``) over every listed innovation they scored, ranked or not.
    ``panel_judge_ids`` defines the panel for Kendall's W (default: every judge with a sheet)
    and adds panel judges who scored nothing to ``judges``. ``bootstrap_samples`` draws give
    p_top, made ``draw_chunk`` at a time (the result does not depend on the chunk). The
    result depends only on the content, not on the order, of the inputs.
    """
    _check_arguments(method, top_n, min_judges, bootstrap_samples)
    if draw_chunk < 1:
        raise ValueError("draw_chunk must be at least 1")
    rubric = Rubric.of(criteria)
    ids = np.array(sorted(innovation_ids), dtype=np.int64)
    if len(np.unique(ids)) != len(ids):
        raise ValueError("innovation_ids must be unique")
    table = (
        scoresheets
        if isinstance(scoresheets, ScoreTable)
        else ScoreTable.from_sheets(scoresheets, rubric.keys)
    )
    sheet_innovation, sheet_judge, raw = rubric.sheets(table)
    unknown = ~np.isin(sheet_innovation, ids)
    if unknown.any():
        raise ValueError(
            f"a scoresheet is for innovation {sheet_innovation[unknown][0]}, "
            "which is not in innovation_ids"
        )
    row = np.searchsorted(ids, sheet_innovation).astype(np.int64)

    panel_ids = sorted(set(panel_judge_ids)) if panel_judge_ids is not None else None
    judge_ids = np.union1d(sheet_judge, np.array(panel_ids or [], dtype=np.int64))
    column = np.searchsorted(judge_ids, sheet_judge).astype(np.int64)
    n, n_judges = len(ids), len(judge_ids)

    rescaled = rubric.rescale(raw)
    totals = rubric.totals(rescaled)
    counts = np.bincount(row, minlength=n).astype(np.int64)
    scored = np.bincount(column, minlength=n_judges)
    judge_mean, judge_sd, z, pooled_sd = _z_values(totals, column, n_judges)
    canonical = _canonical_judges(totals, row, column, n_judges)
    model = _fit_in_canonical_order(totals, row, column, n, canonical)

    width = int(counts.max()) if n else 0
    padded_totals = group_left(totals, row, n, width)
    padded_z = group_left(z, row, n, width)
    raw_score = row_stat(padded_totals, counts, "mean")
    calibrated = row_stat(padded_z, counts, "zscore")
    adjusted = quantise(np.nan_to_num(model.score))
    if method == "judge_effects":
        score, method_values = adjusted, totals
    else:
        method_values = z if method == "zscore" else totals
        padded = padded_z if method == "zscore" else padded_totals
        score = row_stat(padded, counts, method)
    criteria_sum = np.stack(
        [np.bincount(row, rescaled[:, c], n) for c in range(len(rubric.keys))], axis=1
    )
    criteria_mean = quantise(criteria_sum / np.maximum(counts, 1)[:, None])

    offset_sum = np.bincount(column, totals - raw_score[row], n_judges)
    judges = [
        JudgeStats(
            judge_id=int(judge_ids[j]),
            scored=int(scored[j]),
            mean_total=round(float(judge_mean[j]), DECIMALS) if scored[j] else None,
            sd_total=round(float(judge_sd[j]), DECIMALS) if scored[j] else None,
            offset=round(float(offset_sum[j] / scored[j]), DECIMALS) + 0.0 if scored[j] else None,
            centre=round(float(model.offset[j]), DECIMALS) + 0.0 if scored[j] else None,
            spread=round(float(model.spread[j]), DECIMALS) if scored[j] else None,
            noise=round(float(model.noise[j]), DECIMALS) if scored[j] else None,
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
    p_exact: float | None = None
    if len(ranked):
        noise_prior = judge_effects.NOISE_PRIOR_SD
        if method == "zscore":
            noise_prior /= pooled_sd if pooled_sd > 0 else judge_effects.NOISE_PRIOR_SD
        drawn = _top_probability(
            method=method,
            ranked=ranked,
            in_top_rows=order[:top_n],
            score=score,
            values=method_values,
            row=row,
            column=column,
            counts=counts,
            n_judges=n_judges,
            canonical=canonical,
            model=model,
            noise_prior=noise_prior,
            top_n=top_n,
            samples=bootstrap_samples,
            seed=seed,
            chunk=draw_chunk,
        )
        p_top_by_row[ranked] = quantise(drawn.p_top)
        p_exact = round(drawn.exact_top, DECIMALS) if drawn.exact_top is not None else None

    moves = calibration.entry_moves(
        method=method,
        order=order,
        p_top=p_top_by_row,
        top_n=top_n,
        totals=totals,
        z=z,
        row=row,
        column=column,
        judge_ids=judge_ids,
        model=model,
        pooled_sd=pooled_sd,
    )
    entries = []
    criteria_rows = criteria_mean[:, list(rubric.tiebreak)].tolist()
    tiebreak_keys = [rubric.keys[c] for c in rubric.tiebreak]
    totals_rows, count_list = padded_totals.tolist(), counts.tolist()
    score_list, raw_list, calibrated_list = score.tolist(), raw_score.tolist(), calibrated.tolist()
    p_top_list, adjusted_list = p_top_by_row.tolist(), adjusted.tolist()
    ids_list, ranks_list, tied_list = ids.tolist(), ranks.tolist(), tied.tolist()
    for position, i in enumerate(order.tolist()):
        entries.append(
            RankingEntry(  # positional: 3,000 of them, keywords cost a third more
                ranks_list[position],
                ids_list[i],
                score_list[i],
                raw_list[i],
                calibrated_list[i],
                count_list[i],
                dict(zip(tiebreak_keys, criteria_rows[i], strict=True)),
                totals_rows[i][: count_list[i]],
                tied_list[position],
                position < top_n,
                p_top_list[i],
                adjusted_list[i],
                moves.get(i, []),
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
    w, w_innovations = agreement.kendalls_w(totals_matrix, panel_columns)
    alpha = agreement.krippendorffs_alpha(totals, row)
    return Ranking(
        method=method,
        top_n=top_n,
        seed=seed,
        bootstrap_samples=bootstrap_samples,
        tie_at_cutoff=tie_at_cutoff,
        kendalls_w=round(w, DECIMALS) if w is not None else None,
        judges=judges,
        entries=entries,
        unranked=unranked,
        kendalls_w_innovations=w_innovations,
        krippendorffs_alpha=round(alpha, DECIMALS) if alpha is not None else None,
        p_exact_top=p_exact,
        expected_top_overlap=(
            round(float(sum(e.p_top for e in entries if e.in_top)), DECIMALS) if entries else None
        ),
        noise_sd=round(model.pooled_noise, DECIMALS) if len(totals) else None,
    )
