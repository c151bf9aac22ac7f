"""The innovations policy: who may read and act on a proposal, and what of its status they
may see.

DESIGN.md: the team, the agency admin of the innovation's agency and the organising team of the
competition's organisation (and the platform admin) read and edit; a
judge reads an innovation assigned to them (on the panel, eligible, not conflicted); anyone else
gets 404, so ids don't leak (404 before 403, ``kipp.policy.enforce``: someone who can't even see
a proposal never learns it exists). The scoring policy reuses ``can_read``, so a judge who may
not read a proposal never reads its scoresheets either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import Session, object_session, selectinload

from kipp.competitions import stages
from kipp.i18n import Msg
from kipp.models import Competition, Innovation, InnovationStatus, User, innovation_team
from kipp.panel import assignments as judging_assignments
from kipp.policy import (
    HIDDEN,
    Verdict,
    enforce,
    is_agency_admin,
    is_innovator,
    is_judge,
    is_organiser_or_judge,
    is_platform_admin,
    manages,
    visible_or_404,
)
from kipp.provenance import policy as provenance_policy

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
    return is_agency_admin(user) and user.agency_id == innovation.agency_id


def can_act_as_owner(innovation: Innovation, user: User) -> bool:
    """The team and their agency admin: submit, withdraw, upload and delete evidence."""
    return is_team_member(innovation, user) or is_agency_admin_of(innovation, user)


def organisation_of(innovation: Innovation) -> int | None:
    """The organisation a proposal belongs to: its competition's (a promoted proposal sits in
    the next level's competition, whatever organisation its agency belongs to)."""
    session = object_session(innovation)
    assert session is not None, "an innovation read from the database"
    return session.scalar(
        select(Competition.organisation_id).where(Competition.id == innovation.competition_id)
    )


def is_organising_team_of(innovation: Innovation, user: User | None) -> bool:
    """Whether ``user`` manages the proposal's competition: the platform admin, or an organiser
    of the competition's organisation."""
    if is_platform_admin(user):
        return True
    return manages(user, organisation_of(innovation))


def can_edit(innovation: Innovation, user: User) -> bool:
    """The owners and the organising team: edit a draft, see its readiness."""
    return is_organising_team_of(innovation, user) or can_act_as_owner(innovation, user)


def can_read(*, session: Session, innovation: Innovation, user: User) -> bool:
    """Whoever may edit, the judges the proposal is assigned to, and — for a proposal promoted
    from the level below — the competition's panel from the moment it arrives."""
    if can_edit(innovation, user):
        return True
    if not is_judge(user):
        return False
    return judging_assignments.is_assigned(
        session=session, innovation=innovation, judge=user
    ) or provenance_policy.panel_may_read(session=session, innovation=innovation, judge=user)


def may_choose_team(user: User) -> bool:
    """Who names a proposal's team: the agency admins and the admin, not an innovator."""
    return not is_innovator(user)


def sees_duplicates(innovation: Innovation, user: User) -> bool:
    """Who is shown the other proposals with the same title: the organising team."""
    return is_organising_team_of(innovation, user)


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
    visible = innovation is not None and can_read(session=session, innovation=innovation, user=user)
    visible_or_404(visible, _not_found(innovation_id))
    assert innovation is not None
    return innovation


def get_editable(*, session: Session, innovation_id: int, user: User) -> Innovation:
    """The innovation when ``user`` may edit it: 404 when they can't even see it, else 403."""
    innovation = load(session=session, innovation_id=innovation_id)
    enforce(
        _verdict(session=session, innovation=innovation, user=user, allowed=can_edit),
        not_found=_not_found(innovation_id),
        forbidden=Msg(
            id="Hanya tim, admin perangkat daerahnya, dan admin yang dapat menyunting usulan.",
            en="Only the team, their agency admin and the admin edit a proposal.",
        ),
    )
    assert innovation is not None
    return innovation


def get_owned(*, session: Session, innovation_id: int, user: User) -> Innovation:
    """The innovation when ``user`` is on its team or its agency admin (404 / 403 otherwise)."""
    innovation = load(session=session, innovation_id=innovation_id)
    enforce(
        _verdict(session=session, innovation=innovation, user=user, allowed=can_act_as_owner),
        not_found=_not_found(innovation_id),
        forbidden=Msg(
            id="Hanya tim dan admin perangkat daerahnya yang dapat melakukan ini.",
            en="Only the team and their agency admin do this.",
        ),
    )
    assert innovation is not None
    return innovation


def _verdict(
    *,
    session: Session,
    innovation: Innovation | None,
    user: User,
    allowed: Callable[[Innovation, User], bool],
) -> Verdict:
    if innovation is None or not can_read(session=session, innovation=innovation, user=user):
        return HIDDEN
    return Verdict(visible=True, allowed=allowed(innovation, user))


def _not_found(innovation_id: int) -> Msg:
    return Msg(id="Inovasi {id} tidak ada.", en="Innovation {id} does not exist.").format(
        id=innovation_id
    )


# --------------------------------------------------------------------------- what they see


def sees_decision(*, current_stage: str, viewer: User | None) -> bool:
    """Whether ``viewer`` may see the TOP N decision on an innovation's status now: the
    organising team and the panel always, everyone else once it is announced."""
    if is_organiser_or_judge(viewer):
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
    if manages(user, competition.organisation_id):
        return true()
    if is_agency_admin(user):
        return Innovation.agency_id == user.agency_id
    if is_judge(user):
        assigned = [
            a.innovation_id
            for a in judging_assignments.assignments(
                session=session, competition_id=competition.id, judge_id=user.id
            )
        ]
        return Innovation.id.in_(assigned)
    team_of = select(innovation_team.c.innovation_id).where(innovation_team.c.user_id == user.id)
    return Innovation.id.in_(team_of)
