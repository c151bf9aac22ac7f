"""Promotion over HTTP: a competition's TOP N carried up to the next level, and what a
judge of that level received."""

from __future__ import annotations

from fastapi import Request

from kipp.competitions import service as competitions_service
from kipp.deps import AdminUser, JudgeUser, SessionDep, SettingsDep, api_router
from kipp.errors import (
    Conflict,
    Forbidden,
    NotFound,
    Unauthorized,
    ValidationFailed,
    request_language,
    responses_for,
)
from kipp.i18n import text_in
from kipp.promotions import service
from kipp.promotions.schemas import PromotedProposal, PromotionBoard, PromotionIn, PromotionResult
from kipp.schemas import IdPath, Page

router = api_router(tags=["promotions"])


@router.get(
    "/competitions/{competition_id}/promotions",
    response_model=PromotionBoard,
    responses=responses_for(Unauthorized, Forbidden, NotFound),
)
def list_competition_promotions(
    competition_id: IdPath, session: SessionDep, admin: AdminUser
) -> PromotionBoard:
    """The announced TOP N as candidates for the next level, and what was promoted where."""
    competition = competitions_service.get(session=session, competition_id=competition_id)
    return service.board(session=session, actor=admin, child=competition)


@router.post(
    "/competitions/{competition_id}/promotions",
    response_model=PromotionResult,
    responses=responses_for(Unauthorized, Forbidden, NotFound, Conflict, ValidationFailed),
)
def promote_competition_top(
    competition_id: IdPath,
    body: PromotionIn,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    admin: AdminUser,
) -> PromotionResult:
    """Promote the announced TOP N (or the listed part of it) to the parent competition:
    each becomes a proposal there, submitted on its behalf with its sections, team and
    evidence, carrying its provenance. Only within the parent's submission window. Promoting
    again makes nothing new (and says so)."""
    competition = competitions_service.get(session=session, competition_id=competition_id)
    outcome = service.promote(
        session=session,
        settings=settings,
        actor=admin,
        child=competition,
        innovation_ids=body.innovation_ids,
    )
    return PromotionResult(
        created_innovation_ids=outcome.created,
        already_promoted_ids=outcome.already,
        detail=text_in(outcome.detail, request_language(request)),
        board=outcome.board,
    )


@router.get(
    "/me/promoted-proposals",
    response_model=Page[PromotedProposal],
    responses=responses_for(Unauthorized, Forbidden),
)
def list_my_promoted_proposals(session: SessionDep, judge: JudgeUser) -> Page[PromotedProposal]:
    """Proposals promoted from the level below into competitions whose panel I sit on: read
    them (and their evidence) as soon as they arrive; scoring waits for the administrative
    selection."""
    items = service.received_by_judge(session=session, judge=judge)
    return Page(items=items, total=len(items))
