"""The public innovation catalogue: search across organisations and years, and one
innovation's public page. Read-only; the index is kept in step by the database (migration
0015), the rule of what is in the catalogue lives in :mod:`kipp.catalogue.repository`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from kipp.catalogue import repository
from kipp.catalogue.query import InvalidQuery, SearchQuery
from kipp.catalogue.schemas import (
    CatalogueAgency,
    CatalogueCompetition,
    CatalogueInnovation,
    CatalogueItem,
    CatalogueLink,
    CatalogueOrganisation,
    CataloguePage,
    CatalogueReplicationOut,
    SustainabilityYear,
)
from kipp.errors import NotFound, ValidationFailed
from kipp.i18n import Msg
from kipp.innovations import access
from kipp.innovations.readiness import sections_for
from kipp.innovations.schemas import PublicSection
from kipp.models import (
    InnovationStatus,
    Nomination,
    Organisation,
    Replication,
    SustainabilityReport,
)

EXCERPT_CHARS = 240
UNREPORTED = "unreported"


def invalid(error: InvalidQuery) -> ValidationFailed:
    """The 422 of a query string :func:`kipp.catalogue.query.parse` refused."""
    return ValidationFailed(
        Msg(
            id="Periksa isian pencarian yang ditandai.",
            en="Check the marked search fields.",
        ),
        errors=[
            {"field": p.field, "code": p.code, "message": p.message, "pointer": f"/{p.field}"}
            for p in error.problems
        ],
    )


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _public_sections(row: Row[Any]) -> list[PublicSection]:
    texts: Mapping[str, Any] = row.sections or {}
    return [
        PublicSection(
            key=str(section["key"]),
            title=str(section["title"]),
            text=str(texts.get(section["key"], "")),
        )
        for section in sections_for(row.proposal_template or {}, row.group)
        if section.get("public")
    ]


def _excerpt(sections: Sequence[PublicSection]) -> str:
    text = " ".join(next((s.text for s in sections if s.text.strip()), "").split())
    if len(text) <= EXCERPT_CHARS:
        return text
    return text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"


def _latest_status(session: Session, ids: Iterable[int]) -> dict[int, list[tuple[int, str]]]:
    """Every innovation's reported (year, status), newest year first."""
    years: dict[int, list[tuple[int, str]]] = {}
    for innovation_id, year, status in session.execute(
        select(
            SustainabilityReport.innovation_id,
            SustainabilityReport.year,
            SustainabilityReport.status,
        )
        .where(SustainabilityReport.innovation_id.in_(list(ids)))
        .order_by(SustainabilityReport.innovation_id, SustainabilityReport.year.desc())
    ):
        years.setdefault(innovation_id, []).append((year, status))
    return years


def _promoted_to(session: Session, ids: list[int]) -> dict[int, list[CatalogueCompetition]]:
    """The published competitions of the next level each of ``ids`` was promoted into."""
    promoted: dict[int, list[CatalogueCompetition]] = {}
    if not ids:
        return promoted
    for innovation_id, cid, name, year, level in session.execute(
        repository.promotions_statement(ids)
    ):
        promoted.setdefault(innovation_id, []).append(
            CatalogueCompetition(id=cid, name=name, year=year, level=level)
        )
    return promoted


def _honourable(session: Session, rows: Sequence[Row[Any]]) -> set[int]:
    """The honourable mentions among ``rows`` (announced competitions only)."""
    announced = {r.competition_id for r in rows if r.current_stage == repository.ANNOUNCED}
    if not announced:
        return set()
    mentioned: set[int] = set()
    for ids in session.scalars(
        select(Nomination.honourable_mention_ids).where(
            Nomination.competition_id.in_(sorted(announced))
        )
    ):
        mentioned.update(int(i) for i in ids or [])
    return mentioned


def _award(row: Row[Any], honourable: set[int]) -> str | None:
    if row.status == InnovationStatus.WINNER.value:
        return "winner"
    if row.current_stage != repository.ANNOUNCED:
        return None
    if row.status == InnovationStatus.NOMINATED.value:
        return "nominee"
    return "honourable_mention" if row.id in honourable else None


def _organisation(row: Row[Any]) -> CatalogueOrganisation:
    return CatalogueOrganisation(
        id=row.organisation_id,
        slug=row.organisation_slug,
        name=row.organisation_name,
        level=row.organisation_level,
    )


