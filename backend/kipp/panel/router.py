"""Panel endpoints: the judges, their progress, conflicts of interest, a judge's assignments."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Response, status

from kipp.competitions import service as competitions_service
from kipp.deps import AdminUser, JudgeUser, SessionDep, api_router
from kipp.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed, responses_for
from kipp.panel import conflicts as conflicts_service
from kipp.panel import service
from kipp.panel.schemas import (
    AssignmentOut,
    AssignmentPage,
    AssignmentProgress,
    ConflictDeclarationIn,
    ConflictOut,
    ConflictPage,
    ConflictRecordIn,
    JudgeProgressOut,
    JudgingProgressOut,
    PanelIn,
    PanelJudgeOut,
    PanelOut,
)
from kipp.schemas import IdPath, IdQuery, Paging, paging

router = api_router(tags=["judging"], responses=responses_for(Unauthorized, Forbidden))

_READ_ERRORS = responses_for(NotFound)
_WRITE_ERRORS = responses_for(NotFound, ValidationFailed, Conflict)


def _panel_out(judges: list[service.PanelJudge]) -> PanelOut:
    return PanelOut(
        user_ids=sorted(j.id for j in judges),
        items=[PanelJudgeOut.model_validate(j) for j in judges],
        total=len(judges),
    )


@router.get(
    "/competitions/{competition_id}/judges", response_model=PanelOut, responses=_READ_ERRORS
)
def read_competition_panel(
    competition_id: IdPath, session: SessionDep, admin: AdminUser
) -> PanelOut:
    """The judge panel."""
    competition = competitions_service.get(
        session=session, competition_id=competition_id, with_stages=False
    )
    return _panel_out(service.panel(session=session, competition_id=competition.id))


@router.get(
    "/competitions/{competition_id}/judging-progress",
    response_model=JudgingProgressOut,
    responses=_READ_ERRORS,
)
def read_competition_judging_progress(
    competition_id: IdPath, session: SessionDep, admin: AdminUser
) -> JudgingProgressOut:
    """Per panel judge: assignments final, draft and not started (conflicts excluded)."""
    competition = competitions_service.get(
        session=session, competition_id=competition_id, with_stages=False
    )
    rows = service.judging_progress(session=session, competition_id=competition.id)
    return JudgingProgressOut(
        judges=[
            JudgeProgressOut(
                judge_id=row.judge.id,
                full_name=row.judge.full_name,
                agency_code=row.judge.agency_code,
                final=row.final,
                draft=row.draft,
                to_do=row.to_do,
                total=row.total,
            )
            for row in rows
        ],
        progress=AssignmentProgress(
            final=sum(r.final for r in rows),
            draft=sum(r.draft for r in rows),
            to_do=sum(r.to_do for r in rows),
            total=sum(r.total for r in rows),
        ),
    )


@router.put(
    "/competitions/{competition_id}/judges", response_model=PanelOut, responses=_WRITE_ERRORS
)
def replace_competition_panel(
    competition_id: IdPath, body: PanelIn, session: SessionDep, admin: AdminUser
) -> PanelOut:
    """Set the panel to exactly these active judges.

    A judge with a final scoresheet cannot be removed (409); a removed judge's drafts are deleted.
    """
    competition = competitions_service.get(
        session=session, competition_id=competition_id, with_stages=False
    )
    judges = service.replace_panel(
        session=session, actor=admin, competition=competition, user_ids=body.user_ids
    )
    return _panel_out(judges)


@router.get(
    "/competitions/{competition_id}/conflicts",
    response_model=ConflictPage,
    responses=_READ_ERRORS,
)
def list_competition_conflicts(
    competition_id: IdPath,
    session: SessionDep,
    admin: AdminUser,
    page: Annotated[Paging, Depends(paging)],
    judge_id: IdQuery = None,
) -> ConflictPage:
    """Every conflict of interest: automatic (own agency), declared by judges, recorded by admins."""
    competition = competitions_service.get(
        session=session, competition_id=competition_id, with_stages=False
    )
    conflicts = conflicts_service.list_conflicts(
        session=session, competition_id=competition.id, judge_id=judge_id
    )
    window = conflicts[page.offset : page.offset + page.limit]
    return ConflictPage(items=[ConflictOut.model_validate(c) for c in window], total=len(conflicts))


@router.post(
    "/competitions/{competition_id}/conflicts",
    response_model=ConflictOut,
    status_code=status.HTTP_201_CREATED,
    responses={**_WRITE_ERRORS, 200: {"description": "Already recorded: the existing conflict"}},
)
def record_competition_conflict(
    competition_id: IdPath,
    body: ConflictRecordIn,
    session: SessionDep,
    admin: AdminUser,
    response: Response,
) -> ConflictOut:
    """Record a conflict of interest for a judge (source `admin`); their draft for it is deleted.

    Recording one that exists answers 200 with it.
    """
    competition = competitions_service.get(
        session=session, competition_id=competition_id, with_stages=False
    )
    conflict, created = conflicts_service.record_conflict(
        session=session,
        actor=admin,
        competition=competition,
        innovation_id=body.innovation_id,
        judge_id=body.judge_id,
        reason=body.reason,
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return ConflictOut.model_validate(
        conflicts_service.conflict_view(session=session, conflict=conflict)
    )


@router.post(
    "/innovations/{innovation_id}/conflicts",
    response_model=ConflictOut,
    status_code=status.HTTP_201_CREATED,
    responses={**_WRITE_ERRORS, 200: {"description": "Already declared: the existing conflict"}},
)
def declare_innovation_conflict(
    innovation_id: IdPath,
    body: ConflictDeclarationIn,
    session: SessionDep,
    judge: JudgeUser,
    response: Response,
) -> ConflictOut:
    """Declare a conflict of interest: you will not score this innovation; your draft is deleted.

    A final scoresheet must be reopened by the organising team first (409). Declaring again
    answers 200 with the existing conflict.
    """
    conflict, created = conflicts_service.declare_conflict(
        session=session, judge=judge, innovation_id=innovation_id, reason=body.reason
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return ConflictOut.model_validate(
        conflicts_service.conflict_view(session=session, conflict=conflict)
    )


@router.get("/me/assignments", response_model=AssignmentPage, responses=_READ_ERRORS)
def list_my_assignments(
    session: SessionDep, judge: JudgeUser, competition_id: IdQuery = None
) -> AssignmentPage:
    """What I must score (competitions from the presentation stage on), with my progress."""
    items, progress = service.my_assignments(
        session=session, judge=judge, competition_id=competition_id
    )
    return AssignmentPage(
        items=[AssignmentOut.model_validate(a) for a in items],
        total=len(items),
        progress=AssignmentProgress(**progress),
    )
