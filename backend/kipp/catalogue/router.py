"""The public catalogue: search every organisation's published innovations, read one."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from kipp.catalogue import query as catalogue_query
from kipp.catalogue import service
from kipp.catalogue.schemas import CatalogueInnovation, CataloguePage
from kipp.deps import PUBLIC, SessionDep, api_router
from kipp.errors import NotFound, ValidationFailed, responses_for
from kipp.models import Level
from kipp.schemas import IdPath

router = api_router(prefix="/public", tags=["catalogue"])


@router.get(
    "/catalogue",
    response_model=CataloguePage,
    responses=responses_for(ValidationFailed),
    openapi_extra=PUBLIC,
)
def search_catalogue(
    session: SessionDep,
    q: Annotated[
        str | None,
        Query(
            max_length=catalogue_query.MAX_Q_CHARS,
            description="Words, all of which must appear (title, category, public sections, "
            "agency, organisation); the last one is a prefix unless followed by a space.",
        ),
    ] = None,
    organisation: Annotated[
        str | None, Query(max_length=64, description="An organisation's id or slug.")
    ] = None,
    level: Annotated[Level | None, Query(description="The competition's level.")] = None,
    agency: Annotated[
        str | None,
        Query(
            max_length=catalogue_query.MAX_AGENCY_CHARS,
            description="An agency's id, its code, or part of its name.",
        ),
    ] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    status: Annotated[
        catalogue_query.Sustainability | None,
        Query(description="The latest sustainability report says: running, stopped; or none."),
    ] = None,
    award: Annotated[catalogue_query.Award | None, Query()] = None,
    sort: Annotated[
        catalogue_query.Sort | None,
        Query(description="Default: relevance when there are words, else the newest year."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
    offset: Annotated[int, Query(ge=0, le=catalogue_query.MAX_OFFSET)] = 0,
) -> CataloguePage:
    """Search the public innovation catalogue across organisations and years: the innovations
    of published competitions (from the presentation stage on) that passed the administrative
    review, with what their template marks public."""
    try:
        search_query = catalogue_query.parse(
            q=q,
            organisation=organisation,
            agency=agency,
            level=level.value if level else None,
            year=year,
            status=status,
            award=award,
            sort=sort,
            limit=limit,
            offset=offset,
        )
    except catalogue_query.InvalidQuery as error:
        raise service.invalid(error) from None
    return service.search(session=session, query=search_query)


@router.get(
    "/innovations/{innovation_id}",
    response_model=CatalogueInnovation,
    responses=responses_for(NotFound),
    openapi_extra=PUBLIC,
)
def read_catalogue_innovation(innovation_id: IdPath, session: SessionDep) -> CatalogueInnovation:
    """An innovation's public page: its public sections, award, yearly sustainability and
    replications both ways; 404 for anything not in the catalogue."""
    return service.get(session=session, innovation_id=innovation_id)
