from __future__ import annotations

from typing import Annotated

from fastapi import Depends, status

from kipp import clock
from kipp.competitions import service
from kipp.competitions.schemas import CompetitionIn, CompetitionOut, CompetitionPatch
from kipp.deps import PUBLIC, AdminUser, OptionalUser, SessionDep, api_router
from kipp.errors import (
    Forbidden,
    NotFound,
    StaleVersion,
    Unauthorized,
    ValidationFailed,
    responses_for,
)
from kipp.models import Level
from kipp.organisations import service as organisations
from kipp.organisations.service import OrganisationQuery
from kipp.schemas import IdPath, Page, Paging, paging

router = api_router(prefix="/competitions", tags=["competitions"])
_WRITE_ERRORS = responses_for(Unauthorized, Forbidden, ValidationFailed)


@router.get(
    "",
    response_model=Page[CompetitionOut],
    responses=responses_for(Unauthorized),
    openapi_extra=PUBLIC,
)
def list_competitions(
    session: SessionDep,
    user: OptionalUser,
    page: Annotated[Paging, Depends(paging)],
    organisation: OrganisationQuery = None,
    level: Level | None = None,
) -> Page[CompetitionOut]:
    """Competitions, newest year first. Public: every organisation's published ones; the
    organising team also sees its organisation's unpublished ones (the platform admin: all).
    `organisation` (id or slug) and `level` narrow the list."""
    organisation_id = None
    if organisation is not None:
        found = organisations.by_reference(session=session, reference=organisation)
        organisation_id = found.id if found is not None else 0
    competitions, total = service.list_competitions(
        session=session,
        user=user,
        limit=page.limit,
        offset=page.offset,
        organisation_id=organisation_id,
        level=level.value if level is not None else None,
    )
    now = clock.now()
    parents = service.parent_links(session=session, competitions=competitions)
    return Page(
        items=[
            CompetitionOut.of(c, now=now, parent=parents.get(c.parent_competition_id or 0))
            for c in competitions
        ],
        total=total,
    )


@router.post(
    "", response_model=CompetitionOut, status_code=status.HTTP_201_CREATED, responses=_WRITE_ERRORS
)
def create_competition(
    body: CompetitionIn, session: SessionDep, admin: AdminUser
) -> CompetitionOut:
    """A new competition with its five stage windows; it starts in `submission`, unpublished
    unless told otherwise, with the default rubric. It belongs to the caller's organisation
    (the platform admin may name `organisation_id`)."""
    competition = service.create(session=session, actor=admin, competition_in=body)
    return CompetitionOut.of(
        competition,
        now=clock.now(),
        parent=service.parent_link(session=session, competition=competition),
    )


@router.get(
    "/{competition_id}",
    response_model=CompetitionOut,
    responses=responses_for(Unauthorized, NotFound),
    openapi_extra=PUBLIC,
)
def read_competition(
    competition_id: IdPath, session: SessionDep, user: OptionalUser
) -> CompetitionOut:
    """One competition with its stage timeline. Public once published."""
    competition = service.get_visible(session=session, competition_id=competition_id, user=user)
    return CompetitionOut.of(
        competition,
        now=clock.now(),
        parent=service.parent_link(session=session, competition=competition),
    )


@router.patch(
    "/{competition_id}",
    response_model=CompetitionOut,
    responses={**_WRITE_ERRORS, **responses_for(NotFound, StaleVersion)},
)
def update_competition(
    competition_id: IdPath, body: CompetitionPatch, session: SessionDep, admin: AdminUser
) -> CompetitionOut:
    """Change settings or stage windows (e.g. extend a deadline); logged before → after.

    `stages` lists only the stages that change, by `key`."""
    competition = service.get(session=session, competition_id=competition_id)
    changes = body.model_dump(mode="json", exclude_unset=True, exclude={"stages", "version"})
    competition = service.update(
        session=session,
        actor=admin,
        competition=competition,
        changes=changes,
        stage_changes=body.stages,
        version=body.version,
    )
    return CompetitionOut.of(
        competition,
        now=clock.now(),
        parent=service.parent_link(session=session, competition=competition),
    )
