"""Simulated panels: does `zscore` find the true TOP 7 more often than `mean`?

The Luwu Utara 2021 field (seed/kipp-luwu-utara-2021.txt): 19 innovations from 10 agencies.
Six judges head agencies that also submit, so each sits out their own agency's innovations
and innovations are scored by different subsets of judges. Every judge sees an innovation's
known true quality shifted by their own leniency, plus noise, through the 1..10 rubric.
"""

from __future__ import annotations

import numpy as np

from kipp.ranking.aggregation import Criterion, Scoresheet, compute_ranking

AGENCY_OF_INNOVATION = [
    "DPMPTSP",  # Si Mira Bersantai
    "DP2KUKM",  # Go Pasar Indah
    "DLH",  # Gersipah
    "DLH",  # Sim B
    "Disporapar",  # Si Sahra
    "Pertanian",  # Si Mas Daring
    "Pertanian",  # Sister Rina
    "Pertanian",  # Pentasital
    "Disdikbud",  # Sikamase
    "Disdikbud",  # Japri Ka Boss
    "Dinkes",  # Kejar Bayi Ta
    "Dinkes",  # Desa Sehat Mandiri
    "Dinkes",  # Sidora Emang
    "Dinkes",  # Kelas Buby
    "Bappelitbangda",  # Pugalu Sip
    "Diskominfo",  # Si Modis Lutra
    "DPMD",  # Kampung Berdaya
    "DPMD",  # Restuku Dahsyat
    "DPMD",  # Kawasan Pedesaan Terintegrasi
]
JUDGE_AGENCIES = ["Diskominfo", "Bappelitbangda", "Dinkes", "DPMD", "Pertanian", "Disdikbud"]
RUBRIC = [
    Criterion(key="kebaruan", weight=25, min_score=1, max_score=10),
    Criterion(key="efektivitas", weight=20, min_score=1, max_score=10),
    Criterion(key="kemanfaatan", weight=20, min_score=1, max_score=10),
    Criterion(key="kemudahan_replikasi", weight=15, min_score=1, max_score=10),
    Criterion(key="keberlanjutan", weight=10, min_score=1, max_score=10),
    Criterion(key="penguasaan_materi", weight=10, min_score=1, max_score=10),
]
TOP_N = 7
PANELS = 300
LENIENCY_SD = 10.0  # points on the 0..100 scale, one draw per judge per panel
NOISE_SD = 8.0  # points, one draw per criterion score

INNOVATION_IDS = list(range(1, len(AGENCY_OF_INNOVATION) + 1))
# Known true quality, 2.5 points apart, in an order unrelated to the agencies.
TRUE_QUALITY = dict(
    zip(
        INNOVATION_IDS,
        np.random.default_rng(19).permutation(np.linspace(30.0, 75.0, 19)).tolist(),
        strict=True,
    )
)
TRUE_TOP = set(sorted(INNOVATION_IDS, key=lambda i: -TRUE_QUALITY[i])[:TOP_N])


def simulated_sheets(rng: np.random.Generator) -> list[Scoresheet]:
    leniency = rng.normal(0.0, LENIENCY_SD, size=len(JUDGE_AGENCIES))
    sheets = []
    for judge, agency in enumerate(JUDGE_AGENCIES):
        for innovation, own_agency in zip(INNOVATION_IDS, AGENCY_OF_INNOVATION, strict=True):
            if own_agency == agency:
                continue  # conflict of interest: never scores their own agency
            perceived = TRUE_QUALITY[innovation] + leniency[judge]
            perceived += rng.normal(0.0, NOISE_SD, size=len(RUBRIC))
            scale = np.clip(np.rint(1 + perceived / 100 * 9), 1, 10).astype(int).tolist()
            scores = {c.key: s for c, s in zip(RUBRIC, scale, strict=True)}
            sheets.append(Scoresheet(innovation_id=innovation, judge_id=judge + 1, scores=scores))
    return sheets


def computed_top(sheets: list[Scoresheet], method: str) -> set[int]:
    ranking = compute_ranking(
        innovation_ids=INNOVATION_IDS,
        criteria=RUBRIC,
        scoresheets=sheets,
        method=method,
        top_n=TOP_N,
        bootstrap_samples=1,  # p_top is not used here: keep the bootstrap minimal
    )
    return {entry.innovation_id for entry in ranking.entries if entry.in_top}


def test_zscore_recovers_the_true_top_7_more_often_than_mean() -> None:
    hits = {"mean": 0, "zscore": 0}
    for panel in range(PANELS):
        sheets = simulated_sheets(np.random.default_rng([2021, panel]))
        for method in hits:
            hits[method] += computed_top(sheets, method) == TRUE_TOP
    rates = {method: count / PANELS for method, count in hits.items()}
    report = (
        f"true TOP {TOP_N} recovered over {PANELS} panels: "
        f"mean {rates['mean']:.1%}, zscore {rates['zscore']:.1%}"
    )
    print(report)
    assert rates["zscore"] > rates["mean"], report
