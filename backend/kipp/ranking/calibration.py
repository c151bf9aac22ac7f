"""Which judges' calibration moved an innovation's score, and by how much (pure).

A calibrated method (``judge_effects``, ``zscore``) turns each judge's total into a
*calibrated total* (what an average judge of the panel would have given) and averages those
with weights. The difference from the raw mean of the totals splits exactly into one part per
judge:

    score - raw mean = sum_j (w_j / sum w) * calibrated_j - total_j / k

so judge j "moved" the score by ``(w_j / sum w) * calibrated_j - total_j / k`` points (under
``judge_effects`` plus their weight's share of what the fit's tolerance leaves, so the moves
add up to the score minus the raw mean). The panel sees this for innovations near the
cut-off, where a few points decide a TOP N place.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from kipp.ranking import judge_effects
from kipp.ranking.outcome import CalibrationMove
from kipp.ranking.totals import FloatArray, IntArray

NEAR_P_TOP = (0.02, 0.98)  # p_top strictly between these: the draws are not sure
NEAR_POSITIONS = 2  # or within this many places of the cut-off, on either side
MAX_MOVES = 5
MIN_POINTS = 0.01  # smaller moves are rounding, not calibration


def judge_moves(
    totals: FloatArray, calibrated: FloatArray, weights: FloatArray, row: IntArray, n_rows: int
) -> FloatArray:
    """Each sheet's move: its judge's share of (calibrated score - raw mean), in points.

    Sheet s of innovation ``row[s]`` has the judge's ``totals[s]``, the same total
    ``calibrated[s]``, and its weight ``weights[s]`` in the calibrated score (equal weights
    for ``zscore``). Over an innovation's sheets the moves add up to its calibrated weighted
    mean minus the plain mean of its totals.
    """
    count = np.bincount(row, minlength=n_rows).astype(np.float64)
    weight_sum = np.bincount(row, weights, n_rows)
    if ((weight_sum <= 0) & (count > 0)).any():
        raise ValueError("an innovation's weights must not all be 0")
    share = weights / np.where(weight_sum > 0, weight_sum, 1.0)[row]
    moves: FloatArray = share * calibrated - totals / count[row]
    return moves


def is_near_cutoff(position: int, p_top: float, top_n: int) -> bool:
    """Near the cut-off: ``p_top`` strictly between 0.02 and 0.98, or ``position`` (1-based)
    within two places of the line between ``top_n`` and ``top_n + 1`` (positions
    ``top_n - 1`` to ``top_n + 2``)."""
    low, high = NEAR_P_TOP
    return low < p_top < high or top_n - NEAR_POSITIONS < position <= top_n + NEAR_POSITIONS


def near_cutoff(p_top: FloatArray, top_n: int) -> npt.NDArray[np.bool_]:
    """``is_near_cutoff`` for every position at once: ``p_top`` in ranking order."""
    low, high = NEAR_P_TOP
    position = np.arange(1, len(p_top) + 1)
    near: npt.NDArray[np.bool_] = ((p_top > low) & (p_top < high)) | (
        (position > top_n - NEAR_POSITIONS) & (position <= top_n + NEAR_POSITIONS)
    )
    return near


def largest_moves(judge_ids: Sequence[int], moves: Sequence[float]) -> list[tuple[int, float]]:
    """The ``MAX_MOVES`` largest moves (by size; judge id breaks ties) of at least
    ``MIN_POINTS``, as (judge_id, points) rounded to 9 decimals like every score."""
    ranked = sorted(zip(judge_ids, moves, strict=True), key=lambda m: (-abs(m[1]), m[0]))
    return [(j, round(p, 9) + 0.0) for j, p in ranked if abs(p) >= MIN_POINTS][:MAX_MOVES]


def entry_moves(
    *,
    method: str,
    order: IntArray,
    p_top: FloatArray,
    top_n: int,
    totals: FloatArray,
    z: FloatArray,
    row: IntArray,
    column: IntArray,
    judge_ids: IntArray,
    model: judge_effects.JudgeEffectsFit,
    pooled_sd: float,
) -> dict[int, list[CalibrationMove]]:
    """For the entries near the cut-off, which judges' calibration moved the score (by row).

    ``judge_effects``: a judge's calibrated total is ``m + (total - m - a_j) / b_j``, weighted
    ``b_j^2 / sigma_j^2``. ``zscore``: ``M + z * S`` (M the mean of every total, S the pooled
    within-judge sd: z put back in points), weighted equally. The other methods calibrate
    nothing: no moves.
    """
    if method == "judge_effects":
        spread, offset = model.spread[column], model.offset[column]
        calibrated = model.centre + (totals - model.centre - offset) / spread
        weight = spread**2 / model.noise[column] ** 2
    elif method == "zscore":
        calibrated = (float(totals.mean()) if len(totals) else 0.0) + z * pooled_sd
        weight = np.ones(len(totals))
    else:
        return {}
    near = order[near_cutoff(p_top[order], top_n)].tolist()
    if not near:
        return {}
    n_rows = len(p_top)
    sheet_moves = judge_moves(totals, calibrated, weight, row, n_rows)
    if method == "judge_effects":
        # The fit stops within its tolerance, after a last update of the judges' noise: what
        # the weighted mean above leaves of (score - raw mean), a few hundredths of a point
        # at most, is the innovation's own level, shared by the judges' weights.
        count = np.maximum(np.bincount(row, minlength=n_rows), 1)
        raw_mean = np.bincount(row, totals, n_rows) / count
        remainder = np.nan_to_num(model.score) - raw_mean - np.bincount(row, sheet_moves, n_rows)
        sheet_moves = sheet_moves + weight / np.bincount(row, weight, n_rows)[row] * remainder[row]
    starts = np.searchsorted(row, np.arange(len(p_top) + 1)).tolist()  # sheets sorted by row
    sheet_judges = judge_ids[column].tolist()
    moves: dict[int, list[CalibrationMove]] = {}
    for i in near:
        sheets = slice(starts[i], starts[i + 1])
        moves[i] = [
            CalibrationMove(judge_id=j, points=p)
            for j, p in largest_moves(sheet_judges[sheets], sheet_moves[sheets].tolist())
        ]
    return moves
