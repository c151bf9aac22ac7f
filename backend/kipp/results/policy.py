"""The results policy: who reads the TOP N decision and the results manifest.

The decision (``GET …/nomination``): the organising team, and the judges on the panel of a
published competition; the proposing roles get 403 on a published competition, everyone else
404. The manifest holds every judge's scores, which innovators and the public never see (the
public results carry its SHA-256 instead): the organising team, and the panel judges from the
nomination stage on; everyone else 404. The announced results and objections are public (the
routes are marked so); deciding, finalising and reading objections are the admin's
(``AdminUser``).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kipp.models import Competition, User
from kipp.panel import policy as panel_policy
from kipp.policy import Verdict, enforce, is_judge, manages, visible_or_404
from kipp.ranking import policy as ranking_policy


def decision_verdict(*, session: Session, competition: Competition, user: User) -> Verdict:
    """Whether ``user`` may know of and read the saved TOP N decision."""
    if manages(user, competition.organisation_id):
        return Verdict(visible=True, allowed=True)
    on_panel = panel_policy.on_panel(session=session, competition_id=competition.id, user=user)
    return Verdict(
        visible=competition.published and (on_panel or not is_judge(user)),
        allowed=competition.published and on_panel,
    )


def ensure_can_read_decision(*, session: Session, competition: Competition, user: User) -> None:
    """Refuse (404 before 403) unless ``user`` may read the decision."""
    enforce(
        decision_verdict(session=session, competition=competition, user=user),
        not_found=f"Competition {competition.id} does not exist.",
        forbidden="Only the organising team and the panel see the decision before it is announced.",
    )


def can_read_manifest(*, session: Session, competition: Competition, user: User | None) -> bool:
    """Whether ``user`` may read the results manifest (every judge's scores)."""
    return manages(user, competition.organisation_id) or ranking_policy.panel_reads_scores(
        session=session, competition=competition, user=user
    )


def ensure_can_read_manifest(
    *, session: Session, competition: Competition, user: User | None
) -> None:
    """404 unless ``user`` may read the results manifest."""
    visible_or_404(
        can_read_manifest(session=session, competition=competition, user=user),
        "The results manifest is not available.",
    )
