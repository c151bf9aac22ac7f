"""How much the judges agree (pure numpy): Krippendorff's alpha and Kendall's W.

Krippendorff's alpha (interval metric) uses every sheet: judges who scored different subsets,
innovations scored by two judges or by seven, all count. Kendall's W needs a complete block
(innovations every panel judge scored), so it says how many innovations it could use.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def krippendorffs_alpha(values: FloatArray, unit: IntArray) -> float | None:
    """Krippendorff's alpha, interval metric, for ``values`` (one per sheet) by ``unit``.

    ``alpha = 1 - D_o / D_e``: ``D_o`` is the mean squared difference between two values of
    the same innovation, ``D_e`` between any two values; only innovations with at least two
    values (pairable) count. 1 is perfect agreement, 0 no better than chance; None when fewer
    than two pairable values exist or every value is the same.
    """
    values = np.asarray(values, dtype=np.float64)
    if len(values) == 0:
        return None
    n_units = int(unit.max()) + 1
    count = np.bincount(unit, minlength=n_units).astype(np.float64)
    pairable = count[unit] >= 2
    if pairable.sum() < 2:
        return None
    v, u = values[pairable], unit[pairable]
    n = float(len(v))
    unit_mean = np.bincount(u, v, n_units) / np.maximum(count, 1.0)
    within = np.bincount(u, (v - unit_mean[u]) ** 2, n_units)  # SS per unit
    m = count[count >= 2]
    # Sum over ordered pairs within a unit of (v_c - v_k)^2 is 2 m SS; weighted by 1/(m - 1).
    observed = float((2.0 * m * within[count >= 2] / (m - 1.0)).sum()) / n
    expected = 2.0 * float(((v - v.mean()) ** 2).sum()) / (n - 1.0)
    if expected <= 0.0:
        return None
    return 1.0 - observed / expected


def kendalls_w(totals: FloatArray, panel_columns: list[int]) -> tuple[float | None, int]:
    """Kendall's W over the innovations every panel judge scored, corrected for ties.

    ``totals`` is innovations x judges with NaN where a judge did not score. Ties get their
    average rank, and the denominator drops ``m * sum(t^3 - t)`` over each judge's tie groups,
    so a judge who gives equal totals is not counted as disagreeing. Returns (W, number of
    innovations used); W is None with fewer than 2 judges or 3 such innovations, or when
    every judge tied everything.
    """
    if len(panel_columns) < 2:
        return None, 0
    panel = totals[:, panel_columns]
    panel = panel[~np.isnan(panel).any(axis=1)]
    n, m = panel.shape
    if n < 3:
        return None, n
    rank_sums = np.zeros(n, dtype=np.float64)
    ties = 0.0
    for column in panel.T:
        ordered = np.sort(column)
        below = np.searchsorted(ordered, column, side="left")
        up_to = np.searchsorted(ordered, column, side="right")
        rank_sums += (below + up_to + 1) / 2.0
        _, group = np.unique(ordered, return_counts=True)
        ties += float((group.astype(np.float64) ** 3 - group).sum())
    spread = float(((rank_sums - m * (n + 1) / 2.0) ** 2).sum())
    denominator = float(m**2 * (n**3 - n)) - m * ties
    if denominator <= 0.0:
        return None, n
    return 12.0 * spread / denominator, n
