"""The ranking the panel sees: final scores from the database through ``compute_ranking``.

SQL first: the final scores of the competition's judged innovations come in one query
(Score ⋈ Scoresheet), packed by the database into one value and read by numpy, or as plain
integer tuples from the driver's cursor (``kipp.ranking.scores``), and become numpy columns
(``ScoreTable``) without an object per row; the rubric, the panel and the names in small ones.
``RankingInputs`` is everything the computation needs and nothing else, so the same inputs can
be frozen into the results manifest and recomputed from it later (``kipp.results.manifest``).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from kipp.competitions.defaults import default_criteria
from kipp.errors import Conflict
from kipp.i18n import Msg
from kipp.models import (
    Agency,
    Competition,
    Criterion,
    Innovation,
    Organisation,
    User,
)
from kipp.panel.assignments import JUDGED_STATUSES, panel_judge_ids
from kipp.ranking import aggregation
from kipp.ranking import scores as ranking_scores
from kipp.ranking.explanation import Language, explanation
from kipp.ranking.schemas import RankingOut
from kipp.ranking.totals import IntArray

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


AGENCY_REGION_SEPARATOR = " · "


class InnovationInfo(NamedTuple):
    """A judged innovation's name as the ranking shows it (a tuple: 3,000 of them are
    built from the driver's rows in one call). ``agency_code`` is the agency's code, and for
    an agency of another organisation than the competition's, `` · `` and that
    organisation's region (its name when it has none): ``DINKES · Luwu Utara``."""

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
    scoresheets: Sequence[aggregation.Scoresheet] | aggregation.ScoreTable  # final sheets only
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

    @property
    def score_table(self) -> aggregation.ScoreTable:
        """The final scores as columns (criteria indexed in rubric order)."""
        if isinstance(self.scoresheets, aggregation.ScoreTable):
            return self.scoresheets
        return aggregation.ScoreTable.from_sheets(self.scoresheets, [r.key for r in self.rubric])


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
    """Everything the ranking of ``competition`` needs, in six small queries."""
    connection = session.connection()
    # An agency of another organisation (a proposal promoted from the level below) is named
    # with its organisation's region: agency codes repeat from one organisation to the next.
    agency_label = case(
        (Agency.organisation_id == competition.organisation_id, Agency.code),
        else_=Agency.code
        + literal(AGENCY_REGION_SEPARATOR)
        + func.coalesce(func.nullif(Organisation.region, ""), Organisation.name),
    )
    innovations = list(
        map(
            InnovationInfo._make,
            ranking_scores.driver_rows(
                connection,
                select(Innovation.id, Innovation.title, agency_label)
                .join(Agency, Agency.id == Innovation.agency_id)
                .join(Organisation, Organisation.id == Agency.organisation_id)
                .where(
                    Innovation.competition_id == competition.id,
                    Innovation.status.in_(JUDGED_STATUSES),
                )
                .order_by(Innovation.id),
            ),
        )
    )
    rubric = load_rubric(session=session, competition_id=competition.id)
    keys = tuple(r.key for r in rubric)
    columns = ranking_scores.score_columns(
        connection,
        competition_id=competition.id,
        keys=keys,
        scale=(min(r.min_score for r in rubric), max(r.max_score for r in rubric)),
    )
    ids = np.fromiter((i.id for i in innovations), dtype=np.int64, count=len(innovations))
    judged = np.isin(columns[:, 0], ids)
    if not judged.all():  # scores of innovations no longer judged (withdrawn, say)
        columns = columns[judged]
    unknown = columns[:, 2] < 0
    table = aggregation.ScoreTable.of(
        (*keys, "?"),  # index -1 names the unknown criterion in the error
        columns[:, 0],
        columns[:, 1],
        np.where(unknown, len(keys), columns[:, 2]),
        columns[:, 3],
    )
    panel = panel_judge_ids(session=session, competition_id=competition.id)
    judge_ids = set(panel) | set(_distinct(table.judge))
    names = (
        dict(session.execute(select(User.id, User.full_name).where(User.id.in_(judge_ids))).all())
        if judge_ids
        else {}
    )
    return RankingInputs(
        top_n=competition.top_n,
        min_judges=competition.min_judges,
        rubric=rubric,
        innovations=innovations,
        scoresheets=table,
        panel_judge_ids=panel,
        judge_names=names,
    )


def _distinct(ids: IntArray) -> list[int]:
    """The distinct ids, ascending: counted when they are small (as user ids are beside a
    national round's 126,000 scores), else sorted."""
    if len(ids) and int(ids.min()) >= 0 and int(ids.max()) < 8 * len(ids) + 1024:
        distinct: list[int] = np.flatnonzero(np.bincount(ids)).tolist()
        return distinct
    unique: list[int] = np.unique(ids).tolist()
    return unique


