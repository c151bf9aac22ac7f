from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, status

from kipp import clock
from kipp.competitions import service, stages
from kipp.competitions.schemas import (
    AdvanceCheck,
    AdvanceIn,
    BlockerOut,
    CompetitionIn,
    CompetitionOut,
    CompetitionPatch,
)
from kipp.deps import AdminUser, OptionalUser, SessionDep
from kipp.errors import (
    Forbidden,
    InvalidTransition,
    NotFound,
    StaleVersion,
    Unauthorized,
    ValidationFailed,
    responses_for,
)
from kipp.schemas import Page, Paging, paging

router = APIRouter(prefix="/competitions", tags=["competitions"])
_WRITE_ERRORS = responses_for(Unauthorized, Forbidden, ValidationFailed)


@router.get("", response_model=Page[CompetitionOut], responses=responses_for(Unauthorized))
def list_competitions(
    session: SessionDep, user: OptionalUser, page: Annotated[Paging, Depends(paging)]
) -> Page[CompetitionOut]:
    """Competitions, newest year first. Public: published ones; admins see all."""
    competitions, total = service.list_competitions(
        session=session, user=user, limit=page.limit, offset=page.offset
    )
    now = clock.now()
    return Page(items=[CompetitionOut.of(c, now=now) for c in competitions], total=total)


@router.post(
    "", response_model=CompetitionOut, status_code=status.HTTP_201_CREATED, responses=_WRITE_ERRORS
)
def create_competition(
    body: CompetitionIn, session: SessionDep, admin: AdminUser
) -> CompetitionOut:
    """A new competition with its five stage windows; it starts in `submission`, unpublished
    unless told otherwise, with the default rubric."""
    competition = service.create(session=session, actor=admin, competition_in=body)
    return CompetitionOut.of(competition, now=clock.now())


@router.get(
    "/{competition_id}",
    response_model=CompetitionOut,
    responses=responses_for(Unauthorized, NotFound),
)
def read_competition(
    competition_id: int, session: SessionDep, user: OptionalUser
) -> CompetitionOut:
    """One competition with its stage timeline. Public once published."""
    competition = service.get_visible(session=session, competition_id=competition_id, user=user)
    return CompetitionOut.of(competition, now=clock.now())


@router.patch(
    "/{competition_id}",
    response_model=CompetitionOut,
    responses={**_WRITE_ERRORS, **responses_for(NotFound, StaleVersion)},
)
def update_competition(
    competition_id: int, body: CompetitionPatch, session: SessionDep, admin: AdminUser
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
    return CompetitionOut.of(competition, now=clock.now())


@router.get(
    "/{competition_id}/advance",
    response_model=AdvanceCheck,
    responses={**_WRITE_ERRORS, **responses_for(NotFound)},
)
def check_competition_advance(
    competition_id: int, session: SessionDep, _admin: AdminUser
) -> AdvanceCheck:
    """What blocks the move to the next stage now (read-only; nothing moves)."""
    competition = service.get(session=session, competition_id=competition_id)
    blockers = service.advance_blockers(session=session, competition=competition)
    target = stages.next_stage(competition.current_stage)
    return AdvanceCheck(
        current_stage=competition.current_stage,
        next_stage=target,
        can_advance=target is not None and not blockers,
        blockers=[BlockerOut.model_validate(b) for b in blockers],
    )


@router.post(
    "/{competition_id}/advance",
    response_model=CompetitionOut,
    responses={**_WRITE_ERRORS, **responses_for(NotFound, InvalidTransition)},
)
def advance_competition(
    competition_id: int,
    session: SessionDep,
    admin: AdminUser,
    body: Annotated[AdvanceIn | None, Body()] = None,
) -> CompetitionOut:
    """Move to the next stage, or 409 with `blockers: [{code, message, count, ids}]`.

    Missing final scoresheets may be overridden with `force: true` and a `reason`."""
    body = body or AdvanceIn()
    competition = service.get(session=session, competition_id=competition_id)
    competition = service.advance(
        session=session, actor=admin, competition=competition, reason=body.reason, force=body.force
    )
    return CompetitionOut.of(competition, now=clock.now())
