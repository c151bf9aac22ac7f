"""The stage-flow endpoints: check what blocks the next stage, and move to it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Request

from kipp import clock
from kipp.competitions import service as competitions_service
from kipp.competitions.schemas import CompetitionOut
from kipp.deps import AdminUser, SessionDep, api_router
from kipp.errors import (
    Forbidden,
    InvalidTransition,
    NotFound,
    Unauthorized,
    ValidationFailed,
    request_language,
    responses_for,
)
from kipp.schemas import IdPath
from kipp.stageflow import service
from kipp.stageflow.schemas import AdvanceCheck, AdvanceIn

# The same prefix and tag as the competition routes: one section of the API document.
router = api_router(prefix="/competitions", tags=["competitions"])
_WRITE_ERRORS = responses_for(Unauthorized, Forbidden, ValidationFailed)


@router.get(
    "/{competition_id}/advance",
    response_model=AdvanceCheck,
    responses={**_WRITE_ERRORS, **responses_for(NotFound)},
)
def check_competition_advance(
    competition_id: IdPath, session: SessionDep, _admin: AdminUser, request: Request
) -> AdvanceCheck:
    """What blocks the move to the next stage now, and what the move would do to the next
    stage's window (read-only; nothing moves)."""
    competition = competitions_service.get(session=session, competition_id=competition_id)
    return service.advance_check(
        session=session, competition=competition, lang=request_language(request)
    )


@router.post(
    "/{competition_id}/advance",
    response_model=CompetitionOut,
    responses={**_WRITE_ERRORS, **responses_for(NotFound, InvalidTransition)},
)
def advance_competition(
    competition_id: IdPath,
    session: SessionDep,
    admin: AdminUser,
    body: Annotated[AdvanceIn | None, Body()] = None,
) -> CompetitionOut:
    """Move to the next stage, or 409 with `blockers: [{code, message, count, ids}]`.

    Missing final scoresheets may be overridden with `force: true` and a `reason`. The next
    stage's window follows the move: not yet open, it opens now; ended, the move needs
    `ends_at` (its new end) or is refused with the blocker `window_end_past`."""
    body = body or AdvanceIn()
    competition = competitions_service.get(session=session, competition_id=competition_id)
    competition = service.advance(
        session=session,
        actor=admin,
        competition=competition,
        reason=body.reason,
        force=body.force,
        ends_at=body.ends_at,
    )
    return CompetitionOut.of(
        competition,
        now=clock.now(),
        parent=competitions_service.parent_link(session=session, competition=competition),
    )
