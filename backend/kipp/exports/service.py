"""What each export contains: a header and rows, computed from one or two queries.

``EXPORTS`` is the dispatch table of ``GET /competitions/{cid}/exports/{name}.{fmt}``: add an
export with one line, a function ``(*, session, competition) -> (header, rows)``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp.models import AdministrativeReview, Agency, Competition, Innovation, User, innovation_team
from kipp.results import exports as results_exports

Table = tuple[list[str], list[list[object]]]

INNOVATION_COLUMNS = [
    "id",
    "external_ref",
    "title",
    "agency_code",
    "agency_name",
    "group",
    "category",
    "origin",
    "started_on",
    "status",
    "submitted_at",
    "administrative_result",
    "administrative_notes",
    "team_emails",
]


def _local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    """Times as the competition's people read them: in its time zone, with the offset."""
    return moment.astimezone(zone) if moment is not None else None


def innovations_table(*, session: Session, competition: Competition) -> Table:
    """One row per innovation of the competition, by id, with its administrative result."""
    zone = ZoneInfo(competition.timezone)
    rows = session.execute(
        select(
            Innovation,
            Agency.code,
            Agency.name,
            AdministrativeReview.passed,
            AdministrativeReview.notes,
        )
        .join(Agency, Agency.id == Innovation.agency_id)
        .outerjoin(AdministrativeReview, AdministrativeReview.innovation_id == Innovation.id)
        .where(Innovation.competition_id == competition.id)
        .order_by(Innovation.id)
    )
    teams: dict[int, list[str]] = defaultdict(list)
    for innovation_id, email in session.execute(
        select(innovation_team.c.innovation_id, User.email)
        .join(User, User.id == innovation_team.c.user_id)
        .join(Innovation, Innovation.id == innovation_team.c.innovation_id)
        .where(Innovation.competition_id == competition.id)
        .order_by(User.email)
    ):
        teams[innovation_id].append(email)
    table: list[list[object]] = []
    for innovation, agency_code, agency_name, passed, notes in rows:
        result = None if passed is None else ("passed" if passed else "failed")
        table.append(
            [
                innovation.id,
                innovation.external_ref,
                innovation.title,
                agency_code,
                agency_name,
                innovation.group,
                innovation.category,
                innovation.origin,
                innovation.started_on,
                innovation.status,
                _local(innovation.submitted_at, zone),
                result,
                notes,
                "; ".join(teams[innovation.id]),
            ]
        )
    return list(INNOVATION_COLUMNS), table


EXPORTS: dict[str, Callable[..., Table]] = {
    "innovations": innovations_table,
    "scores": results_exports.scores_table,
    "ranking": results_exports.ranking_table,
}
