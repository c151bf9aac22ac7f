"""The rubric policy: the organising team and the judges on the panel read a rubric; the admin
replaces it (the route says so with ``AdminUser``).

A judge off the panel gets 404, and so do the proposing roles while the competition is
unpublished (a 403 would confirm its id); on a published one they get 403.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kipp.models import Competition, User
from kipp.panel import policy as panel_policy
from kipp.policy import Verdict, enforce, is_judge, manages


def read_verdict(*, session: Session, competition: Competition, user: User) -> Verdict:
    """Whether ``user`` may know of and read ``competition``'s rubric."""
    on_panel = panel_policy.on_panel(session=session, competition_id=competition.id, user=user)
    reads = manages(user, competition.organisation_id) or on_panel
    return Verdict(visible=reads or (not is_judge(user) and competition.published), allowed=reads)


def ensure_can_read(*, session: Session, competition: Competition, user: User) -> None:
    """Refuse (404 before 403) unless ``user`` may read the rubric."""
    enforce(
        read_verdict(session=session, competition=competition, user=user),
        not_found=f"Competition {competition.id} does not exist.",
        forbidden="Only the organising team and judges may do this.",
    )