def _item_fields(
    row: Row[Any],
    *,
    sections: list[PublicSection],
    honourable: set[int],
    years: list[tuple[int, str]],
    promoted_to: list[CatalogueCompetition],
) -> dict[str, Any]:
    decision_visible = row.current_stage == repository.ANNOUNCED
    return {
        "id": row.id,
        "title": row.title,
        "group": row.group,
        "category": row.category,
        "status": access.shown_status(row.status, decision_visible=decision_visible),
        "award": _award(row, honourable),
        "promoted_to": promoted_to,
        "sustainability": years[0][1] if years else UNREPORTED,
        "excerpt": _excerpt(sections),
        "organisation": _organisation(row),
        "competition": CatalogueCompetition(
            id=row.competition_id, name=row.competition_name, year=row.year, level=row.level
        ),
        "agency": CatalogueAgency(id=row.agency_id, code=row.agency_code, name=row.agency_name),
    }


def search(*, session: Session, query: SearchQuery) -> CataloguePage:
    """One page of the catalogue's innovations matching ``query``, with the total."""
    dialect = _dialect(session)
    ids = list(session.scalars(repository.page_statement(query, dialect)))
    if len(ids) < query.limit and (ids or query.offset == 0):
        total = query.offset + len(ids)  # the last page: no count needed
    else:
        total = session.scalar(repository.count_statement(query, dialect)) or 0
    by_id = {row.id: row for row in session.execute(repository.entry_statement(ids, dialect))}
    rows = [by_id[i] for i in ids if i in by_id]
    honourable = _honourable(session, rows)
    years = _latest_status(session, (r.id for r in rows))
    promoted = _promoted_to(session, [r.id for r in rows])
    return CataloguePage(
        items=[
            CatalogueItem(
                **_item_fields(
                    row,
                    sections=_public_sections(row),
                    honourable=honourable,
                    years=years.get(row.id, []),
                    promoted_to=promoted.get(row.id, []),
                )
            )
            for row in rows
        ],
        total=total,
        limit=query.limit,
        offset=query.offset,
        sort=query.sort,
    )


def _not_in_catalogue(innovation_id: int) -> NotFound:
    return NotFound(
        Msg(
            id="Inovasi {id} tidak ada dalam katalog.",
            en="Innovation {id} is not in the catalogue.",
        ).format(id=innovation_id)
    )


def _links(session: Session, ids: set[int]) -> dict[int, CatalogueLink]:
    """The innovations of ``ids`` that are in the catalogue, as links."""
    rows = session.execute(repository.entry_statement(sorted(ids), _dialect(session))).all()
    return {
        row.id: CatalogueLink(id=row.id, title=row.title, organisation=_organisation(row))
        for row in rows
    }


def _replications(session: Session, innovation_id: int) -> tuple[list[Any], list[Any]]:
    """(replicated_by, replicated_from) of one innovation."""
    rows = session.execute(
        select(Replication, Organisation)
        .join(Organisation, Organisation.id == Replication.organisation_id)
        .where(
            (Replication.innovation_id == innovation_id)
            | (Replication.replica_innovation_id == innovation_id)
        )
        .order_by(Replication.started_on.is_(None), Replication.started_on, Replication.id)
    ).all()
    others = {
        other
        for replication, _ in rows
        for other in (replication.innovation_id, replication.replica_innovation_id)
        if other is not None and other != innovation_id
    }
    links = _links(session, others)
    replicated_by: list[CatalogueReplicationOut] = []
    replicated_from: list[CatalogueReplicationOut] = []
    for replication, organisation in rows:
        by = replication.innovation_id == innovation_id
        other = replication.replica_innovation_id if by else replication.innovation_id
        link = links.get(other) if other is not None else None
        if not by and link is None:
            continue  # the original is not public: say nothing of it
        out = CatalogueReplicationOut(
            organisation=CatalogueOrganisation(
                id=organisation.id,
                slug=organisation.slug,
                name=organisation.name,
                level=organisation.level,
            ),
            adopter=replication.adopter,
            name=replication.name,
            started_on=replication.started_on,
            changes=replication.changes,
            innovation=link,
        )
        (replicated_by if by else replicated_from).append(out)
    return replicated_by, replicated_from


def get(*, session: Session, innovation_id: int) -> CatalogueInnovation:
    """An innovation's public page; 404 for anything not in the catalogue."""
    row = session.execute(repository.entry_statement([innovation_id], _dialect(session))).first()
    if row is None:
        raise _not_in_catalogue(innovation_id)
    sections = _public_sections(row)
    years = _latest_status(session, [row.id]).get(row.id, [])
    replicated_by, replicated_from = _replications(session, row.id)
    return CatalogueInnovation(
        **_item_fields(
            row,
            sections=sections,
            honourable=_honourable(session, [row]),
            years=years,
            promoted_to=_promoted_to(session, [row.id]).get(row.id, []),
        ),
        sections=sections,
        sustainability_years=[SustainabilityYear(year=y, status=s) for y, s in years],
        replicated_by=replicated_by,
        replicated_from=replicated_from,
    )
