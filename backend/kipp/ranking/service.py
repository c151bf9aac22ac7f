"""The ranking the panel sees: final scores from the database through ``compute_ranking``.

SQL first: the final scores of the competition's judged innovations come in one query
(Score ⋈ Scoresheet ⋈ Innovation); the rubric, the panel and the names in three small ones.
``RankingInputs`` is everything the computation needs and nothing else, so the same inputs can
be frozen into the results manifest and recomputed from it later (``kipp.results.manifest``).
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp.competitions.defaults import default_criteria
from kipp.errors import Conflict
from kipp.models import (
    Agency,
    Competition,
    Criterion,
    Innovation,
    Score,
    Scoresheet,
    ScoresheetStatus,
    User,
)
from kipp.panel.assignments import JUDGED_STATUSES, panel_judge_ids
from kipp.ranking import aggregation
from kipp.ranking.schemas import Agreement, JudgeStatsOut, RankingEntryOut, RankingOut, UnrankedOut

DEFAULT_SEED = 20211201
DEFAULT_SAMPLES = 1000
MIN_SAMPLES = 100
MAX_SAMPLES = 10_000


@dataclass(frozen=True)
class RubricRow:
    key: str
    name: str
    weight: float
    min_score: int
    max_score: int


@dataclass(frozen=True)
class InnovationInfo:
    id: int
    title: str
    agency_code: str


@dataclass(frozen=True)
class RankingInputs:
    """Everything ``compute_ranking`` needs for one competition, plus the names to show."""

    top_n: int
    min_judges: int
    rubric: list[RubricRow]
    innovations: list[InnovationInfo]  # the judged ones (eligible and later), by id
    scoresheets: list[aggregation.Scoresheet]  # final sheets only
    panel_judge_ids: list[int]
    judge_names: dict[int, str]

    @property
    def criteria(self) -> list[aggregation.Criterion]:
        return [
            aggregation.Criterion(
                key=r.key, weight=r.weight, min_score=r.min_score, max_score=r.max_score
            )
            for r in self.rubric
        ]


def load_rubric(*, session: Session, competition_id: int) -> list[RubricRow]:
    """The competition's criteria; the default rubric when none were recorded."""
    rows = session.scalars(
        select(Criterion)
        .where(Criterion.competition_id == competition_id)
        .order_by(Criterion.position, Criterion.key)
    ).all()
    if not rows:
        return [
            RubricRow(
                key=c["key"],
                name=c["name"],
                weight=float(c["weight"]),
                min_score=int(c["min_score"]),
                max_score=int(c["max_score"]),
            )
            for c in default_criteria()
        ]
    return [
        RubricRow(
            key=c.key, name=c.name, weight=c.weight, min_score=c.min_score, max_score=c.max_score
        )
        for c in rows
    ]


def load_inputs(*, session: Session, competition: Competition) -> RankingInputs:
    """Everything the ranking of ``competition`` needs, in four queries."""
    innovations = [
        InnovationInfo(id=i, title=t, agency_code=a)
        for i, t, a in session.execute(
            select(Innovation.id, Innovation.title, Agency.code)
            .join(Agency, Agency.id == Innovation.agency_id)
            .where(
                Innovation.competition_id == competition.id,
                Innovation.status.in_(JUDGED_STATUSES),
            )
            .order_by(Innovation.id)
        )
    ]
    # The one query for the scores: plain rows through the session's connection (the ORM's
    # row processing would double the time at national scale), no join to innovations and
    # no ORDER BY; grouping and the eligibility filter are cheap in Python.
    judged = {i.id for i in innovations}
    score_rows = (
        session.connection()
        .execute(
            select(Scoresheet.innovation_id, Scoresheet.judge_id, Score.criterion_key, Score.value)
            .join(Score, Score.scoresheet_id == Scoresheet.id)
            .where(
                Scoresheet.competition_id == competition.id,
                Scoresheet.status == ScoresheetStatus.FINAL,
            )
        )
        .all()
    )  # fetchall: iterating the cursor row by row costs twice as much
    sheets = sheets_from_rows(score_rows, innovation_ids=judged)
    panel = panel_judge_ids(session=session, competition_id=competition.id)
    judge_ids = set(panel) | {s.judge_id for s in sheets}
    names = (
        dict(session.execute(select(User.id, User.full_name).where(User.id.in_(judge_ids))).all())
        if judge_ids
        else {}
    )
    return RankingInputs(
        top_n=competition.top_n,
        min_judges=competition.min_judges,
        rubric=load_rubric(session=session, competition_id=competition.id),
        innovations=innovations,
        scoresheets=sheets,
        panel_judge_ids=panel,
        judge_names=names,
    )


