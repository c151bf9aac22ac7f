"""The scoring policy: who reads an innovation's scoresheets, and which of them.

Only the organising team and judges ever see scores (any other role: 403, whatever the id). The
admin sees every scoresheet of every innovation. A judge sees an innovation's scoresheets only
when the innovations policy lets them read the innovation itself — on the panel, in the
judging, and not conflicted (own agency or a recorded conflict) — else 404, in every stage; of
those, their own, and from the nomination stage on the other judges' final ones. Writing a
scoresheet is the assigned judge's (``kipp.panel.conflicts.assigned_innovation``).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, true
from sqlalchemy.orm import Session

from kipp.competitions import stages
from kipp.innovations import access as innovations_access
from kipp.models import Competition, Innovation, Scoresheet, ScoresheetStatus, User
from kipp.panel import policy as panel_policy
from kipp.policy import manages, visible_or_404


def readable_innovation(*, session: Session, innovation_id: int, user: User) -> Innovation:
    """The innovation whose scoresheets ``user`` may read: 403 for the proposing roles, 404
    when ``user`` may not read the innovation (so a conflicted judge learns nothing)."""
    panel_policy.require_organiser_or_judge(user)
    innovation = innovations_access.load(session=session, innovation_id=innovation_id)
    visible = innovation is not None and innovations_access.can_read(
        session=session, innovation=innovation, user=user
    )
    visible_or_404(visible, f"Innovation {innovation_id} does not exist.")
    assert innovation is not None
    return innovation


def visible_sheets(*, competition: Competition, user: User) -> ColumnElement[bool]:
    """The condition restricting a readable innovation's scoresheets to those ``user`` sees."""
    if manages(user, competition.organisation_id):
        return true()
    if stages.reached(competition.current_stage, "nomination"):
        return or_(Scoresheet.judge_id == user.id, Scoresheet.status == ScoresheetStatus.FINAL)
    return Scoresheet.judge_id == user.id
