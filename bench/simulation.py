"""Simulated panels: which method finds the true TOP 7, and is p(TOP 7) honest?

``python -m bench.simulation [--panels N] [--draws D] [--processes P] [--cases a,b]``

Not a unit test (tests/unit/test_simulation.py keeps a small, fast version). Every panel has
19 innovations with a known true quality, scored on the default rubric (6 criteria, 1..10,
weights 25/20/20/15/10/10) by judges who differ in leniency and, in some cases, in how much
of the scale they use. Every method of ``compute_ranking`` (the product code, called
directly) ranks each panel; an *oracle* that knows every judge's true leniency and spread
(and how noisy they are) ranks it too, as the best one could do. Printed per case and method:

- ``exact``: share of panels whose computed TOP 7 is exactly the true TOP 7;
- ``overlap``: mean number of the true TOP 7 inside the computed TOP 7 (out of 7);
- ``brier``: mean (p_top - truly in the TOP 7)^2 over every innovation;
- then, per method, p_top's calibration by decile: mean p, observed TOP-7 rate, count.

How a judge scores: criterion score = round(5.5 + leniency_j + spread_j * (1.5 * Q_i +
sheet noise + criterion noise)) clipped to 1..10, with Q_i ~ N(0, 1) fresh for every panel,
sheet noise ~ N(0, 0.8) (the judge's overall impression of that innovation) and criterion
noise ~ N(0, 1.0). In the "not scaled" case the noise is added outside the spread: a narrow
judge is then simply less discriminating (the same noise on a smaller signal).
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from kipp.ranking.aggregation import METHODS, Criterion, Scoresheet, compute_ranking

FloatArray = npt.NDArray[np.float64]

RUBRIC = [
    Criterion(key="kebaruan", weight=25, min_score=1, max_score=10),
    Criterion(key="efektivitas", weight=20, min_score=1, max_score=10),
    Criterion(key="kemanfaatan", weight=20, min_score=1, max_score=10),
    Criterion(key="kemudahan_replikasi", weight=15, min_score=1, max_score=10),
    Criterion(key="keberlanjutan", weight=10, min_score=1, max_score=10),
    Criterion(key="penguasaan_materi", weight=10, min_score=1, max_score=10),
]
WEIGHTS = np.array([c.weight for c in RUBRIC], dtype=np.float64)
TOP_N = 7
INNOVATIONS = 19
QUALITY_POINTS = 1.5  # rubric points per sd of true quality
SHEET_NOISE = 0.5  # rubric points
CRITERION_NOISE = 0.8  # rubric points
# Luwu Utara 2021: the agency of each innovation, and the six judges' own agencies (a judge
# never scores their own agency's innovations: 14 innovations get 5 judges, 5 get 6).
AGENCY_OF_INNOVATION = [
    "DPMPTSP", "DP2KUKM", "DLH", "DLH", "Disporapar", "Pertanian", "Pertanian", "Pertanian",
    "Disdikbud", "Disdikbud", "Dinkes", "Dinkes", "Dinkes", "Dinkes", "Bappelitbangda",
    "Diskominfo", "DPMD", "DPMD", "DPMD",
]  # fmt: skip
JUDGE_AGENCIES = ["Diskominfo", "Bappelitbangda", "Dinkes", "DPMD", "Pertanian", "Disdikbud"]
LUWU_UTARA = np.array(
    [[agency != judge for agency in AGENCY_OF_INNOVATION] for judge in JUDGE_AGENCIES]
)  # judges x innovations: True where the judge scores the innovation


@dataclass(frozen=True)
class Case:
    key: str
    title: str
    judges: int = 6
    leniency_sd: float = 1.0  # rubric points
    spread_sd: float = 0.0  # sd of log spread
    scaled_noise: bool = True
    each_scores: int | None = None  # a random subset of this size; None: Luwu Utara design


CASES = [
    Case("leniency-0.5", "leniency only, sd 0.5 points", leniency_sd=0.5),
    Case("leniency-1.0", "leniency only, sd 1.0 points", leniency_sd=1.0),
    Case("leniency-1.5", "leniency only, sd 1.5 points", leniency_sd=1.5),
    Case("spread-scaled", "spreads differ, noise scaled", spread_sd=0.45),
    Case("spread-unscaled", "spreads differ, narrow = less discriminating", spread_sd=0.45,
         scaled_noise=False),
    Case("half-12", "12 judges, each scores a random 10 of 19", judges=12, each_scores=10),
    Case("half-12-spread", "12 judges x 10 of 19, spreads differ", judges=12, each_scores=10,
         spread_sd=0.45),
    Case("few-3", "3 judges, each scores a random 15 of 19, spreads differ", judges=3,
         each_scores=15, spread_sd=0.3),
    Case("few-2", "2 judges, both score all 19", judges=2, each_scores=19),
]  # fmt: skip
ORACLE = "oracle"


@dataclass
class Tally:
    exact: int = 0
    overlap: int = 0
    brier: float = 0.0
    p_sum: FloatArray = field(default_factory=lambda: np.zeros(10))
    hit_sum: FloatArray = field(default_factory=lambda: np.zeros(10))
    count: FloatArray = field(default_factory=lambda: np.zeros(10))
    # Paired with ``zscore`` on the same panels: exact here but not there, and the reverse.
    only_this: int = 0
    only_zscore: int = 0

    def add(self, other: Tally) -> None:
        self.only_this += other.only_this
        self.only_zscore += other.only_zscore
        self.exact += other.exact
        self.overlap += other.overlap
        self.brier += other.brier
        self.p_sum += other.p_sum
        self.hit_sum += other.hit_sum
        self.count += other.count


PAIRED_WITH = "zscore"


def design(case: Case, rng: np.random.Generator) -> npt.NDArray[np.bool_]:
    if case.each_scores is None:
        return LUWU_UTARA.copy()
    while True:  # every innovation needs at least one judge to be ranked against the truth
        keys = rng.random((case.judges, INNOVATIONS))
        cut = np.sort(keys, axis=1)[:, case.each_scores - 1 : case.each_scores]
        scores = keys <= cut
        if scores.any(axis=0).all():
            return scores


def panel(case: Case, rng: np.random.Generator) -> tuple[list[Scoresheet], FloatArray, FloatArray]:
    """One simulated panel: its sheets, the true qualities, and the oracle's scores."""
    quality = rng.standard_normal(INNOVATIONS)
    leniency = rng.normal(0.0, case.leniency_sd, case.judges)
    spread = np.exp(rng.normal(0.0, case.spread_sd, case.judges)) if case.spread_sd else None
    spread = spread if spread is not None else np.ones(case.judges)
    scores_it = design(case, rng)
    judge, innovation = np.nonzero(scores_it)
    noise = rng.normal(0.0, SHEET_NOISE, len(judge))[:, None] + rng.normal(
        0.0, CRITERION_NOISE, (len(judge), len(RUBRIC))
    )
    signal = QUALITY_POINTS * quality[innovation][:, None]
    b = spread[judge][:, None]
    perceived = b * (signal + noise) if case.scaled_noise else b * signal + noise
    raw = np.clip(np.rint(5.5 + leniency[judge][:, None] + perceived), 1, 10).astype(np.int64)
    keys = [c.key for c in RUBRIC]
    sheets = [
        Scoresheet(
            innovation_id=int(i) + 1,
            judge_id=int(j) + 1,
            scores=dict(zip(keys, row, strict=True)),
        )
        for i, j, row in zip(innovation.tolist(), judge.tolist(), raw.tolist(), strict=True)
    ]
    # The oracle undoes each judge's known leniency and spread on the weighted mean score,
    # and weights judges by their signal-to-noise (equal when the noise is scaled).
    mean_score = (raw * WEIGHTS).sum(axis=1) / WEIGHTS.sum()
    decalibrated = (mean_score - 5.5 - leniency[judge]) / spread[judge]
    weight = np.ones(len(judge)) if case.scaled_noise else spread[judge] ** 2
    oracle = np.bincount(innovation, weight * decalibrated, INNOVATIONS) / np.bincount(
        innovation, weight, INNOVATIONS
    )
    return sheets, quality, oracle


