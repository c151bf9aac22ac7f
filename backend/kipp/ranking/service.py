"""The ranking the panel sees: final scores from the database through ``compute_ranking``.

SQL first: the final scores of the competition's judged innovations come in one query
(Score ⋈ Scoresheet, the criterion as its rubric position), fetched as plain integer tuples
with the driver's cursor on the session's own connection and turned into numpy columns
(``ScoreTable``) without an object per row; the rubric, the panel and the names in small ones.
``RankingInputs`` is everything the computation needs and nothing else, so the same inputs can
be frozen into the results manifest and recomputed from it later (``kipp.results.manifest``).
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import (
    BigInteger,
    Connection,
    Executable,
    LargeBinary,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy.orm import Session

from kipp.competitions.defaults import default_criteria
from kipp.errors import Conflict
from kipp.i18n import Msg
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


def driver_rows(connection: Connection, statement: Executable) -> Sequence[Any]:
    """A SELECT of plain columns (no type processing needed) as the driver's tuples.

    SQLAlchemy compiles the statement and binds its parameters; the rows are then fetched
    straight from the driver's cursor (``CursorResult.cursor``), so neither ORM objects nor
    SQLAlchemy ``Row``s are built: at 126,000 rows they cost more than the ranking itself.
    """
    result = connection.execute(statement)
    try:
        rows = result.cursor.fetchall()  # row-by-row iteration costs more
    finally:
        result.close()
    return rows


def fetch_int_rows(connection: Connection, statement: Executable, width: int) -> IntArray:
    """An all-integer SELECT as an (rows x ``width``) int64 array (``driver_rows``)."""
    rows = driver_rows(connection, statement)
    flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=width * len(rows))
    return flat.reshape(len(rows), width)


def _score_columns(
    connection: Connection, *, competition_id: int, keys: tuple[str, ...], rubric: list[RubricRow]
) -> IntArray:
    """The competition's final scores as (rows x 4) int64: innovation id, judge id, criterion
    index in ``keys`` (-1: a key outside the rubric), value. Packed on the server when every
    score fits (``_packed_score_columns``), else as plain integer tuples."""
    packed = _packed_score_columns(
        connection, competition_id=competition_id, keys=keys, rubric=rubric
    )
    if packed is not None:
        return packed
    return _plain_score_columns(connection, competition_id=competition_id, keys=keys)


def _plain_score_columns(
    connection: Connection, *, competition_id: int, keys: tuple[str, ...]
) -> IntArray:
    """``_score_columns`` as the driver's integer tuples, one per score."""
    # One query for the scores, no join to innovations and no ORDER BY (grouping and the
    # eligibility filter are cheap in numpy); a criterion outside the rubric comes as -1 and
    # is refused by the ranking (409) rather than dropped.
    criterion = case(
        {key: index for index, key in enumerate(keys)}, value=Score.criterion_key, else_=-1
    )
    return fetch_int_rows(
        connection,
        select(Scoresheet.innovation_id, Scoresheet.judge_id, criterion, Score.value)
        .join(Score, Score.scoresheet_id == Scoresheet.id)
        .where(
            Scoresheet.competition_id == competition_id,
            Scoresheet.status == ScoresheetStatus.FINAL,
        ),
        4,
    )


@dataclass(frozen=True)
class _Packing:
    """Where each field of a packed score lies: the value in the lowest ``value_bits``, then
    the criterion (1 + its index, 0 for a key outside the rubric; none when grouped by
    criterion), the judge id, and the innovation id in the highest."""

    value_bits: int
    criterion_bits: int
    judge_bits: int
    innovation_bits: int

    @property
    def criterion_shift(self) -> int:
        return self.value_bits

    @property
    def judge_shift(self) -> int:
        return self.value_bits + self.criterion_bits

    @property
    def innovation_shift(self) -> int:
        return self.judge_shift + self.judge_bits

    def fits(self, innovations: int, judges: int, values: int) -> bool:
        """Whether scores whose innovation ids, judge ids and values OR to these were
        packed exactly: none negative, none wider than its field."""
        return all(
            ored >= 0 and ored.bit_length() <= bits
            for ored, bits in (
                (innovations, self.innovation_bits),
                (judges, self.judge_bits),
                (values, self.value_bits),
            )
        )

    def unpack(self, packed: IntArray, criterion: IntArray | int) -> IntArray:
        """(rows x 4): innovation id, judge id, criterion index, value."""
        columns = np.empty((len(packed), 4), dtype=np.int64)
        columns[:, 0] = packed >> self.innovation_shift
        columns[:, 1] = (packed >> self.judge_shift) & (2**self.judge_bits - 1)
        columns[:, 2] = criterion
        columns[:, 3] = packed & (2**self.value_bits - 1)
        return columns


