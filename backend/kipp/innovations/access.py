"""Who may read and act on a proposal, and what of its status they may see.

DESIGN.md: the team, the agency admin of the innovation's agency and the admin read and edit; a
judge reads an innovation assigned to them; anyone else gets 404, so ids don't leak (404 before
403: someone who can't even see a proposal never learns it exists).
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import Session, selectinload

from kipp.competitions import stages
from kipp.errors import Forbidden, NotFound
from kipp.models import Competition, Innovation, InnovationStatus, Role, User, innovation_team
from kipp.panel import assignments as judging_assignments

ELIGIBLE: Final = InnovationStatus.ELIGIBLE.value
# What the public may ever see: innovations that passed the administrative stage.
PUBLIC_STATUSES: Final = judging_assignments.JUDGED_STATUSES
# The panel's TOP N decision (nominated / not nominated) stays the panel's until it is
# announced: before the announcement stage the proposing roles and the public see a decided
# innovation as eligible, and cannot filter by the decision either.
DECIDED: Final = frozenset({InnovationStatus.NOMINATED.value, InnovationStatus.NOT_NOMINATED.value})


def is_team_member(innovation: Innovation, user: User) -> bool:
    """Whether ``user`` is on the proposal's team."""
    return any(member.id == user.id for member in innovation.team)


def is_agency_admin_of(innovation: Innovation, user: User) -> bool:
    """Whether ``user`` is the agency admin of the proposal's agency."""
    return user.role == Role.AGENCY_ADMIN and user.agency_id == innovation.agency_id


def can_act_as_owner(innovation: Innovation, user: User) -> bool:
    """The team and their agency admin: submit, withdraw, upload and delete evidence."""
    return is_team_member(innovation, user) or is_agency_admin_of(innovation, user)


def can_edit(innovation: Innovation, user: User) -> bool:
    """The owners and the admin: edit a draft, see its readiness."""
    return user.role == Role.ADMIN or can_act_as_owner(innovation, user)


def can_read(*, session: Session, innovation: Innovation, user: User) -> bool:
    """Whoever may edit, and the judges the proposal is assigned to."""
    if can_edit(innovation, user):
        return True
    return user.role == Role.JUDGE and judging_assignments.is_assigned(
        session=session, innovation=innovation, judge=user
    )


def load(*, session: Session, innovation_id: int) -> Innovation | None:
    """The innovation with its team, fresh from the database (a stale identity-map copy would
    hide a move made by an ``UPDATE`` statement)."""
    return session.scalar(
        select(Innovation)
        .where(Innovation.id == innovation_id)
        .options(selectinload(Innovation.team))
        .execution_options(populate_existing=True)
    )


def reload(*, session: Session, innovation: Innovation) -> Innovation:
    """``innovation`` as the database has it now (after a move or an update)."""
    reloaded = load(session=session, innovation_id=innovation.id)
    assert reloaded is not None
    return reloaded


def get_readable(*, session: Session, innovation_id: int, user: User) -> Innovation:
    """The innovation when ``user`` may read it; 404 otherwise (ids don't leak)."""
    innovation = load(session=session, innovation_id=innovation_id)
    if innovation is None or not can_read(session=session, innovation=innovation, user=user):
        raise NotFound(f"Innovation {innovation_id} does not exist.")
    return innovation


def get_editable(*, session: Session, innovation_id: int, user: User) -> Innovation:
    """The innovation when ``user`` may edit it: 404 when they can't even see it, else 403."""
    innovation = get_readable(session=session, innovation_id=innovation_id, user=user)
    if not can_edit(innovation, user):
        raise Forbidden("Only the team, their agency admin and the admin edit a proposal.")
    return innovation


def get_owned(*, session: Session, innovation_id: int, user: User) -> Innovation:
    """The innovation when ``user`` is on its team or its agency admin (404 / 403 otherwise)."""
    innovation = get_readable(session=session, innovation_id=innovation_id, user=user)
    if not can_act_as_owner(innovation, user):
        raise Forbidden("Only the team and their agency admin do this.")
    return innovation


# --------------------------------------------------------------------------- what they see


def sees_decision(*, current_stage: str, viewer: User | None) -> bool:
    """Whether ``viewer`` may see the TOP N decision on an innovation's status now: the
    organising team and the panel always, everyone else once it is announced."""
    if viewer is not None and viewer.role in (Role.ADMIN, Role.JUDGE):
        return True
    return stages.reached(current_stage, "announcement")


def shown_status(status: str, *, decision_visible: bool) -> str:
    """The status as the viewer may see it (an undisclosed decision reads as eligible)."""
    return ELIGIBLE if status in DECIDED and not decision_visible else status


def status_filter(status: str, *, decision_visible: bool) -> ColumnElement[bool]:
    """``status = :status`` as the viewer sees statuses: without the decision, ``eligible``
    matches every decided innovation and the decided statuses match nothing."""
    if decision_visible:
        return Innovation.status == status
    if status == ELIGIBLE:
        return Innovation.status.in_([ELIGIBLE, *sorted(DECIDED)])
    if status in DECIDED:
        return false()
    return Innovation.status == status


def scope(*, session: Session, competition: Competition, user: User) -> ColumnElement[bool]:
    """The condition restricting a competition's innovations to what ``user``'s role sees."""
    if user.role == Role.ADMIN:
        return true()
    if user.role == Role.AGENCY_ADMIN:
        return Innovation.agency_id == user.agency_id
    if user.role == Role.JUDGE:
        assigned = [
            a.innovation_id
            for a in judging_assignments.assignments(
                session=session, competition_id=competition.id, judge_id=user.id
            )
        ]
        return Innovation.id.in_(assigned)
    team_of = select(innovation_team.c.innovation_id).where(innovation_team.c.user_id == user.id)
    return Innovation.id.in_(team_of)
