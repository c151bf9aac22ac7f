"""Proposals over HTTP: list, start, read, edit, readiness, submit, withdraw and the
administrative review. Evidence files have their own router, included here at the end."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, status

from kipp.competitions import service as competitions_service
from kipp.deps import (
    PUBLIC,
    AdminUser,
    CurrentUser,
    OptionalUser,
    ProposerUser,
    SessionDep,
    api_router,
)
from kipp.errors import Forbidden, NotFound, Unauthorized, request_language, responses_for
from kipp.innovations import access, attachments_router, drafts, queries, review, submission
from kipp.innovations.deps import READ_ERRORS, WRITE_ERRORS, OwnerUser
from kipp.innovations.schemas import (
    AdministrativeReviewIn,
    InnovationCreate,
    InnovationListItem,
    InnovationOut,
    InnovationPatch,
    PublicInnovationItem,
    PublicInnovationSummary,
    ReadinessOut,
    ReadinessProblem,
)
from kipp.models import InnovationStatus
from kipp.schemas import IdPath, IdQuery, Page, Paging, paging

router = api_router(tags=["innovations"])


@router.get(
    "/competitions/{competition_id}/innovations",
    response_model=Page[InnovationListItem | PublicInnovationItem],
    responses=READ_ERRORS,
    openapi_extra=PUBLIC,
)
def list_competition_innovations(
    competition_id: IdPath,
    session: SessionDep,
    user: OptionalUser,
    page: Annotated[Paging, Depends(paging)],
    status: InnovationStatus | None = None,
    agency_id: IdQuery = None,
    public: bool = False,
) -> Page[InnovationListItem | PublicInnovationItem]:
    """A competition's innovations, as the caller's role sees them.

    Admin: all; agency admin: their agency's; innovator: their teams'; judge: those assigned
    to them. Anonymous callers, and anyone passing `public=true`, get the public list: the
    innovations that passed the administrative stage, once the presentation stage is reached,
    with public fields only.
    """
    competition = competitions_service.get_visible(
        session=session, competition_id=competition_id, user=user
    )
    items, total = queries.list_innovations(
        session=session,
        competition=competition,
        user=user,
        public=public,
        status=status.value if status else None,
        agency_id=agency_id,
        limit=page.limit,
        offset=page.offset,
    )
    return Page[InnovationListItem | PublicInnovationItem](items=list(items), total=total)


@router.get(
    "/competitions/{competition_id}/innovations/{innovation_id}/summary",
    response_model=PublicInnovationSummary,
    responses=responses_for(NotFound),
    openapi_extra=PUBLIC,
)
def read_public_innovation_summary(
    competition_id: IdPath, innovation_id: IdPath, session: SessionDep, user: OptionalUser
) -> PublicInnovationSummary:
    """The public summary of an innovation on the public list (the sections the template
    marks public), so that an objection is informed; 404 while the list is not public."""
    competition = competitions_service.get_visible(
        session=session, competition_id=competition_id, user=user
    )
    return queries.public_summary(
        session=session, competition=competition, innovation_id=innovation_id
    )


@router.post(
    "/competitions/{competition_id}/innovations",
    response_model=InnovationOut,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
)
def create_competition_innovation(
    competition_id: IdPath, body: InnovationCreate, session: SessionDep, actor: ProposerUser
) -> InnovationOut:
    """Start a draft proposal while the submission window is open.

    Innovators and agency admins propose for their own agency (the default) and join the
    team; an agency admin or the admin may name the team's innovators in `team_user_ids`.
    """
    competition = competitions_service.get_visible(
        session=session, competition_id=competition_id, user=actor
    )
    innovation = drafts.create(session=session, actor=actor, competition=competition, draft=body)
    return queries.present(session=session, innovation=innovation, viewer=actor)


@router.get("/innovations/{innovation_id}", response_model=InnovationOut, responses=READ_ERRORS)
def read_innovation(innovation_id: IdPath, session: SessionDep, user: CurrentUser) -> InnovationOut:
    """One proposal: for its team, their agency admin, the admin and its assigned judges."""
    innovation = access.get_readable(session=session, innovation_id=innovation_id, user=user)
    return queries.present(session=session, innovation=innovation, viewer=user)


@router.patch("/innovations/{innovation_id}", response_model=InnovationOut, responses=WRITE_ERRORS)
def update_innovation(
    innovation_id: IdPath, body: InnovationPatch, session: SessionDep, user: ProposerUser
) -> InnovationOut:
    """Change a draft within the submission window; `version` must be the one you read
    (409 when someone else saved first — nothing is overwritten)."""
    innovation = access.get_editable(session=session, innovation_id=innovation_id, user=user)
    innovation = drafts.update_draft(session=session, actor=user, innovation=innovation, patch=body)
    return queries.present(session=session, innovation=innovation, viewer=user)


@router.get(
    "/innovations/{innovation_id}/readiness",
    response_model=ReadinessOut,
    # A finding has no import `row`: leave the key out, as the submit's 422 `errors` do.
    response_model_exclude_none=True,
    responses=responses_for(Unauthorized, Forbidden, NotFound),
)
def read_innovation_readiness(
    innovation_id: IdPath, request: Request, session: SessionDep, user: ProposerUser
) -> ReadinessOut:
    """What the administrative stage would find missing, before submitting."""
    innovation = access.get_editable(session=session, innovation_id=innovation_id, user=user)
    problems = submission.readiness_problems(session=session, innovation=innovation)
    lang = request_language(request)
    return ReadinessOut(
        ready=not problems,
        problems=[
            ReadinessProblem.model_validate({**p.as_error(), "message": p.message.in_(lang)})
            for p in problems
        ],
    )


@router.post(
    "/innovations/{innovation_id}/submit", response_model=InnovationOut, responses=WRITE_ERRORS
)
def submit_innovation(innovation_id: IdPath, session: SessionDep, user: OwnerUser) -> InnovationOut:
    """Submit a ready draft within the window (422 lists what is missing)."""
    innovation = access.get_owned(session=session, innovation_id=innovation_id, user=user)
    innovation = submission.submit(session=session, actor=user, innovation=innovation)
    return queries.present(session=session, innovation=innovation, viewer=user)


@router.post(
    "/innovations/{innovation_id}/withdraw", response_model=InnovationOut, responses=WRITE_ERRORS
)
def withdraw_innovation(
    innovation_id: IdPath, session: SessionDep, user: OwnerUser
) -> InnovationOut:
    """Withdraw a draft or submitted proposal within the submission window."""
    innovation = access.get_owned(session=session, innovation_id=innovation_id, user=user)
    innovation = submission.withdraw(session=session, actor=user, innovation=innovation)
    return queries.present(session=session, innovation=innovation, viewer=user)


@router.post(
    "/innovations/{innovation_id}/administrative-review",
    response_model=InnovationOut,
    responses=WRITE_ERRORS,
)
def review_innovation_administratively(
    innovation_id: IdPath, body: AdministrativeReviewIn, session: SessionDep, admin: AdminUser
) -> InnovationOut:
    """Pass (eligible) or fail (ineligible, with the reasons in `notes`) a submitted proposal
    against the checklist; may be revised while the administrative stage is current."""
    innovation = access.get_readable(session=session, innovation_id=innovation_id, user=admin)
    innovation = review.review(
        session=session,
        actor=admin,
        innovation=innovation,
        passed=body.passed,
        checks=body.checks,
        notes=body.notes,
    )
    return queries.present(session=session, innovation=innovation, viewer=admin)


# Registered last, so the evidence routes keep their place in the OpenAPI document.
router.include_router(attachments_router.router)
