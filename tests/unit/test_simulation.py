"""Simulated panels, small and fast: does ``judge_effects`` find the true TOP 7 as often as
``zscore`` and more often than ``mean``?

The full benchmark (2,000 panels per case, every method, an oracle, calibration of p_top) is
``python -m bench.simulation``; its figures are in docs/judging.md. This keeps 150 panels of
two of its cases: the Luwu Utara 2021 field (six judges who sit out their own agency's
innovations) with lenient and harsh judges, and twelve judges who each score 10 of 19.
"""

from __future__ import annotations

import numpy as np
from bench.simulation import CASES, INNOVATIONS, RUBRIC, TOP_N, panel

from kipp.ranking.aggregation import compute_ranking

PANELS = 150
METHODS = ("mean", "zscore", "judge_effects")
TOLERANCE = 0.03  # three percentage points: 150 panels are a small sample


def recovery(case_key: str) -> dict[str, float]:
    case = next(c for c in CASES if c.key == case_key)
    hits = dict.fromkeys(METHODS, 0)
    for number in range(PANELS):
        sheets, quality, _ = panel(case, np.random.default_rng([7, number]))
        truth = set((np.argsort(-quality)[:TOP_N] + 1).tolist())
        for method in METHODS:
            ranking = compute_ranking(
                innovation_ids=list(range(1, INNOVATIONS + 1)),
                criteria=RUBRIC,
                scoresheets=sheets,
                method=method,
                top_n=TOP_N,
                bootstrap_samples=1,  # p_top is not used here
            )
            hits[method] += {e.innovation_id for e in ranking.entries if e.in_top} == truth
    rates = {method: count / PANELS for method, count in hits.items()}
    print(case_key, rates)
    return rates


def test_judge_effects_with_lenient_and_harsh_judges() -> None:
    rates = recovery("leniency-1.5")
    assert rates["judge_effects"] >= rates["zscore"] - TOLERANCE, rates
    assert rates["judge_effects"] > rates["mean"], rates


def test_judge_effects_when_judges_score_different_halves() -> None:
    rates = recovery("half-12")
    assert rates["judge_effects"] >= rates["zscore"] - TOLERANCE, rates
    assert rates["judge_effects"] > rates["mean"], rates
