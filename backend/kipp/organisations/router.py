"""Organisations on one deployment: the platform admin lists, creates and edits them (an
organisation's first organiser is an account made with ``POST /users``, naming its
``organisation_id`` and the role ``organiser``); anyone else reads their own; the public reads
the list (to filter competitions by organisation)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, status

from kipp.deps import PUBLIC, CurrentUser, PlatformAdminUser, SessionDep, api_router
from kipp.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed, responses_for
from kipp.models import Level
from kipp.organisations import service
from kipp.organisations.schemas import (
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    PublicOrganisationOut,
)
from kipp.policy import is_platform_admin
from kipp.schemas import IdPath, Page, Paging, paging

router = api_router(tags=["organisations"])
_WRITE_ERRORS = responses_for(Unauthorized, Forbidden, ValidationFailed, Conflict)


@router.get(
    "/public/organisations", response_model=Page[PublicOrganisationOut], openapi_extra=PUBLIC
)
def list_public_organisations(
    session: SessionDep, page: Annotated[Paging, Depends(paging)], level: Level | None = None
) -> Page[PublicOrganisationOut]:
    """Every organisation on the deployment (one `level` if asked). Public: the competitions
    list filters by organisation (id or slug)."""
    found, total = service.list_organisations(
        session=session,
        level=level.value if level else None,
        limit=page.limit,
        offset=page.offset,
    )
    return Page(items=[PublicOrganisationOut.model_validate(o) for o in found], total=total)


@router.get(
    "/organisations",
    response_model=Page[OrganisationOut],
    responses=responses_for(Unauthorized),
)
def list_organisations(
    session: SessionDep,
    user: CurrentUser,
    page: Annotated[Paging, Depends(paging)],
    level: Level | None = None,
) -> Page[OrganisationOut]:
    """The platform admin: every organisation; anyone else: their own."""
    if not is_platform_admin(user):
        own = service.get(session=session, organisation_id=user.organisation_id)
        mine = [own] if level is None or own.level == level.value else []
        return Page(items=[OrganisationOut.model_validate(o) for o in mine], total=len(mine))
    found, total = service.list_organisations(
        session=session,
        level=level.value if level else None,
        limit=page.limit,
        offset=page.offset,
    )
    return Page(items=[OrganisationOut.model_validate(o) for o in found], total=total)


@router.post(
    "/organisations",
    response_model=OrganisationOut,
    status_code=status.HTTP_201_CREATED,
    responses=_WRITE_ERRORS,
)
def create_organisation(
    body: OrganisationIn, session: SessionDep, admin: PlatformAdminUser
) -> OrganisationOut:
    """Add an organisation (platform admin only); its slug is unique. Then give it its first
    organiser: `POST /users` with its `organisation_id` and the role `organiser`."""
    organisation = service.create(
        session=session,
        actor=admin,
        slug=body.slug,
        name=body.name,
        level=body.level.value,
        region=body.region,
    )
    return OrganisationOut.model_validate(organisation)


@router.get(
    "/organisations/{organisation_id}",
    response_model=OrganisationOut,
    responses=responses_for(Unauthorized, NotFound),
)
def read_organisation(
    organisation_id: IdPath, session: SessionDep, user: CurrentUser
) -> OrganisationOut:
    """One organisation: the platform admin any, anyone else their own (another is a 404)."""
    return OrganisationOut.model_validate(
        service.get_visible(session=session, organisation_id=organisation_id, user=user)
    )


@router.patch(
    "/organisations/{organisation_id}",
    response_model=OrganisationOut,
    responses={**_WRITE_ERRORS, **responses_for(NotFound)},
)
def update_organisation(
    organisation_id: IdPath, body: OrganisationPatch, session: SessionDep, admin: PlatformAdminUser
) -> OrganisationOut:
    """Change an organisation's slug, name, level or region (platform admin only)."""
    organisation = service.get(session=session, organisation_id=organisation_id)
    organisation = service.update(
        session=session,
        actor=admin,
        organisation=organisation,
        changes=body.model_dump(mode="json", exclude_unset=True),
    )
    return OrganisationOut.model_validate(organisation)