def score_table_from_rows(
    rows: Iterable[Sequence[Any]], *, keys: Sequence[str]
) -> aggregation.ScoreTable:
    """(innovation_id, judge_id, criterion_key, value) rows, in any order, as columns;
    criterion keys outside ``keys`` are kept (the ranking refuses them)."""
    index = {key: i for i, key in enumerate(keys)}
    innovation, judge, criterion, value = [], [], [], []
    for innovation_id, judge_id, key, score in rows:
        innovation.append(innovation_id)
        judge.append(judge_id)
        criterion.append(index.setdefault(key, len(index)))
        value.append(score)
    return aggregation.ScoreTable.of(tuple(index), innovation, judge, criterion, value)


def compute(
    inputs: RankingInputs, *, method: str, seed: int, bootstrap_samples: int
) -> aggregation.Ranking:
    """Rank ``inputs`` by ``method``; 409 when final sheets no longer fit the rubric."""
    try:
        return aggregation.compute_ranking(
            innovation_ids=[i.id for i in inputs.innovations],
            criteria=inputs.criteria,
            scoresheets=inputs.score_table,
            method=method,
            top_n=inputs.top_n,
            min_judges=inputs.min_judges,
            panel_judge_ids=inputs.panel_judge_ids,
            bootstrap_samples=bootstrap_samples,
            seed=seed,
        )
    except ValueError as exc:
        # Final sheets that no longer fit the rubric: the data needs fixing, not guessing.
        raise Conflict(
            Msg(
                id="Nilai tidak dapat diperingkat: {why}.", en="The scores cannot be ranked: {why}."
            ).format(why=exc)
        ) from exc


def payload(
    ranking: aggregation.Ranking, inputs: RankingInputs, *, language: Language = "id"
) -> RankingOut:
    """The ranking as the API shows it (and, dumped to JSON, as the manifest keeps it: the
    manifest's explanation is the default language's).

    Built as plain data and validated once (pydantic's core walks it in one call: at 3,000
    entries a model constructed per entry cost three times as much)."""
    info = {i.id: (i.title, i.agency_code) for i in inputs.innovations}
    names = inputs.judge_names
    entries = []
    for e in ranking.entries:
        entry = e.__dict__.copy()
        entry["title"], entry["agency_code"] = info[e.innovation_id]
        if e.calibration_moves:
            entry["calibration_moves"] = [
                {"judge_id": m.judge_id, "full_name": names.get(m.judge_id, ""), "points": m.points}
                for m in e.calibration_moves
            ]
        entries.append(entry)
    return RankingOut.model_validate(
        {
            "method": ranking.method,
            "top_n": ranking.top_n,
            "min_judges": inputs.min_judges,
            "tie_at_cutoff": ranking.tie_at_cutoff,
            "seed": ranking.seed,
            "bootstrap_samples": ranking.bootstrap_samples,
            "explanation": explanation(
                method=ranking.method,
                top_n=ranking.top_n,
                draws=ranking.bootstrap_samples,
                language=language,
            ),
            "agreement": {
                "kendalls_w": ranking.kendalls_w,
                "kendalls_w_innovations": ranking.kendalls_w_innovations,
                "krippendorffs_alpha": ranking.krippendorffs_alpha,
            },
            "uncertainty": {
                "draws": ranking.bootstrap_samples,
                "p_exact_top": ranking.p_exact_top,
                "expected_top_overlap": ranking.expected_top_overlap,
            },
            "judges": [
                {**j.__dict__, "full_name": names.get(j.judge_id, "")} for j in ranking.judges
            ],
            "entries": entries,
            "unranked": [
                {
                    "innovation_id": u.innovation_id,
                    "title": info[u.innovation_id][0],
                    "agency_code": info[u.innovation_id][1],
                    "judge_count": u.judge_count,
                }
                for u in ranking.unranked
            ],
        }
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
    language: Language = "id",
) -> RankingOut:
    """The competition's ranking by ``method`` (default: the competition's own method), its
    explanation in ``language``."""
    with gc_paused():
        inputs = load_inputs(session=session, competition=competition)
        ranking = compute(
            inputs,
            method=method or competition.aggregation_method,
            seed=seed,
            bootstrap_samples=bootstrap_samples,
        )
        out = payload(ranking, inputs, language=language)
        # Freed before the collector resumes: its first pass then walks only the response,
        # not the 3,000 entries and innovations it was built from as well.
        del ranking, inputs
    return out
