"""Which judges' calibration moved an innovation's score near the cut-off, and how far."""

from __future__ import annotations

import numpy as np
import pytest

from kipp.ranking import calibration
from kipp.ranking.aggregation import Criterion, Scoresheet, compute_ranking
from kipp.ranking.explanation import explanation

SINGLE = [Criterion(key="q", weight=100, min_score=0, max_score=100)]


def test_judge_moves_on_a_hand_checked_example() -> None:
    """Two judges give 80 and 60 (raw mean 70); calibrated, 70 and 66, equal weights: the
    score is 68. Judge A moved it 70/2 - 80/2 = -5 points, judge B 66/2 - 60/2 = +3."""
    moves = calibration.judge_moves(
        np.array([80.0, 60.0]), np.array([70.0, 66.0]), np.ones(2), np.array([0, 0]), 1
    )
    assert moves.tolist() == [-5.0, 3.0]
    assert moves.sum() == 68.0 - 70.0
    # Weights count: B weighted 3 to 1 gives 70/4 + 66*3/4 = 67: A -22.5, B +19.5.
    weighted = calibration.judge_moves(
        np.array([80.0, 60.0]), np.array([70.0, 66.0]), np.array([1.0, 3.0]), np.zeros(2, int), 1
    )
    assert weighted.tolist() == [-22.5, 19.5]


def test_largest_moves_keeps_five_by_size_and_drops_rounding() -> None:
    moves = calibration.largest_moves([1, 2, 3, 4, 5, 6, 7], [0.5, -3.0, 0.001, 2.0, -2.0, 1, 4])
    assert moves == [(7, 4.0), (2, -3.0), (4, 2.0), (5, -2.0), (6, 1.0)]


@pytest.mark.parametrize(
    ("position", "p_top", "near"),
    [(1, 1.0, False), (2, 0.5, True), (6, 1.0, True), (9, 0.0, True), (10, 0.0, False)],
)
def test_near_the_cutoff(position: int, p_top: float, near: bool) -> None:
    assert calibration.is_near_cutoff(position, p_top, top_n=7) is near


def test_near_cutoff_is_the_rule_at_every_position() -> None:
    p_top = np.array([1.0, 0.99, 0.98, 0.5, 0.97, 1.0, 0.4, 0.03, 0.02, 0.0, 0.01, 0.5])
    expected = [calibration.is_near_cutoff(k + 1, float(p), top_n=7) for k, p in enumerate(p_top)]
    assert calibration.near_cutoff(p_top, top_n=7).tolist() == expected
    assert calibration.near_cutoff(np.zeros(0), top_n=7).tolist() == []


def test_a_ranking_names_the_judges_who_moved_an_entry_at_the_cutoff() -> None:
    """Judge 3 is lenient and only scored innovation 2: zscore takes the leniency out."""
    totals = {1: {1: 70, 2: 60}, 2: {1: 65, 2: 55, 3: 95}, 3: {1: 40, 2: 30, 3: 75}}
    sheets = [
        Scoresheet(innovation_id=i, judge_id=j, scores={"q": t})
        for i, by_judge in totals.items()
        for j, t in by_judge.items()
    ]
    ranking = compute_ranking(
        innovation_ids=[1, 2, 3],
        criteria=SINGLE,
        scoresheets=sheets,
        method="zscore",
        top_n=1,
        bootstrap_samples=100,
    )
    near = [e for e in ranking.entries if e.calibration_moves]
    assert near  # positions 1 to 3 are within two places of the TOP 1 line
    for entry in near:
        assert len(entry.calibration_moves) <= calibration.MAX_MOVES
        sizes = [abs(m.points) for m in entry.calibration_moves]
        assert sizes == sorted(sizes, reverse=True)
    entry_2 = next(e for e in ranking.entries if e.innovation_id == 2)
    assert entry_2.calibration_moves[0].judge_id == 3  # the lenient judge moved it most
    assert entry_2.calibration_moves[0].points < 0
    mean = compute_ranking(
        innovation_ids=[1, 2, 3], criteria=SINGLE, scoresheets=sheets, method="mean", top_n=1
    )
    assert all(e.calibration_moves == [] for e in mean.entries)  # mean calibrates nothing


def test_under_judge_effects_the_moves_add_up_to_the_calibration() -> None:
    rng = np.random.default_rng(3)
    sheets = [
        Scoresheet(innovation_id=i, judge_id=j, scores={"q": int(rng.integers(20, 90))})
        for i in range(1, 9)
        for j in range(1, 5)
        if (i + j) % 4
    ]
    ranking = compute_ranking(
        innovation_ids=list(range(1, 9)),
        criteria=SINGLE,
        scoresheets=sheets,
        method="judge_effects",
        top_n=3,
        bootstrap_samples=100,
    )
    checked = 0
    for entry in ranking.entries:
        if len(entry.calibration_moves) == entry.judge_count:  # every judge's move listed
            total = sum(m.points for m in entry.calibration_moves)
            assert total == pytest.approx(entry.score - entry.raw_score, abs=1e-6)
            checked += 1
    assert checked >= 3


@pytest.mark.parametrize("method", ["mean", "trimmed_mean", "median", "zscore", "judge_effects"])
def test_the_explanation_is_plain_and_in_both_languages(method: str) -> None:
    indonesian = explanation(method=method, top_n=7, draws=1000, language="id")
    english = explanation(method=method, top_n=7, draws=1000, language="en")
    assert "1.000" in indonesian and "TOP 7" in indonesian and "juri" in indonesian
    assert "1,000" in english and "TOP 7" in english and "judge" in english
    for text in (indonesian, english):
        assert "\n" not in text and "=" not in text and "sigma" not in text.lower()
