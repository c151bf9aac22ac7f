"""The catalogue's SQL: which innovations are in it, and the search statement.

In the catalogue: the innovations of a **published** competition that has reached the
presentation stage and that passed the administrative review (eligible, nominated, not
nominated, winner): the public list's rule (kipp.innovations.queries), across every
organisation and year. Never a draft, a submitted or withdrawn proposal, an ineligible one, nor
anything of an unpublished competition.

The words are searched in ``catalogue_texts`` (kept in step by triggers, migration 0015) through
SQLite FTS5 (``catalogue_fts``, ranked by bm25 with the title weighted 4×) or PostgreSQL's
``to_tsvector('simple', …)`` GIN index (ranked by ``ts_rank``, the title weighted A). The
benchmark (bench/catalogue.py) runs the very statement built here through the plain driver.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    column,
    exists,
    false,
    func,
    literal_column,
    or_,
    select,
    table,
    true,
)
from sqlalchemy.orm import aliased

from kipp.catalogue.query import SearchQuery
from kipp.competitions import stages
from kipp.competitions.defaults import STAGE_KEYS
from kipp.innovations import access
from kipp.models import (
    Agency,
    CatalogueText,
    Competition,
    Innovation,
    InnovationStatus,
    Nomination,
    Organisation,
    Promotion,
    SustainabilityReport,
)

# The public list opens with the presentation stage (kipp.innovations.queries).
PUBLIC_STAGES: Final = tuple(s for s in STAGE_KEYS if stages.reached(s, "presentation"))
ANNOUNCED: Final = "announcement"

# PostgreSQL's stored tsvectors (migration 0015: generated columns, not in the model): every
# word (the title weighted A; GIN-indexed), and the title's alone (for ranking); the weights of
# SQLite's bm25 (title, the rest).
_search_vector: ColumnElement[Any] = literal_column("catalogue_texts.search")
_title_vector: ColumnElement[Any] = literal_column("catalogue_texts.title_search")
BM25_WEIGHTS: Final = (4.0, 1.0)

# The search reads catalogue_texts (an innovation's competition, agency and status are copied
# there by the triggers); the innovations' wide rows are read only for the page's entries.
_entry = CatalogueText

# The competition a promotion went into (the entry's own competition is ``Competition``).
_target = aliased(Competition, name="promoted_into")

_fts = table("catalogue_fts", column("rowid", Integer))
_fts_table: ColumnElement[Any] = literal_column("catalogue_fts")


def in_catalogue() -> ColumnElement[bool]:
    """The catalogue's rule, on innovations joined with their competition."""
    return and_(
        Competition.published.is_(True),
        Competition.current_stage.in_(PUBLIC_STAGES),
        _entry.status.in_(access.PUBLIC_STATUSES),
    )


def latest_sustainability() -> Any:
    """The status of the innovation's latest sustainability report (NULL: none)."""
    return (
        select(SustainabilityReport.status)
        .where(SustainabilityReport.innovation_id == _entry.innovation_id)
        .order_by(SustainabilityReport.year.desc())
        .limit(1)
        .scalar_subquery()
    )


def honourable_mention(dialect: str) -> ColumnElement[bool]:
    """The innovation is an announced honourable mention of its competition."""
    if dialect == "postgresql":
        listed = exists().where(
            Nomination.competition_id == Competition.id,
            Nomination.honourable_mention_ids.op("@>")(func.to_jsonb(_entry.innovation_id)),
        )
    else:
        ids = func.json_each(Nomination.honourable_mention_ids).table_valued("value")
        listed = exists(
            select(1)
            .select_from(Nomination)
            .join(ids, true())  # json_each reads the nomination's row: a lateral join
            .where(Nomination.competition_id == Competition.id, ids.c.value == _entry.innovation_id)
        )
    return and_(Competition.current_stage == ANNOUNCED, listed)


def promoted() -> ColumnElement[bool]:
    """The innovation was promoted into a published competition of the next level."""
    return exists().where(
        Promotion.source_innovation_id == _entry.innovation_id,
        _target.id == Promotion.target_competition_id,
        _target.published.is_(True),
    )


def promotions_statement(innovation_ids: list[int]) -> Select[int, int, str, int, str]:
    """(innovation id, the published competition it was promoted into: id, name, year,
    level) for those of ``innovation_ids`` that were promoted, oldest first."""
    return (
        select(
            Promotion.source_innovation_id,
            _target.id,
            _target.name,
            _target.year,
            _target.level,
        )
        .join(_target, _target.id == Promotion.target_competition_id)
        .where(Promotion.source_innovation_id.in_(innovation_ids), _target.published.is_(True))
        .order_by(Promotion.source_innovation_id, _target.year, _target.id)
    )


