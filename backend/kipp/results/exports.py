"""The judging's tables for download: every score, and the ranking."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp.models import Agency, Competition, Innovation, Score, Scoresheet, User
from kipp.ranking import service as ranking_service

# The shape ``kipp.exports.service.EXPORTS`` expects: a header and the rows.
Table = tuple[list[str], list[list[object]]]


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


def scores_table(*, session: Session, competition: Competition) -> Table:
    """One row per judge × innovation × criterion, drafts included (see ``sheet_status``);
    ``submitted_at`` in the competition's time zone."""
    rubric = ranking_service.load_rubric(session=session, competition_id=competition.id)
    weight = {r.key: r.weight for r in rubric}
    position = {r.key: p for p, r in enumerate(rubric)}
    rows = session.execute(
        select(
            Innovation.id,
            Innovation.title,
            Agency.code,
            User.id,
            User.full_name,
            Score.criterion_key,
            Score.value,
            Scoresheet.status,
            Scoresheet.submitted_at,
        )
        .join(Score, Score.scoresheet_id == Scoresheet.id)
        .join(Innovation, Innovation.id == Scoresheet.innovation_id)
        .join(Agency, Agency.id == Innovation.agency_id)
        .join(User, User.id == Scoresheet.judge_id)
        .where(Scoresheet.competition_id == competition.id)
        .order_by(Innovation.id, User.id)
    ).all()
    ordered = sorted(rows, key=lambda r: (r[0], r[3], position.get(r[5], len(position)), r[5]))
    zone = ZoneInfo(competition.timezone)
    return list(SCORES_HEADER), [
        [
            iid,
            title,
            code,
            jid,
            name,
            key,
            weight.get(key),
            value,
            status,
            submitted.astimezone(zone) if submitted else None,
        ]
        for iid, title, code, jid, name, key, value, status, submitted in ordered
    ]


def ranking_table(*, session: Session, competition: Competition) -> Table:
    """The ranking by the competition's method: one row per entry, then the unranked."""
    computed = ranking_service.competition_ranking(session=session, competition=competition)
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
        "judge_count",
        "tie",
        "in_top",
        "p_top",
        *(f"criterion_{key}" for key in keys),
    ]
    rows: list[list[object]] = [
        [
            e.rank,
            e.innovation_id,
            e.title,
            e.agency_code,
            computed.method,
            e.score,
            e.raw_score,
            e.calibrated_score,
            e.judge_count,
            e.tie,
            e.in_top,
            e.p_top,
            *(e.criteria.get(key) for key in keys),
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
            *([None] * 3),
            u.judge_count,
            None,
            False,
            None,
            *([None] * len(keys)),
        ]
        for u in computed.unranked
    ]
    return header, rows
