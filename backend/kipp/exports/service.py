"""What each export contains: a header and rows (streamed), from one or two queries.

``EXPORTS`` is the dispatch table of ``GET /competitions/{cid}/exports/{name}.{fmt}``: add an
export with one line, a function ``(*, session, competition, method, language) -> Table``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp.models import AdministrativeReview, Agency, Competition, Innovation, User, innovation_team
from kipp.ranking.explanation import Language
from kipp.results import exports as results_exports
from kipp.tables import Table


class Export(Protocol):
    def __call__(
        self, *, session: Session, competition: Competition, method: str | None, language: Language
    ) -> Table: ...


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


def innovations_table(
    *, session: Session, competition: Competition, method: str | None, language: Language
) -> Table:
    """One row per innovation of the competition, by id, with its administrative result.
    ``method`` and ``language`` do not apply."""
    teams: dict[int, list[str]] = defaultdict(list)  # e-mails: small beside the innovations
    for innovation_id, email in session.execute(
        select(innovation_team.c.innovation_id, User.email)
        .join(User, User.id == innovation_team.c.user_id)
        .join(Innovation, Innovation.id == innovation_team.c.innovation_id)
        .where(Innovation.competition_id == competition.id)
        .order_by(User.email)
    ):
        teams[innovation_id].append(email)
    return Table(
        header=list(INNOVATION_COLUMNS),
        rows=_innovation_rows(session, competition, teams),
    )


def _innovation_rows(
    session: Session, competition: Competition, teams: dict[int, list[str]]
) -> Iterator[list[object]]:
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
        .execution_options(yield_per=500)  # a batch of objects at a time, not all of them
    )
    for innovation, agency_code, agency_name, passed, notes in rows:
        result = None if passed is None else ("passed" if passed else "failed")
        yield [
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


EXPORTS: dict[str, Export] = {
    "innovations": innovations_table,
    "scores": results_exports.scores_table,
    "ranking": results_exports.ranking_table,
}
