"""Unit tests of kipp.ranking.judge_effects: the joint model of judges and innovations."""

from __future__ import annotations

import numpy as np
import pytest

from kipp.ranking import judge_effects
from kipp.ranking.aggregation import Criterion, Scoresheet, compute_ranking

SINGLE = [Criterion(key="q", weight=100, min_score=0, max_score=100)]


def complete_design(
    offsets: list[float], spreads: list[float], innovations: int, noise: float, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    quality = rng.normal(0.0, 12.0, innovations)
    row = np.repeat(np.arange(innovations), len(offsets))
    column = np.tile(np.arange(len(offsets)), innovations)
    values = (
        55.0
        + np.array(offsets)[column]
        + np.array(spreads)[column] * quality[row]
        + rng.normal(0.0, noise, len(row))
    )
    return values, row, column, quality


def test_recovers_known_offsets_and_spreads_on_a_complete_design() -> None:
    offsets, spreads = [-8.0, 0.0, 3.0, 5.0], [0.5, 1.0, 1.2, 1.6]
    values, row, column, quality = complete_design(offsets, spreads, 60, 1.0, 1)
    model = judge_effects.fit(values, row, column, 60, 4)
    # The reference is the average judge: offsets around their mean, spreads around their
    # geometric mean.
    true_offset = np.array(offsets) - np.mean(offsets)
    true_spread = np.array(spreads) / np.exp(np.mean(np.log(spreads)))
    assert model.offset == pytest.approx(true_offset, abs=0.6)
    assert model.spread == pytest.approx(true_spread, rel=0.08)  # a little shrunk toward 1
    assert np.corrcoef(model.quality, quality)[0, 1] > 0.999
    assert model.pooled_noise == pytest.approx(1.0, rel=0.3)


def test_without_judge_differences_the_score_is_the_mean() -> None:
    values, row, column, _ = complete_design([0.0] * 3, [1.0] * 3, 30, 0.0, 2)
    model = judge_effects.fit(values, row, column, 30, 3)
    means = np.bincount(row, values) / 3
    assert model.score == pytest.approx(means, abs=1e-8)


def test_one_judge_scores_are_their_totals() -> None:
    values = np.array([90.0, 40.0, 65.0])
    model = judge_effects.fit(values, np.arange(3), np.zeros(3, dtype=np.int64), 3, 1)
    assert model.score == pytest.approx(values, abs=1e-9)
    assert (model.offset[0], model.spread[0]) == (0.0, 1.0)
    assert model.pooled_noise == pytest.approx(judge_effects.NOISE_PRIOR_SD)


def rank(totals: dict[int, dict[int, int]], **kwargs: object) -> list[int]:
    ranking = compute_ranking(
        innovation_ids=sorted(totals),
        criteria=SINGLE,
        scoresheets=[
            Scoresheet(innovation_id=i, judge_id=j, scores={"q": s})
            for i, by_judge in totals.items()
            for j, s in by_judge.items()
        ],
        method="judge_effects",
        top_n=1,
        bootstrap_samples=200,
        **kwargs,  # type: ignore[arg-type]
    )
    return [e.innovation_id for e in ranking.entries]


def test_a_lenient_judge_is_corrected_on_different_subsets() -> None:
    # Judges 1 and 2 score everything; judge 3 (15 points lenient) only innovations 2 and 3.
    totals = {
        1: {1: 70, 2: 72},
        2: {1: 60, 2: 58, 3: 75},
        3: {1: 50, 2: 52, 3: 64},
        4: {1: 40, 2: 41},
        5: {1: 30, 2: 30, 3: 46},
    }
    assert rank(totals)[0] == 1


def test_a_judge_with_one_extreme_sheet_moves_it_less_than_the_mean_does() -> None:
    base = {1: {1: 70, 2: 68}, 2: {1: 66, 2: 66}, 3: {1: 50, 2: 52}}
    with_extra = {**base, 2: {**base[2], 9: 100}}

    def innovation_2(totals: dict[int, dict[int, int]]) -> tuple[float, float]:
        ranking = compute_ranking(
            innovation_ids=sorted(totals),
            criteria=SINGLE,
            scoresheets=[
                Scoresheet(innovation_id=i, judge_id=j, scores={"q": s})
                for i, by_judge in totals.items()
                for j, s in by_judge.items()
            ],
            method="judge_effects",
            top_n=1,
            bootstrap_samples=10,
        )
        entry = next(e for e in ranking.entries if e.innovation_id == 2)
        return entry.score, entry.raw_score

    (before, raw_before), (after, raw_after) = innovation_2(base), innovation_2(with_extra)
    # Part of the 100 is read as that judge's leniency (one sheet cannot tell which)
    assert 0 < after - before < (raw_after - raw_before) * 0.8


def test_a_constant_judge_and_a_disconnected_design_are_handled() -> None:
    # Judge 3 gives everyone 50; judges 4 and 5 score innovations nobody else scored.
    totals = {
        1: {1: 80, 2: 78, 3: 50},
        2: {1: 60, 2: 62, 3: 50},
        3: {1: 40, 2: 45, 3: 50},
        4: {4: 90, 5: 85},
        5: {4: 70, 5: 66},
    }
    order = rank(totals)
    assert order.index(1) < order.index(2) < order.index(3)
    assert order.index(4) < order.index(5)
    ranking = compute_ranking(
        innovation_ids=sorted(totals),
        criteria=SINGLE,
        scoresheets=[
            Scoresheet(innovation_id=i, judge_id=j, scores={"q": s})
            for i, by_judge in totals.items()
            for j, s in by_judge.items()
        ],
        method="judge_effects",
        top_n=2,
        bootstrap_samples=100,
    )
    # The constant judge says nothing about order: the least weight (spread^2 / noise^2).
    weight = {j.judge_id: (j.spread or 0) ** 2 / (j.noise or 1) ** 2 for j in ranking.judges}
    assert weight[3] < min(weight[1], weight[2])
    assert all(np.isfinite(e.score) for e in ranking.entries)
