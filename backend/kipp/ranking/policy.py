"""The ranking policy: the organising team always; the judges on the panel from the nomination
stage on; nobody else.

A judge off the panel, and anyone but the admin on an unpublished competition, gets 404 (a 403
would confirm the id); the proposing roles may never see scores or the ranking (403), and a
panel judge asking before the nomination stage is told so (403).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kipp.competitions import stages
from kipp.models import Competition, User
from kipp.panel import policy as panel_policy
from kipp.policy import Verdict, enforce, is_judge, manages


def panel_reads_scores(*, session: Session, competition: Competition, user: User | None) -> bool:
    """Whether ``user`` is a judge of the panel of a published competition in (or past) the
    nomination stage: the judges' view of the computed ranking and of every final score."""
    return (
        competition.published
        and stages.reached(competition.current_stage, "nomination")
        and panel_policy.on_panel(session=session, competition_id=competition.id, user=user)
    )


def read_verdict(*, session: Session, competition: Competition, user: User) -> Verdict:
    """Whether ``user`` may know of and read ``competition``'s ranking."""
    if manages(user, competition.organisation_id):
        return Verdict(visible=True, allowed=True)
    on_panel = panel_policy.on_panel(session=session, competition_id=competition.id, user=user)
    return Verdict(
        visible=competition.published and (on_panel or not is_judge(user)),
        allowed=panel_reads_scores(session=session, competition=competition, user=user),
    )


def ensure_can_read(*, session: Session, competition: Competition, user: User) -> None:
    """Refuse (404 before 403) unless ``user`` may read the ranking."""
    verdict = read_verdict(session=session, competition=competition, user=user)
    enforce(
        verdict,
        not_found=f"Competition {competition.id} does not exist.",
        forbidden=(
            "Judges see the ranking from the nomination stage on."
            if is_judge(user)
            else "Only the organising team and the panel see the ranking."
        ),
    )