def _award(query: SearchQuery, dialect: str) -> ColumnElement[bool]:
    if query.award == "promoted":
        return promoted()
    if query.award == "winner":
        return _entry.status == InnovationStatus.WINNER.value
    if query.award == "nominee":
        return and_(
            _entry.status == InnovationStatus.NOMINATED.value,
            Competition.current_stage == ANNOUNCED,
        )
    return honourable_mention(dialect)


def _filters(query: SearchQuery, dialect: str) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [in_catalogue()]
    if query.organisation is not None:
        if query.organisation.id is not None:
            where.append(Organisation.id == query.organisation.id)
        else:
            where.append(Organisation.slug == query.organisation.slug)
    if query.agency is not None:
        if query.agency.id is not None:
            where.append(_entry.agency_id == query.agency.id)
        else:
            text = query.agency.text or ""
            pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where.append(
                or_(
                    func.lower(Agency.code) == text,
                    func.lower(Agency.name).like(pattern, escape="\\"),
                )
            )
    if query.level is not None:
        where.append(Competition.level == query.level)
    if query.year is not None:
        where.append(Competition.year == query.year)
    if query.status == "unreported":
        where.append(~exists().where(SustainabilityReport.innovation_id == _entry.innovation_id))
    elif query.status is not None:
        where.append(latest_sustainability() == query.status)
    if query.award is not None:
        where.append(_award(query, dialect))
    return where


def _tsquery(query: SearchQuery) -> Any:
    assert query.terms is not None
    return func.to_tsquery(literal_column("'simple'::regconfig"), query.terms.tsquery())


def _from(
    columns: list[Any], query: SearchQuery, dialect: str, *, rows: bool = False
) -> Select[Any]:
    """``columns`` of the catalogue entries (joined with competition, organisation, agency;
    with the innovation when ``rows``) that match ``query``'s words and filters."""
    if query.terms is not None and dialect == "sqlite":
        statement = (
            select(*columns)
            .select_from(_fts)
            .join(_entry, _entry.innovation_id == _fts.c.rowid)
            .where(_fts_table.op("MATCH")(query.terms.fts5()))
        )
    else:
        statement = select(*columns).select_from(_entry)
    if rows:
        statement = statement.join(Innovation, Innovation.id == _entry.innovation_id)
    statement = (
        statement.join(Competition, Competition.id == _entry.competition_id)
        .join(Organisation, Organisation.id == Competition.organisation_id)
        .join(Agency, Agency.id == _entry.agency_id)
    )
    if query.terms is not None and dialect != "sqlite":
        statement = statement.where(_search_vector.op("@@")(_tsquery(query)))
    return statement.where(*_filters(query, dialect))


ROW_COLUMNS: Final[list[Any]] = [
    Innovation.id,
    Innovation.title,
    Innovation.group,
    Innovation.category,
    Innovation.status,
    Innovation.sections,
    Competition.id.label("competition_id"),
    Competition.name.label("competition_name"),
    Competition.year,
    Competition.level,
    Competition.current_stage,
    Competition.proposal_template,
    Organisation.id.label("organisation_id"),
    Organisation.slug.label("organisation_slug"),
    Organisation.name.label("organisation_name"),
    Organisation.level.label("organisation_level"),
    Agency.id.label("agency_id"),
    Agency.code.label("agency_code"),
    Agency.name.label("agency_name"),
]


def _order(query: SearchQuery, dialect: str) -> list[Any]:
    newest = [Competition.year.desc(), _entry.innovation_id.desc()]
    if query.sort == "title":
        return [func.lower(_entry.title), _entry.innovation_id]
    if query.sort == "relevance" and query.terms is not None:
        if dialect == "sqlite":
            return [func.bm25(_fts_table, *BM25_WEIGHTS), *newest]
        # PostgreSQL: the title's words ranked (ts_rank over the small title vector), then the
        # newest; ranking over every word would read each match's whole vector again.
        return [func.ts_rank(_title_vector, _tsquery(query)).desc(), *newest]
    return newest


def page_statement(query: SearchQuery, dialect: str) -> Select[Any]:
    """The ids of one page of the innovations matching ``query``, in its order. Only ids go
    through the sort (the rows' texts would make it carry megabytes); ``entry_statement``
    fetches the page's rows."""
    return (
        _from([_entry.innovation_id], query, dialect)
        .order_by(*_order(query, dialect))
        .limit(query.limit)
        .offset(query.offset)
    )


def count_statement(query: SearchQuery, dialect: str) -> Select[Any]:
    """How many innovations match ``query``."""
    return select(func.count()).select_from(
        _from([_entry.innovation_id], query, dialect).subquery()
    )


def entry_statement(innovation_ids: list[int], dialect: str) -> Select[Any]:
    """The catalogue rows (``ROW_COLUMNS``) of those of ``innovation_ids`` in the catalogue."""
    statement = _from(ROW_COLUMNS, SearchQuery(), dialect, rows=True)
    if not innovation_ids:
        return statement.where(false())
    return statement.where(_entry.innovation_id.in_(innovation_ids))
