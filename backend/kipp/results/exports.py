"""The judging's tables for download: every score, and the ranking (streamed)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Executable, case, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from kipp.models import Agency, Competition, Innovation, Score, Scoresheet, User
from kipp.ranking import service as ranking_service
from kipp.ranking.explanation import Language
from kipp.results import nomination as nomination_service
from kipp.tables import Table, defused

SCORES_HEADER = [
    "innovation_id",
    "innovation_title",
    "agency_code",
    "judge_id",
    "judge_name",
    "criterion_key",
    "weight",
    "score",
    "sheet_status",
    "submitted_at",
]
_FETCH = 2000  # rows per fetch from the cursor (server-side on PostgreSQL)


def scores_table(
    *, session: Session, competition: Competition, method: str | None, language: Language
) -> Table:
    """One row per judge × innovation × criterion, drafts included (see ``sheet_status``);
    ``submitted_at`` in the competition's time zone. ``method`` and ``language`` do not
    apply."""
    rubric = ranking_service.load_rubric(session=session, competition_id=competition.id)
    weight = {r.key: r.weight for r in rubric}
    position = {r.key: p for p, r in enumerate(rubric)}
    statement = (
        select(
            Innovation.id,
            Innovation.title,
            Agency.code,
            User.id,
            User.full_name,
            Score.criterion_key,
            Score.value,
            Scoresheet.status,
            # Raw, without the UTC type's processing per row (most of the export's time):
            # the rows repeat a sheet's time six times, converted once per change below.
            type_coerce(Scoresheet.submitted_at, NullType()),
        )
        .join(Score, Score.scoresheet_id == Scoresheet.id)
        .join(Innovation, Innovation.id == Scoresheet.innovation_id)
        .join(Agency, Agency.id == Innovation.agency_id)
        .join(User, User.id == Scoresheet.judge_id)
        .where(Scoresheet.competition_id == competition.id)
        .order_by(
            Scoresheet.innovation_id,
            Scoresheet.judge_id,
            case(position, value=Score.criterion_key, else_=len(position)),
            Score.criterion_key,
        )
    )
    return Table(
        header=list(SCORES_HEADER),
        rows=_score_rows(session, statement, weight, ZoneInfo(competition.timezone)),
        plain=True,
    )


def _score_rows(
    session: Session, statement: Executable, weight: dict[str, float], zone: ZoneInfo
) -> Iterator[tuple[object, ...]]:
    """The scores' rows as plain cells, ``_FETCH`` at a time (a server-side cursor on
    PostgreSQL), through Core (no ORM objects). Names and times repeat along the ordered
    rows, so each is defused or formatted once per change, not once per cell."""
    connection = session.connection()
    # Options on the statement, not the connection: a connection keeps them in place.
    result = connection.execute(statement.execution_options(yield_per=_FETCH))
    last_innovation: tuple[object, ...] = ()
    last_judge: tuple[object, ...] = ()
    last_raw_time: object = object()
    when: str | None = None
    keys: dict[str, str | None] = {}
    try:
        for batch in result.partitions():
            for iid, title, code, jid, name, key, value, status, submitted in batch:
                if not last_innovation or last_innovation[0] != iid:
                    last_innovation = (iid, defused(title), defused(code))
                if not last_judge or last_judge[0] != jid:
                    last_judge = (jid, defused(name))
                if submitted != last_raw_time:
                    last_raw_time = submitted
                    when = _aware(submitted).astimezone(zone).isoformat() if submitted else None
                if key not in keys:
                    keys[key] = defused(key)
                yield (
                    *last_innovation,
                    *last_judge,
                    keys[key],
                    weight.get(key),
                    value,
                    status,
                    when,
                )
    finally:
        result.close()


def _aware(value: datetime | str) -> datetime:
    """A stored time as an aware datetime (SQLite keeps UTC text without an offset)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def ranking_table(
    *, session: Session, competition: Competition, method: str | None, language: Language
) -> Table:
    """The ranking by ``method`` (default: the saved TOP N decision's method, else the
    competition's): one row per entry, then the unranked; the method's explanation above."""
    if method is None:
        saved = nomination_service.get_nomination(session=session, competition=competition)
        method = saved.method if saved is not None else None
    computed = ranking_service.competition_ranking(
        session=session, competition=competition, method=method, language=language
    )
    keys = [
        r.key for r in ranking_service.load_rubric(session=session, competition_id=competition.id)
    ]
    header = [
        "rank",
        "innovation_id",
        "title",
        "agency_code",
        "method",
        "score",
        "raw_score",
        "calibrated_score",
        "adjusted_score",
        "judge_count",
        "tie",
        "in_top",
        "p_top",
        *(f"criterion_{key}" for key in keys),
    ]
    rows: list[list[object]] = [
        [
            e["rank"],
            e["innovation_id"],
            e["title"],
            e["agency_code"],
            computed.method,
            e["score"],
            e["raw_score"],
            e["calibrated_score"],
            e["adjusted_score"],
            e["judge_count"],
            e["tie"],
            e["in_top"],
            e["p_top"],
            *(e["criteria"].get(key) for key in keys),
        ]
        for e in computed.entries
    ]
    rows += [
        [
            None,
            u.innovation_id,
            u.title,
            u.agency_code,
            computed.method,
            *([None] * 4),
            u.judge_count,
            None,
            False,
            None,
            *([None] * len(keys)),
        ]
        for u in computed.unranked
    ]
    return Table(header=header, rows=rows, preamble=computed.explanation)