def _packed_score_columns(
    connection: Connection, *, competition_id: int, keys: tuple[str, ...], rubric: list[RubricRow]
) -> IntArray | None:
    """The final scores packed on the server: one 63-bit integer per score (innovation id,
    judge id, criterion, value, each in as many bits as the largest one needs, see
    ``_Packing``), aggregated into ONE value and read by numpy in one call. At 126,000 scores
    this takes about half the time of fetching the same rows with the plain driver (a Python
    tuple and int objects per row).

    - PostgreSQL: one row per criterion key (``GROUP BY``: no ``CASE`` per row), its scores
      as a bytea of big-endian int8 (``string_agg(int8send(…))``) beside their count and one
      ``bit_or`` of each column (native aggregates, cheaper than min and max);
    - SQLite (where a GROUP BY sorts): one row, the criterion packed too, the scores as a
      comma-separated text (``group_concat``), their count and whether any did not fit.

    Exact or nothing: the widths come from the largest innovation and user ids and the
    rubric's scale; a score that does not fit them (a negative value or one too wide for
    the rubric's largest maximum after a rubric edit, an id created since) or a rubric with a
    negative minimum makes this return ``None`` and the caller
    fetches the plain rows (which the ranking then checks and refuses with its usual
    message). ``None`` too on another database."""
    dialect = connection.dialect.name
    if dialect not in ("postgresql", "sqlite"):
        return None
    bounds = connection.execute(
        select(
            select(func.max(Innovation.id)).scalar_subquery(),
            select(func.max(User.id)).scalar_subquery(),
        )
    ).one()
    if min(r.min_score for r in rubric) < 0:  # a value's sign would need a bit of its own
        return None
    packing = _Packing(
        value_bits=max(r.max_score for r in rubric).bit_length(),
        criterion_bits=0 if dialect == "postgresql" else len(keys).bit_length(),
        judge_bits=int(bounds[1] or 0).bit_length(),
        innovation_bits=int(bounds[0] or 0).bit_length(),
    )
    if packing.innovation_shift + packing.innovation_bits > 63:
        return None

    def int8(column: Any) -> Any:  # PostgreSQL shifts an int4 modulo 32; SQLite's are int8
        return cast(column, BigInteger) if dialect == "postgresql" else column

    def shift(column: Any, operator: str, bits: int) -> Any:
        return int8(column).op(operator)(literal_column(str(bits)))

    value = int8(Score.value)
    # Shifts and ORs never raise (a product could overflow, on PostgreSQL, in the middle of
    # a request); a field too wide for its bits is caught by the extremes instead.
    packed = (
        shift(Scoresheet.innovation_id, "<<", packing.innovation_shift)
        .op("|")(shift(Scoresheet.judge_id, "<<", packing.judge_shift))
        .op("|")(value)
    )
    final = (
        Scoresheet.competition_id == competition_id,
        Scoresheet.status == ScoresheetStatus.FINAL,
    )
    if dialect == "postgresql":
        groups = connection.execute(
            select(
                Score.criterion_key,
                func.string_agg(func.int8send(packed), literal(b"", LargeBinary)),
                func.count(),
                # One OR of each column: negative if any is, else as wide as the widest.
                func.bit_or(Scoresheet.innovation_id),
                func.bit_or(Scoresheet.judge_id),
                func.bit_or(Score.value),
            )
            .select_from(Scoresheet)
            .join(Score, Score.scoresheet_id == Scoresheet.id)
            .where(*final)
            .group_by(Score.criterion_key)
        ).all()
        index = {key: i for i, key in enumerate(keys)}
        parts = []
        for key, data, count, innovations, judges, values in groups:
            scores = np.frombuffer(data, dtype=">i8").astype(np.int64)
            if len(scores) != count or not packing.fits(innovations, judges, values):
                return None
            parts.append(packing.unpack(scores, index.get(key, -1)))
        return np.concatenate(parts) if parts else np.zeros((0, 4), dtype=np.int64)

    criterion = case(
        {key: index + 1 for index, key in enumerate(keys)}, value=Score.criterion_key, else_=0
    )
    misfit = (
        shift(Scoresheet.innovation_id, ">>", packing.innovation_bits)
        .op("|")(shift(Scoresheet.judge_id, ">>", packing.judge_bits))
        .op("|")(value.op(">>")(literal_column(str(packing.value_bits))))
    ) != 0
    data, count, misfits = connection.execute(
        select(
            func.group_concat(packed.op("|")(shift(criterion, "<<", packing.criterion_shift))),
            func.count(),
            func.max(misfit),
        )
        .select_from(Scoresheet)
        .join(Score, Score.scoresheet_id == Scoresheet.id)
        .where(*final)
    ).one()
    if count == 0:
        return np.zeros((0, 4), dtype=np.int64)
    scores = np.fromstring(data, dtype=np.int64, sep=",")
    if misfits or len(scores) != count:
        return None
    criteria = (scores >> packing.criterion_shift) & (2**packing.criterion_bits - 1)
    return packing.unpack(scores, criteria - 1)


def load_inputs(*, session: Session, competition: Competition) -> RankingInputs:
    """Everything the ranking of ``competition`` needs, in six small queries."""
    connection = session.connection()
    innovations = [
        InnovationInfo(i, t, a)
        for i, t, a in driver_rows(
            connection,
            select(Innovation.id, Innovation.title, Agency.code)
            .join(Agency, Agency.id == Innovation.agency_id)
            .where(
                Innovation.competition_id == competition.id,
                Innovation.status.in_(JUDGED_STATUSES),
            )
            .order_by(Innovation.id),
        )
    ]
    rubric = load_rubric(session=session, competition_id=competition.id)
    keys = tuple(r.key for r in rubric)
    columns = _score_columns(connection, competition_id=competition.id, keys=keys, rubric=rubric)
    judged = np.isin(columns[:, 0], np.array([i.id for i in innovations], dtype=np.int64))
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
    judge_ids = set(panel) | set(np.unique(table.judge).tolist())
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