def sheets_from_rows(
    rows: Iterable[Sequence[Any]], *, innovation_ids: Container[int] | None = None
) -> list[aggregation.Scoresheet]:
    """(innovation_id, judge_id, criterion_key, value) rows, in any order, to scoresheets
    (only those of ``innovation_ids`` when given)."""
    grouped: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for innovation_id, judge_id, key, value in rows:
        grouped[innovation_id, judge_id][key] = value
    return [
        aggregation.Scoresheet(innovation_id=innovation_id, judge_id=judge_id, scores=scores)
        for (innovation_id, judge_id), scores in grouped.items()
        if innovation_ids is None or innovation_id in innovation_ids
    ]


def compute(
    inputs: RankingInputs, *, method: str, seed: int, bootstrap_samples: int
) -> aggregation.Ranking:
    """Rank ``inputs`` by ``method``; 409 when final sheets no longer fit the rubric."""
    try:
        return aggregation.compute_ranking(
            innovation_ids=[i.id for i in inputs.innovations],
            criteria=inputs.criteria,
            scoresheets=inputs.scoresheets,
            method=method,
            top_n=inputs.top_n,
            min_judges=inputs.min_judges,
            panel_judge_ids=inputs.panel_judge_ids,
            bootstrap_samples=bootstrap_samples,
            seed=seed,
        )
    except ValueError as exc:
        # Final sheets that no longer fit the rubric: the data needs fixing, not guessing.
        raise Conflict(f"The scores cannot be ranked: {exc}.") from exc


def payload(ranking: aggregation.Ranking, inputs: RankingInputs) -> RankingOut:
    """The ranking as the API shows it (and, dumped to JSON, as the manifest keeps it)."""
    info = {i.id: i for i in inputs.innovations}
    return RankingOut(
        method=ranking.method,
        top_n=ranking.top_n,
        min_judges=inputs.min_judges,
        tie_at_cutoff=ranking.tie_at_cutoff,
        seed=ranking.seed,
        bootstrap_samples=ranking.bootstrap_samples,
        agreement=Agreement(kendalls_w=ranking.kendalls_w),
        judges=[
            JudgeStatsOut(
                judge_id=j.judge_id,
                full_name=inputs.judge_names.get(j.judge_id, ""),
                scored=j.scored,
                mean_total=j.mean_total,
                sd_total=j.sd_total,
                offset=j.offset,
            )
            for j in ranking.judges
        ],
        entries=[
            RankingEntryOut(
                rank=e.rank,
                innovation_id=e.innovation_id,
                title=info[e.innovation_id].title,
                agency_code=info[e.innovation_id].agency_code,
                score=e.score,
                raw_score=e.raw_score,
                calibrated_score=e.calibrated_score,
                judge_count=e.judge_count,
                criteria=e.criteria,
                judge_totals=e.judge_totals,
                tie=e.tie,
                in_top=e.in_top,
                p_top=e.p_top,
            )
            for e in ranking.entries
        ],
        unranked=[
            UnrankedOut(
                innovation_id=u.innovation_id,
                title=info[u.innovation_id].title,
                agency_code=info[u.innovation_id].agency_code,
                judge_count=u.judge_count,
            )
            for u in ranking.unranked
        ],
    )


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector while the scores are loaded and ranked.

    The national round allocates some 150,000 short-lived acyclic objects (rows, sheets);
    each allocation burst otherwise triggers full collections that walk every live object,
    which measured as ~40 % of the endpoint's time. Reference counting still frees them;
    the collector resumes (and catches up) right after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def competition_ranking(
    *,
    session: Session,
    competition: Competition,
    method: str | None = None,
    seed: int = DEFAULT_SEED,
    bootstrap_samples: int = DEFAULT_SAMPLES,
) -> RankingOut:
    """The competition's ranking by ``method`` (default: the competition's own method)."""
    with gc_paused():
        inputs = load_inputs(session=session, competition=competition)
        ranking = compute(
            inputs,
            method=method or competition.aggregation_method,
            seed=seed,
            bootstrap_samples=bootstrap_samples,
        )
        return payload(ranking, inputs)
