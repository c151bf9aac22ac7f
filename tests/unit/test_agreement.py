"""Unit tests of kipp.ranking.agreement: Krippendorff's alpha and Kendall's W."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from kipp.ranking.agreement import kendalls_w, krippendorffs_alpha

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the example with four
# observers, twelve units and missing values; its interval alpha is 0.849.
RELIABILITY_DATA = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def _flatten(data: list[list[int | None]]) -> tuple[np.ndarray, np.ndarray]:
    values, units = [], []
    for observer in data:
        for unit, value in enumerate(observer):
            if value is not None:
                values.append(float(value))
                units.append(unit)
    return np.array(values), np.array(units, dtype=np.int64)


def test_krippendorffs_alpha_matches_the_published_example() -> None:
    values, units = _flatten(RELIABILITY_DATA)
    alpha = krippendorffs_alpha(values, units)
    assert alpha == pytest.approx(0.849, abs=0.0005)


def test_krippendorffs_alpha_by_its_definition_on_a_small_panel() -> None:
    # Unit 0: 10, 20; unit 1: 50, 50, 80; unit 2: 30 (not pairable, left out).
    values = np.array([10.0, 20.0, 50.0, 50.0, 80.0, 30.0])
    units = np.array([0, 0, 1, 1, 1, 2], dtype=np.int64)
    pairable = [[10.0, 20.0], [50.0, 50.0, 80.0]]
    n = 5
    observed = (
        sum(
            sum((a - b) ** 2 for a, b in itertools.permutations(unit, 2)) / (len(unit) - 1)
            for unit in pairable
        )
        / n
    )
    every = [v for unit in pairable for v in unit]
    expected = sum((a - b) ** 2 for a, b in itertools.permutations(every, 2)) / (n * (n - 1))
    assert krippendorffs_alpha(values, units) == pytest.approx(1 - observed / expected)


def test_krippendorffs_alpha_is_none_without_pairs_or_variation() -> None:
    assert krippendorffs_alpha(np.array([1.0, 2.0]), np.array([0, 1], dtype=np.int64)) is None
    assert krippendorffs_alpha(np.array([5.0, 5.0]), np.array([0, 0], dtype=np.int64)) is None
    assert krippendorffs_alpha(np.array([]), np.array([], dtype=np.int64)) is None


def test_krippendorffs_alpha_is_one_for_perfect_agreement() -> None:
    values = np.array([10.0, 10.0, 40.0, 40.0, 40.0, 90.0, 90.0])
    units = np.array([0, 0, 1, 1, 1, 2, 2], dtype=np.int64)
    assert krippendorffs_alpha(values, units) == pytest.approx(1.0)


def test_kendalls_w_tie_correction_makes_tied_agreement_perfect() -> None:
    # Both judges tie innovations 0 and 1 and agree on everything else: W = 1 only with the
    # correction (without it: 12 * 40.5 / (4 * 60) = 0.9... below 1).
    totals = np.array([[10.0, 10.0], [10.0, 10.0], [30.0, 35.0], [40.0, 50.0]])
    w, used = kendalls_w(totals, [0, 1])
    assert used == 4
    assert w == pytest.approx(1.0)


def test_kendalls_w_reports_how_many_innovations_it_used() -> None:
    totals = np.array([[1.0, 2.0], [2.0, np.nan], [3.0, 1.0], [4.0, 4.0], [5.0, 3.0]])
    w, used = kendalls_w(totals, [0, 1])
    assert used == 4 and w is not None
    assert kendalls_w(totals, [0]) == (None, 0)
    assert kendalls_w(totals[:3], [0, 1]) == (None, 2)
