"""Who may promote, see a provenance and read a promoted proposal: the one place these
organisation-level questions are answered.

The child's organising team (its organisation's organisers, or the platform admin) promotes;
the parent's organising team and the parent's panel see the provenance and read the promoted
proposal.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp.models import Competition, Innovation, Promotion, User
from kipp.panel import assignments
from kipp.policy import is_judge, manages


def may_promote(user: User, child: Competition) -> bool:
    """Whether ``user`` organises ``child`` and so may promote its TOP N to its parent."""
    return manages(user, child.organisation_id)


def organises(user: User, competition: Competition) -> bool:
    """Whether ``user`` organises ``competition`` (sees what it received, and from where)."""
    return manages(user, competition.organisation_id)


def is_promoted(*, session: Session, innovation_id: int) -> bool:
    """Whether the proposal was promoted into its competition from the level below."""
    return (
        session.scalar(select(Promotion.id).where(Promotion.target_innovation_id == innovation_id))
        is not None
    )


def panel_may_read(*, session: Session, innovation: Innovation, judge: User) -> bool:
    """A judge on the parent's panel reads a promoted proposal from the moment it arrives —
    it was judged and announced at the level below — unless conflicted (their own agency, or a
    declared conflict). Scoring it waits, as always, for the administrative selection."""
    return (
        is_judge(judge)
        and is_promoted(session=session, innovation_id=innovation.id)
        and assignments.is_on_panel(
            session=session, competition_id=innovation.competition_id, judge_id=judge.id
        )
        and not assignments.is_conflicted(session=session, innovation=innovation, judge=judge)
    )


def may_see_provenance(*, session: Session, innovation: Innovation, user: User) -> bool:
    """The parent's organising team and its panel see where a promoted proposal came from."""
    organisation_id = session.scalar(
        select(Competition.organisation_id).where(Competition.id == innovation.competition_id)
    )
    if manages(user, organisation_id):
        return True
    return is_judge(user) and assignments.is_on_panel(
        session=session, competition_id=innovation.competition_id, judge_id=user.id
    )


def provenance_of(*, session: Session, innovation_id: int) -> Promotion | None:
    """The promotion that brought the proposal into its competition, if it was promoted."""
    return session.scalar(select(Promotion).where(Promotion.target_innovation_id == innovation_id))
