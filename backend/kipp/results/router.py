"""Nomination, results manifest, announcement results, objections, finalising."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, status

from kipp.competitions import service as competitions_service
from kipp.deps import (
    PUBLIC,
    AdminUser,
    ClientAddress,
    CurrentUser,
    OptionalUser,
    RequestLang,
    SessionDep,
    api_router,
)
from kipp.errors import (
    Conflict,
    Forbidden,
    InvalidTransition,
    NotFound,
    TooManyRequests,
    Unauthorized,
    ValidationFailed,
    WindowClosed,
    responses_for,
)
from kipp.results import manifest as manifest_service
from kipp.results import nomination as nomination_service
from kipp.results import policy
from kipp.results import service as results_service
from kipp.results.schemas import (
    ManifestOut,
    NominationIn,
    NominationOut,
    NominationPreviewOut,
    ObjectionAnswerIn,
    ObjectionIn,
    ObjectionOut,
    ObjectionReceipt,
    ResultsOut,
)
from kipp.schemas import IdPath, Page, Paging, paging

router = api_router(prefix="/competitions/{competition_id}", tags=["results"])
_ADMIN_ERRORS = responses_for(Unauthorized, Forbidden, NotFound)
_DECISION_ERRORS = responses_for(
    Unauthorized, Forbidden, NotFound, InvalidTransition, ValidationFailed
)


@router.post("/nomination/preview", response_model=NominationPreviewOut, responses=_DECISION_ERRORS)
def preview_competition_nomination(
    competition_id: IdPath, body: NominationIn, session: SessionDep, admin: AdminUser
) -> NominationPreviewOut:
    """How a TOP N decision differs from the computed ranking; saves nothing."""
    competition = competitions_service.get(session=session, competition_id=competition_id)
    return nomination_service.preview(
        session=session,
        competition=competition,
        innovation_ids=body.innovation_ids,
        honourable_mention_ids=body.honourable_mention_ids,
        method=body.method,
    )


@router.post("/nomination", response_model=NominationOut, responses=_DECISION_ERRORS)
def save_competition_nomination(
    competition_id: IdPath, body: NominationIn, session: SessionDep, admin: AdminUser
) -> NominationOut:
    """Record the TOP N decision (replacing an earlier one while still in nomination) and
    freeze the results manifest."""
    competition = competitions_service.get(session=session, competition_id=competition_id)
    nomination, _ = nomination_service.save(
        session=session,
        actor=admin,
        competition=competition,
        innovation_ids=body.innovation_ids,
        honourable_mention_ids=body.honourable_mention_ids,
        method=body.method,
        justification=body.justification,
    )
    return nomination_service.summary(nomination)


@router.get("/nomination", response_model=NominationOut, responses=_ADMIN_ERRORS)
def get_competition_nomination(
    competition_id: IdPath, session: SessionDep, user: CurrentUser
) -> NominationOut:
    """The saved TOP N decision. Admins and panel judges."""
    competition = competitions_service.get(session=session, competition_id=competition_id)
    policy.ensure_can_read_decision(session=session, competition=competition, user=user)
    nomination = nomination_service.require_nomination(session=session, competition=competition)
    return nomination_service.summary(nomination)


@router.get(
    "/results/manifest",
    response_model=ManifestOut,
    # Exactly the stored keys: a key an older manifest lacks is not shown as null.
    response_model_exclude_unset=True,
    responses=responses_for(Unauthorized, NotFound, Conflict),
    openapi_extra=PUBLIC,
)
def get_competition_results_manifest(
    competition_id: IdPath, session: SessionDep, user: OptionalUser
) -> ManifestOut:
    """The frozen results manifest, its SHA-256, and whether recomputing it verifies.

    Admins and panel judges once a decision exists; everyone after the announcement."""
    competition = competitions_service.get(session=session, competition_id=competition_id)
    policy.ensure_can_read_manifest(session=session, competition=competition, user=user)
    nomination = nomination_service.require_nomination(session=session, competition=competition)
    return manifest_service.manifest_view(
        nomination, reader=user, competition_organisation_id=competition.organisation_id
    )


@router.get(
    "/results",
    response_model=ResultsOut,
    responses=responses_for(NotFound),
    openapi_extra=PUBLIC,
)
def get_competition_results(competition_id: IdPath, session: SessionDep) -> ResultsOut:
    """The announced TOP N and the objection period. Public; 404 before the announcement."""
    competition = results_service.announced_competition(
        session=session, competition_id=competition_id
    )
    return results_service.results(session=session, competition=competition)


@router.post(
    "/objections",
    response_model=ObjectionReceipt,
    status_code=status.HTTP_201_CREATED,
    responses=responses_for(NotFound, WindowClosed, ValidationFailed, TooManyRequests),
    openapi_extra=PUBLIC,
)
def file_competition_objection(
    competition_id: IdPath,
    body: ObjectionIn,
    session: SessionDep,
    address: ClientAddress,
    lang: RequestLang,
) -> ObjectionReceipt:
    """File a public objection (uji publik) while the objection period is open."""
    competition = results_service.announced_competition(
        session=session, competition_id=competition_id
    )
    objection = results_service.file_objection(
        session=session,
        competition=competition,
        innovation_id=body.innovation_id,
        name=body.name,
        email=str(body.email),
        text=body.text,
        client_address=address,
        lang=lang,
    )
    return ObjectionReceipt.model_validate(objection)


@router.get("/objections", response_model=Page[ObjectionOut], responses=_ADMIN_ERRORS)
def list_competition_objections(
    competition_id: IdPath,
    session: SessionDep,
    admin: AdminUser,
    page: Annotated[Paging, Depends(paging)],
) -> Page[ObjectionOut]:
    """Every objection filed, oldest first."""
    competition = competitions_service.get(session=session, competition_id=competition_id)
    objections, total = results_service.list_objections(
        session=session, competition=competition, limit=page.limit, offset=page.offset
    )
    return Page(items=[ObjectionOut.model_validate(o) for o in objections], total=total)


@router.post(
    "/objections/{objection_id}/answer",
    response_model=ObjectionOut,
    responses=responses_for(Unauthorized, Forbidden, NotFound, ValidationFailed),
)
def answer_competition_objection(
    competition_id: IdPath,
    objection_id: IdPath,
    body: ObjectionAnswerIn,
    session: SessionDep,
    admin: AdminUser,
) -> ObjectionOut:
    """Answer an objection: the answer is e-mailed to the objector in their language."""
    competition = competitions_service.get(session=session, competition_id=competition_id)
    objection = results_service.get_objection(
        session=session, competition=competition, objection_id=objection_id
    )
    objection = results_service.answer_objection(
        session=session,
        actor=admin,
        competition=competition,
        objection=objection,
        answer=body.answer,
    )
    return ObjectionOut.model_validate(objection)


@router.post(
    "/finalise",
    response_model=ResultsOut,
    responses=responses_for(Unauthorized, Forbidden, NotFound, Conflict),
)
def finalise_competition_results(
    competition_id: IdPath, session: SessionDep, admin: AdminUser
) -> ResultsOut:
    """Make the result final after the objection period: the TOP N become winners."""
    competition = competitions_service.get(session=session, competition_id=competition_id)
    competition = results_service.finalise(session=session, actor=admin, competition=competition)
    return results_service.results(session=session, competition=competition)