def run_case(case: Case, panels: range, draws: int) -> dict[str, Tally]:
    tallies = {method: Tally() for method in (*METHODS, ORACLE)}
    ids = list(range(1, INNOVATIONS + 1))
    for number in panels:
        rng = np.random.default_rng([20211201, CASES.index(case), number])
        sheets, quality, oracle = panel(case, rng)
        truth = np.zeros(INNOVATIONS, dtype=np.bool_)
        truth[np.argsort(-quality)[:TOP_N]] = True
        oracle_top = np.zeros(INNOVATIONS, dtype=np.bool_)
        oracle_top[np.argsort(-oracle, kind="stable")[:TOP_N]] = True
        _count(tallies[ORACLE], oracle_top, truth, None)
        exact: dict[str, bool] = {}
        for method in METHODS:
            ranking = compute_ranking(
                innovation_ids=ids,
                criteria=RUBRIC,
                scoresheets=sheets,
                method=method,
                top_n=TOP_N,
                bootstrap_samples=draws,
                seed=number,
            )
            top = np.zeros(INNOVATIONS, dtype=np.bool_)
            p_top = np.zeros(INNOVATIONS)
            for entry in ranking.entries:
                top[entry.innovation_id - 1] = entry.in_top
                p_top[entry.innovation_id - 1] = entry.p_top
            _count(tallies[method], top, truth, p_top)
            exact[method] = bool((top == truth).all())
        for method in METHODS:
            tallies[method].only_this += exact[method] and not exact[PAIRED_WITH]
            tallies[method].only_zscore += exact[PAIRED_WITH] and not exact[method]
    return tallies


