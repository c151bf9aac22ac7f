"""L-estimators over an innovation's judge values: mean, median, trimmed mean (pure).

Each is fixed integer weights on the sorted values over a denominator, so they are exact on
any number of judges, and computed for every innovation with the same number of judges at
once (docs/judging.md, section 2).
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache

import numpy as np

from kipp.ranking.totals import FloatArray, IntArray, quantise

TRIM_SHARE = Fraction(1, 5)  # trimmed_mean trims a fifth from each end, fractionally


@cache
def order_weights(k: int, method: str) -> tuple[tuple[int, ...], int]:
    """Integer weights on the k sorted values, and their denominator, for a method.

    ``trimmed_mean`` trims ``TRIM_SHARE`` (a fifth) of the values from each end, fractionally:
    the sorted value in position r (1..k) covers [r - 1, r] and keeps the part of it inside
    [k/5, 4k/5]. Times 5 those overlaps are integers, over 3k. Five judges: the middle three;
    three judges: weights 2, 5, 2 over 9; ten: the middle six. One rule for every innovation.
    """
    if method == "median":
        weights = [0] * k
        weights[(k - 1) // 2] += 1
        weights[k // 2] += 1
        return tuple(weights), 2
    if method == "trimmed_mean":
        parts = TRIM_SHARE.denominator
        low, high = k * TRIM_SHARE.numerator, k * (parts - TRIM_SHARE.numerator)
        trimmed = tuple(
            max(0, min(parts * r, high) - max(parts * (r - 1), low)) for r in range(1, k + 1)
        )
        return trimmed, sum(trimmed)
    return tuple([1] * k), k  # mean, zscore (mean z)


def sorted_stat(sorted_values: FloatArray, method: str) -> FloatArray:
    """The method's statistic over the last axis of ascending values (no NaN)."""
    weights, denominator = order_weights(sorted_values.shape[-1], method)
    stat: FloatArray = (sorted_values * np.array(weights, dtype=np.float64)).sum(
        axis=-1
    ) / denominator
    return stat


@cache
def noise_factor(k: int, method: str) -> float:
    """Variance of the method's statistic over k independent normal values, relative to
    their mean's (1 for the mean; about 1.4 for the median of 5). Estimated once per (k,
    method) from 20,000 fixed-seed samples: within 2 %, deterministic."""
    if method in ("mean", "zscore") or k <= 2:
        return 1.0
    samples = np.sort(np.random.default_rng(k).standard_normal((20_000, k)), axis=1)
    return float(sorted_stat(samples, method).var() * k)


def group_left(values: FloatArray, row: IntArray, n_rows: int, width: int) -> FloatArray:
    """Each row's values ascending and left-aligned in an (n_rows x width) NaN-padded array."""
    # Grouped by one stable sort of the rows (nearly free: they usually come grouped), then
    # each row sorted in place: NaN sorts last, so the padding stays on the right.
    order = np.argsort(row, kind="stable")
    row_sorted = row[order]
    starts = np.searchsorted(row_sorted, np.arange(n_rows))
    padded = np.full((n_rows, max(width, 1)), np.nan)
    padded[row_sorted, np.arange(len(order)) - starts[row_sorted]] = values[order]
    padded.sort(axis=1)
    return padded


def row_stat(padded: FloatArray, counts: IntArray, method: str) -> FloatArray:
    """The method's statistic of each row of ``group_left``'s array (NaN without values)."""
    stat = np.full(len(counts), np.nan)
    for k in np.unique(counts[counts > 0]).tolist():
        rows = np.flatnonzero(counts == k)
        stat[rows] = sorted_stat(padded[rows, :k], method)
    return quantise(stat)
