"""Scoring endpoints: a judge's scoresheet, the scoresheets of an innovation, reopening."""

from __future__ import annotations

from kipp.deps import AdminUser, CurrentUser, JudgeUser, SessionDep, api_router
from kipp.errors import (
    Conflict,
    Forbidden,
    InvalidTransition,
    NotFound,
    Unauthorized,
    ValidationFailed,
    WindowClosed,
    responses_for,
)
from kipp.schemas import IdPath
from kipp.scoring import service
from kipp.scoring.schemas import ReopenIn, ScoresheetIn, ScoresheetOut, ScoresheetPage

router = api_router(tags=["judging"], responses=responses_for(Unauthorized, Forbidden))

_READ_ERRORS = responses_for(NotFound)
_WRITE_ERRORS = responses_for(NotFound, ValidationFailed, Conflict)
_SCORING_ERRORS = responses_for(NotFound, ValidationFailed, WindowClosed)


@router.put(
    "/innovations/{innovation_id}/scores/me",
    response_model=ScoresheetOut,
    responses=_SCORING_ERRORS,
)
def save_my_scoresheet(
    innovation_id: IdPath, body: ScoresheetIn, session: SessionDep, judge: JudgeUser
) -> ScoresheetOut:
    """Save my draft scoresheet (partial scores allowed). Idempotent: a retry changes nothing.

    Only while the presentation stage is current and its window open.
    """
    sheet = service.save_draft(
        session=session,
        judge=judge,
        innovation_id=innovation_id,
        scores=body.scores,
        comment=body.comment,
    )
    return ScoresheetOut.model_validate(sheet)


@router.post(
    "/innovations/{innovation_id}/scores/me/submit",
    response_model=ScoresheetOut,
    responses=_SCORING_ERRORS,
)
def submit_my_scoresheet(
    innovation_id: IdPath, session: SessionDep, judge: JudgeUser
) -> ScoresheetOut:
    """Make my scoresheet final; every criterion must be scored (422 lists the missing ones)."""
    sheet = service.submit(session=session, judge=judge, innovation_id=innovation_id)
    return ScoresheetOut.model_validate(sheet)


@router.get(
    "/innovations/{innovation_id}/scores", response_model=ScoresheetPage, responses=_READ_ERRORS
)
def list_innovation_scoresheets(
    innovation_id: IdPath, session: SessionDep, user: CurrentUser
) -> ScoresheetPage:
    """The scoresheets: admins see all; a judge sees only their own until the nomination stage."""
    sheets = service.list_scoresheets(session=session, user=user, innovation_id=innovation_id)
    return ScoresheetPage(
        items=[ScoresheetOut.model_validate(s) for s in sheets], total=len(sheets)
    )


@router.post(
    "/innovations/{innovation_id}/scores/{judge_id}/reopen",
    response_model=ScoresheetOut,
    responses={**_WRITE_ERRORS, **responses_for(InvalidTransition)},
)
def reopen_scoresheet(
    innovation_id: IdPath, judge_id: IdPath, body: ReopenIn, session: SessionDep, admin: AdminUser
) -> ScoresheetOut:
    """Turn a judge's final scoresheet back into a draft (presentation stage only). Logged."""
    sheet = service.reopen(
        session=session,
        actor=admin,
        innovation_id=innovation_id,
        judge_id=judge_id,
        reason=body.reason,
    )
    return ScoresheetOut.model_validate(sheet)