def paired_difference(tally: Tally, panels: int) -> tuple[float, float, float]:
    """Exact-recovery difference against ``zscore`` on the same panels, with its 95 %
    confidence interval (normal approximation for paired proportions, McNemar's setting)."""
    b, c = tally.only_this, tally.only_zscore
    difference = (b - c) / panels
    se = math.sqrt(max(b + c - (b - c) ** 2 / panels, 0.0)) / panels
    return difference, difference - 1.96 * se, difference + 1.96 * se


def _count(
    tally: Tally,
    top: npt.NDArray[np.bool_],
    truth: npt.NDArray[np.bool_],
    p_top: FloatArray | None,
) -> None:
    tally.exact += bool((top == truth).all())
    tally.overlap += int((top & truth).sum())
    if p_top is not None:
        tally.brier += float(((p_top - truth) ** 2).sum())
        decile = np.minimum((p_top * 10).astype(np.int64), 9)
        tally.p_sum += np.bincount(decile, p_top, 10)
        tally.hit_sum += np.bincount(decile, truth.astype(np.float64), 10)
        tally.count += np.bincount(decile, minlength=10)


def _split(total: int, parts: int) -> list[range]:
    edges = np.linspace(0, total, parts + 1).astype(int).tolist()
    return [range(a, b) for a, b in itertools.pairwise(edges) if b > a]


def simulate(
    cases: Sequence[Case], panels: int, draws: int, processes: int
) -> dict[str, dict[str, Tally]]:
    results: dict[str, dict[str, Tally]] = {}
    with ProcessPoolExecutor(max_workers=processes) as pool:
        jobs = {
            case.key: [pool.submit(run_case, case, part, draws) for part in _split(panels, 8)]
            for case in cases
        }
        for key, futures in jobs.items():
            merged = {method: Tally() for method in (*METHODS, ORACLE)}
            for future in futures:
                for method, tally in future.result().items():
                    merged[method].add(tally)
            results[key] = merged
    return results


def report(cases: Sequence[Case], results: dict[str, dict[str, Tally]], panels: int) -> str:
    methods = (*METHODS, ORACLE)
    lines = [
        f"exact TOP {TOP_N} recovered (mean overlap of {TOP_N}) over {panels} panels per case",
        "",
        "| case | " + " | ".join(f"`{m}`" for m in methods) + " |",
        "|---|" + "---|" * len(methods),
    ]
    for case in cases:
        cells = [
            f"{results[case.key][m].exact / panels:.1%} ({results[case.key][m].overlap / panels:.2f})"
            for m in methods
        ]
        lines.append(f"| {case.title} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"Brier score of p_top (lower is better), {INNOVATIONS} innovations per panel",
        "",
    ]
    lines += ["| case | " + " | ".join(f"`{m}`" for m in METHODS) + " |"]
    lines += ["|---|" + "---|" * len(METHODS)]
    for case in cases:
        cells = [f"{results[case.key][m].brier / (panels * INNOVATIONS):.4f}" for m in METHODS]
        lines.append(f"| {case.title} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"`judge_effects` - `zscore`, exact TOP {TOP_N} on the same panels (points, 95 % CI; "
        "panels only one of them got exactly)",
        "",
        "| case | difference | 95 % CI | only `judge_effects` | only `zscore` |",
        "|---|---|---|---|---|",
    ]
    for case in cases:
        tally = results[case.key]["judge_effects"]
        difference, low, high = paired_difference(tally, panels)
        lines.append(
            f"| {case.title} | {difference * 100:+.2f} | {low * 100:+.2f} … {high * 100:+.2f} "
            f"| {tally.only_this} | {tally.only_zscore} |"
        )
    for method in METHODS:
        lines += ["", f"calibration of p_top, `{method}`: mean p / observed TOP-{TOP_N} rate (n)"]
        lines += [
            "",
            "| case | "
            + " | ".join(f"{d / 10:.1f}–{(d + 1) / 10:.1f}" for d in range(10))
            + " | worst gap |",
        ]
        lines += ["|---|" + "---|" * 11]
        for case in cases:
            tally = results[case.key][method]
            cells, worst = [], 0.0
            for d in range(10):
                if tally.count[d] == 0:
                    cells.append("–")
                    continue
                mean_p = tally.p_sum[d] / tally.count[d]
                rate = tally.hit_sum[d] / tally.count[d]
                cells.append(f"{mean_p:.2f} / {rate:.2f} ({int(tally.count[d])})")
                if tally.count[d] >= 100:
                    worst = max(worst, abs(mean_p - rate))
            lines.append(f"| {case.title} | " + " | ".join(cells) + f" | {worst * 100:.1f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--panels", type=int, default=2000, help="panels per case")
    parser.add_argument("--draws", type=int, default=100, help="p_top draws per ranking")
    parser.add_argument("--processes", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--cases", default="", help="comma-separated case keys (default all)")
    args = parser.parse_args()
    wanted = [c for c in CASES if not args.cases or c.key in args.cases.split(",")]
    started = time.perf_counter()
    results = simulate(wanted, args.panels, args.draws, args.processes)
    print(report(wanted, results, args.panels))
    print(f"\n{time.perf_counter() - started:.0f} s, {args.draws} draws per p_top")


if __name__ == "__main__":
    main()
