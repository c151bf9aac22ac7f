"""The panel policy: who sees the judging of a competition.

Only the organising team and judges ever take part in the judging (any other role: 403, the
same whatever the id). A judge sees a competition's judging only while on its panel, and an
innovation of it only once it is in the judging (eligible or later); anything else is 404, so a
judge cannot probe which ids exist. Whether a judge may read the innovation itself (not
conflicted) is the innovations policy's ``can_read``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kipp.models import Innovation, User
from kipp.panel import assignments
from kipp.panel.assignments import JUDGED_STATUSES
from kipp.policy import allowed_or_403, is_judge, is_organiser_or_judge, visible_or_404


def require_organiser_or_judge(user: User) -> None:
    """403 for every role but the organising team and judges."""
    allowed_or_403(is_organiser_or_judge(user), "Only the organising team and judges may do this.")


def on_panel(*, session: Session, competition_id: int, user: User | None) -> bool:
    """Whether ``user`` is a judge on the competition's panel."""
    return (
        user is not None
        and is_judge(user)
        and assignments.is_on_panel(
            session=session, competition_id=competition_id, judge_id=user.id
        )
    )


def get_innovation(*, session: Session, innovation_id: int) -> Innovation:
    """An innovation, or 404 (for the organising team, who see every one)."""
    innovation = session.get(Innovation, innovation_id)
    visible_or_404(innovation is not None, f"Innovation {innovation_id} does not exist.")
    assert innovation is not None
    return innovation


def panel_innovation(*, session: Session, innovation_id: int, judge: User) -> Innovation:
    """An innovation a panel judge may see: on the panel of its competition, and in the
    judging. Anything else is 404."""
    innovation = session.get(Innovation, innovation_id)
    visible = (
        innovation is not None
        and innovation.status in JUDGED_STATUSES
        and on_panel(session=session, competition_id=innovation.competition_id, user=judge)
    )
    visible_or_404(visible, f"Innovation {innovation_id} does not exist.")
    assert innovation is not None
    return innovation
