from __future__ import annotations

from typing import Annotated

from fastapi import Depends, status

from kipp.agencies import service
from kipp.agencies.schemas import AgencyIn, AgencyOut, AgencyPatch
from kipp.deps import PUBLIC, AdminUser, OptionalUser, SessionDep, api_router
from kipp.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed, responses_for
from kipp.organisations import service as organisations
from kipp.organisations.service import OrganisationQuery
from kipp.schemas import IdPath, Page, Paging, paging

router = api_router(prefix="/agencies", tags=["agencies"])
_WRITE_ERRORS = responses_for(Unauthorized, Forbidden, ValidationFailed, Conflict)


@router.get("", response_model=Page[AgencyOut], openapi_extra=PUBLIC)
def list_agencies(
    session: SessionDep,
    user: OptionalUser,
    page: Annotated[Paging, Depends(paging)],
    organisation: OrganisationQuery = None,
) -> Page[AgencyOut]:
    """Agencies, by code. Public: anyone may list an organisation's agencies (`organisation`:
    its id or slug; left out, every organisation's). A logged-in user other than the platform
    admin sees their own organisation's only."""
    organisation_id = organisations.listed_organisation(
        session=session, user=user, reference=organisation
    )
    agencies, total = service.list_agencies(
        session=session, organisation_id=organisation_id, limit=page.limit, offset=page.offset
    )
    return Page(items=[AgencyOut.model_validate(a) for a in agencies], total=total)


@router.post(
    "", response_model=AgencyOut, status_code=status.HTTP_201_CREATED, responses=_WRITE_ERRORS
)
def create_agency(body: AgencyIn, session: SessionDep, admin: AdminUser) -> AgencyOut:
    """Add an agency; its code is unique within its organisation (the caller's own; the
    platform admin may name `organisation_id`)."""
    agency = service.create(
        session=session,
        actor=admin,
        code=body.code,
        name=body.name,
        organisation_id=body.organisation_id,
    )
    return AgencyOut.model_validate(agency)


@router.patch(
    "/{agency_id}",
    response_model=AgencyOut,
    responses={**_WRITE_ERRORS, **responses_for(NotFound)},
)
def update_agency(
    agency_id: IdPath, body: AgencyPatch, session: SessionDep, admin: AdminUser
) -> AgencyOut:
    """Rename an agency or change its code."""
    agency = service.get(session=session, agency_id=agency_id)
    agency = service.update(
        session=session, actor=admin, agency=agency, code=body.code, name=body.name
    )
    return AgencyOut.model_validate(agency)


@router.delete(
    "/{agency_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**_WRITE_ERRORS, **responses_for(NotFound)},
)
def delete_agency(agency_id: IdPath, session: SessionDep, admin: AdminUser) -> None:
    """Delete an agency nothing refers to."""
    agency = service.get(session=session, agency_id=agency_id)
    service.delete(session=session, actor=admin, agency=agency)
