"""Who scores what: panel × eligible innovations − conflicts of interest.

A judge is conflicted on every innovation of their own agency (automatic) and on any innovation
with a recorded ConflictOfInterest row (declared by the judge or recorded by the admin).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from kipp.models import (
    Agency,
    ConflictOfInterest,
    Innovation,
    PanelMember,
    Schedule,
    ScheduleSlot,
    Scoresheet,
    ScoresheetStatus,
    User,
)

# Statuses of innovations that are (or were) in the judging: eligible and what follows it.
JUDGED_STATUSES = ("eligible", "nominated", "not_nominated", "winner")


@dataclass(frozen=True)
class Assignment:
    innovation_id: int
    judge_id: int
    scoresheet_status: str | None  # None: not started; "draft"; "final"


def panel_judge_ids(*, session: Session, competition_id: int) -> list[int]:
    return list(
        session.scalars(
            select(PanelMember.user_id)
            .where(PanelMember.competition_id == competition_id)
            .order_by(PanelMember.user_id)
        )
    )


def is_on_panel(*, session: Session, competition_id: int, judge_id: int) -> bool:
    return (
        session.get(PanelMember, {"competition_id": competition_id, "user_id": judge_id})
        is not None
    )


def is_conflicted(*, session: Session, innovation: Innovation, judge: User) -> bool:
    if judge.agency_id is not None and innovation.agency_id == judge.agency_id:
        return True
    return (
        session.scalar(
            select(ConflictOfInterest.id).where(
                ConflictOfInterest.innovation_id == innovation.id,
                ConflictOfInterest.judge_id == judge.id,
            )
        )
        is not None
    )


def is_assigned(*, session: Session, innovation: Innovation, judge: User) -> bool:
    """Whether ``judge`` must score ``innovation``: on the panel, eligible, not conflicted."""
    return (
        innovation.status in JUDGED_STATUSES
        and is_on_panel(
            session=session, competition_id=innovation.competition_id, judge_id=judge.id
        )
        and not is_conflicted(session=session, innovation=innovation, judge=judge)
    )


def assignments(
    *, session: Session, competition_id: int, judge_id: int | None = None
) -> list[Assignment]:
    """Every (innovation, judge) pair to be scored, with the scoresheet's state — one query."""
    judge = User.__table__.alias("judge")
    query = (
        select(Innovation.id, PanelMember.user_id, Scoresheet.status)
        .join(PanelMember, PanelMember.competition_id == Innovation.competition_id)
        .join(judge, judge.c.id == PanelMember.user_id)
        .outerjoin(
            Scoresheet,
            and_(
                Scoresheet.innovation_id == Innovation.id,
                Scoresheet.judge_id == PanelMember.user_id,
            ),
        )
        .where(
            Innovation.competition_id == competition_id,
            Innovation.status.in_(JUDGED_STATUSES),
            ~or_(
                and_(judge.c.agency_id.is_not(None), Innovation.agency_id == judge.c.agency_id),
                exists().where(
                    ConflictOfInterest.innovation_id == Innovation.id,
                    ConflictOfInterest.judge_id == PanelMember.user_id,
                ),
            ),
        )
        .order_by(Innovation.id, PanelMember.user_id)
    )
    if judge_id is not None:
        query = query.where(PanelMember.user_id == judge_id)
    return [
        Assignment(innovation_id=i, judge_id=j, scoresheet_status=s)
        for i, j, s in session.execute(query)
    ]


def missing_final(*, session: Session, competition_id: int) -> list[Assignment]:
    """Assignments without a final scoresheet (what blocks the move to nomination)."""
    return [
        a
        for a in assignments(session=session, competition_id=competition_id)
        if a.scoresheet_status != ScoresheetStatus.FINAL
    ]


@dataclass(frozen=True)
class WorkItem:
    """One innovation a judge must score, with what the judge's list shows about it."""

    competition_id: int
    innovation_id: int
    title: str
    agency_code: str
    group: str
    category: str
    scoresheet_status: str | None
    scoresheet_updated_at: datetime | None
    slot_starts_at: datetime | None = None  # the published presentation slot, if any
    slot_place: str | None = None


def judge_worklist(
    *, session: Session, judge_id: int, competition_ids: Sequence[int]
) -> list[WorkItem]:
    """What ``judge_id`` must score in the given competitions (one query, same rules as
    ``assignments``): eligible innovations, minus own-agency and recorded conflicts; in the
    day's order of the published presentation schedule, unscheduled ones after, by title."""
    if not competition_ids:
        return []
    judge = User.__table__.alias("judge")
    query = (
        select(
            Innovation.competition_id,
            Innovation.id,
            Innovation.title,
            Agency.code,
            Innovation.group,
            Innovation.category,
            Scoresheet.status,
            Scoresheet.updated_at,
            ScheduleSlot.starts_at,
            ScheduleSlot.place,
        )
        .join(Agency, Agency.id == Innovation.agency_id)
        .join(
            PanelMember,
            and_(
                PanelMember.competition_id == Innovation.competition_id,
                PanelMember.user_id == judge_id,
            ),
        )
        .join(judge, judge.c.id == PanelMember.user_id)
        .outerjoin(
            Scoresheet,
            and_(Scoresheet.innovation_id == Innovation.id, Scoresheet.judge_id == judge_id),
        )
        .outerjoin(
            Schedule,
            and_(
                Schedule.competition_id == Innovation.competition_id,
                Schedule.published_at.is_not(None),
            ),
        )
        .outerjoin(
            ScheduleSlot,
            and_(
                ScheduleSlot.innovation_id == Innovation.id,
                Schedule.competition_id.is_not(None),
            ),
        )
        .where(
            Innovation.competition_id.in_(competition_ids),
            Innovation.status.in_(JUDGED_STATUSES),
            ~or_(
                and_(judge.c.agency_id.is_not(None), Innovation.agency_id == judge.c.agency_id),
                exists().where(
                    ConflictOfInterest.innovation_id == Innovation.id,
                    ConflictOfInterest.judge_id == judge_id,
                ),
            ),
        )
        .order_by(
            Innovation.competition_id,
            ScheduleSlot.starts_at.is_(None),
            ScheduleSlot.starts_at,
            Innovation.title,
            Innovation.id,
        )
    )
    return [WorkItem(*tuple(row)) for row in session.execute(query)]
