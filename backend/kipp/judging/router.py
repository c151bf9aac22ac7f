"""Judging endpoints: rubric, panel, conflicts of interest, a judge's assignments, scoresheets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Response, status

from kipp.competitions import service as competitions_service
from kipp.deps import AdminUser, CurrentUser, JudgeUser, SessionDep
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
from kipp.judging import service
from kipp.judging.schemas import (
    AssignmentOut,
    AssignmentPage,
    AssignmentProgress,
    ConflictDeclarationIn,
    ConflictOut,
    ConflictPage,
    ConflictRecordIn,
    CriterionIn,
    CriterionOut,
    JudgeProgressOut,
    JudgingProgressOut,
    PanelIn,
    PanelJudgeOut,
    PanelOut,
    ReopenIn,
    RubricOut,
    ScoresheetIn,
    ScoresheetOut,
    ScoresheetPage,
)
from kipp.models import Criterion
from kipp.schemas import Paging, paging

router = APIRouter(tags=["judging"], responses=responses_for(Unauthorized, Forbidden))

_READ_ERRORS = responses_for(NotFound)
_WRITE_ERRORS = responses_for(NotFound, ValidationFailed, Conflict)
_SCORING_ERRORS = responses_for(NotFound, ValidationFailed, WindowClosed)


def _rubric(*, session: SessionDep, competition_id: int, criteria: list[Criterion]) -> RubricOut:
    return RubricOut(
        items=[CriterionOut.model_validate(c) for c in criteria],
        total=len(criteria),
        locked=service.rubric_locked(session=session, competition_id=competition_id),
    )


@router.get(
    "/competitions/{competition_id}/criteria", response_model=RubricOut, responses=_READ_ERRORS
)
def read_competition_criteria(
    competition_id: int, session: SessionDep, user: CurrentUser
) -> RubricOut:
    """The rubric (admins, and the judges on the panel)."""
    competition = competitions_service.get(
        session=session, competition_id=competition_id, with_stages=False
    )
    service.ensure_can_read_rubric(session=session, competition=competition, user=user)
    criteria = service.list_criteria(session=session, competition_id=competition.id)
    return _rubric(session=session, competition_id=competition.id, criteria=criteria)


@router.put(
    "/competitions/{competition_id}/criteria", response_model=RubricOut, responses=_WRITE_ERRORS
)
def replace_competition_criteria(
    competition_id: int,
    body: Annotated[list[CriterionIn], Body()],
    session: SessionDep,
    admin: AdminUser,
) -> RubricOut:
    """Replace the whole rubric: unique keys, weights totalling 100, integer scales `min < max`.

    Refused (409) once any scoresheet exists.
    """
    competition = competitions_service.get(
        session=session, competition_id=competition_id, with_stages=False
    )
    criteria = service.replace_criteria(
        session=session,
        actor=admin,
        competition=competition,
        criteria=[c.model_dump() for c in body],
    )
    return _rubric(session=session, competition_id=competition.id, criteria=criteria)


def _panel_out(judges: list[service.PanelJudge]) -> PanelOut:
    return PanelOut(
        user_ids=sorted(j.id for j in judges),
        items=[PanelJudgeOut.model_validate(j) for j in judges],
        total=len(judges),
    )


@router.get(
    "/competitions/{competition_id}/judges", response_model=PanelOut, responses=_READ_ERRORS
)
def read_competition_panel(competition_id: int, session: SessionDep, admin: AdminUser) -> PanelOut:
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
    competition_id: int, session: SessionDep, admin: AdminUser
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
    competition_id: int, body: PanelIn, session: SessionDep, admin: AdminUser
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
    competition_id: int,
    session: SessionDep,
    admin: AdminUser,
    page: Annotated[Paging, Depends(paging)],
    judge_id: int | None = None,
) -> ConflictPage:
    """Every conflict of interest: automatic (own agency), declared by judges, recorded by admins."""
    competition = competitions_service.get(
        session=session, competition_id=competition_id, with_stages=False
    )
    conflicts = service.list_conflicts(
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
    competition_id: int,
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
    conflict, created = service.record_conflict(
        session=session,
        actor=admin,
        competition=competition,
        innovation_id=body.innovation_id,
        judge_id=body.judge_id,
        reason=body.reason,
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return ConflictOut.model_validate(service.conflict_view(session=session, conflict=conflict))


@router.post(
    "/innovations/{innovation_id}/conflicts",
    response_model=ConflictOut,
    status_code=status.HTTP_201_CREATED,
    responses={**_WRITE_ERRORS, 200: {"description": "Already declared: the existing conflict"}},
)
def declare_innovation_conflict(
    innovation_id: int,
    body: ConflictDeclarationIn,
    session: SessionDep,
    judge: JudgeUser,
    response: Response,
) -> ConflictOut:
    """Declare a conflict of interest: you will not score this innovation; your draft is deleted.

    A final scoresheet must be reopened by the organising team first (409). Declaring again
    answers 200 with the existing conflict.
    """
    conflict, created = service.declare_conflict(
        session=session, judge=judge, innovation_id=innovation_id, reason=body.reason
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return ConflictOut.model_validate(service.conflict_view(session=session, conflict=conflict))


@router.get("/me/assignments", response_model=AssignmentPage, responses=_READ_ERRORS)
def list_my_assignments(
    session: SessionDep, judge: JudgeUser, competition_id: int | None = None
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


@router.put(
    "/innovations/{innovation_id}/scores/me",
    response_model=ScoresheetOut,
    responses=_SCORING_ERRORS,
)
def save_my_scoresheet(
    innovation_id: int, body: ScoresheetIn, session: SessionDep, judge: JudgeUser
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
    innovation_id: int, session: SessionDep, judge: JudgeUser
) -> ScoresheetOut:
    """Make my scoresheet final; every criterion must be scored (422 lists the missing ones)."""
    sheet = service.submit(session=session, judge=judge, innovation_id=innovation_id)
    return ScoresheetOut.model_validate(sheet)


@router.get(
    "/innovations/{innovation_id}/scores", response_model=ScoresheetPage, responses=_READ_ERRORS
)
def list_innovation_scoresheets(
    innovation_id: int, session: SessionDep, user: CurrentUser
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
    innovation_id: int, judge_id: int, body: ReopenIn, session: SessionDep, admin: AdminUser
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
