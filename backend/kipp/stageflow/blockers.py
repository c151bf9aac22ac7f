"""What stops a competition leaving its current stage, asked of each domain.

Each function answers for one stage being left, as a list of :class:`Blocker` (empty: nothing
blocks). The service adds whether the blockers may be overridden.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp.i18n import Msg
from kipp.models import Competition, Innovation, InnovationStatus, PanelMember
from kipp.panel import assignments as assignments_service
from kipp.panel.assignments import JUDGED_STATUSES
from kipp.results import nomination as nomination_service


@dataclass(frozen=True)
class Blocker:
    """One reason the competition cannot move on: a code, a sentence, the ids concerned."""

    code: str
    message: Msg
    count: int
    ids: list[int] = field(default_factory=list)
    judges: dict[int, int] | None = None  # scoresheets_missing: missing count per judge id


def administrative_blockers(*, session: Session, competition: Competition) -> list[Blocker]:
    """Every submitted proposal needs an administrative decision (eligible or ineligible)."""
    waiting = list(
        session.scalars(
            select(Innovation.id)
            .where(
                Innovation.competition_id == competition.id,
                Innovation.status == InnovationStatus.SUBMITTED,
            )
            .order_by(Innovation.id)
        )
    )
    if not waiting:
        return []
    return [
        Blocker(
            code="administrative_review_missing",
            message=Msg(
                id="{n} usulan yang sudah diajukan belum memiliki keputusan seleksi administrasi",
                en="{n} submitted proposal(s) have no administrative decision yet",
            ).format(n=len(waiting)),
            count=len(waiting),
            ids=waiting,
        )
    ]


def scoring_blockers(*, session: Session, competition: Competition) -> list[Blocker]:
    """What keeps ``competition`` from leaving the presentation stage: ``panel_empty`` (no
    judge on the panel), ``nothing_to_score`` (no eligible innovation) or
    ``scoresheets_missing`` (assignments without a final scoresheet, with the innovation ids
    and a count per judge)."""
    blockers: list[Blocker] = []
    panel_size = (
        session.scalar(
            select(func.count())
            .select_from(PanelMember)
            .where(PanelMember.competition_id == competition.id)
        )
        or 0
    )
    if panel_size == 0:
        blockers.append(
            Blocker(
                code="panel_empty",
                message=Msg(
                    id="Panel juri belum memiliki anggota.", en="The judge panel has no members."
                ),
                count=0,
            )
        )
    eligible = (
        session.scalar(
            select(func.count())
            .select_from(Innovation)
            .where(
                Innovation.competition_id == competition.id,
                Innovation.status.in_(JUDGED_STATUSES),
            )
        )
        or 0
    )
    if eligible == 0:
        blockers.append(
            Blocker(
                code="nothing_to_score",
                message=Msg(
                    id="Tidak ada inovasi yang memenuhi syarat untuk dinilai.",
                    en="No innovation is eligible for scoring.",
                ),
                count=0,
            )
        )
    missing = assignments_service.missing_final(session=session, competition_id=competition.id)
    if missing:
        count = len(missing)
        noun = "assignment has" if count == 1 else "assignments have"
        message = Msg(
            id="{count} penugasan belum memiliki lembar nilai final",
            en="{count} {noun} no final scoresheet",
        ).format(count=count, noun=noun)
        blockers.append(
            Blocker(
                code="scoresheets_missing",
                message=message,
                count=count,
                ids=sorted({a.innovation_id for a in missing}),
                judges=dict(sorted(Counter(a.judge_id for a in missing).items())),
            )
        )
    return blockers


def nomination_blockers(*, session: Session, competition: Competition) -> list[Blocker]:
    """What stops the competition leaving the nomination stage: no TOP N decision yet."""
    if nomination_service.get_nomination(session=session, competition=competition) is None:
        return [
            Blocker(
                code="nomination_missing",
                message=Msg(
                    id="Belum ada keputusan TOP N yang dicatat",
                    en="No TOP N decision has been recorded",
                ),
                count=1,
            )
        ]
    return []


def nothing_blocks(*, session: Session, competition: Competition) -> list[Blocker]:
    """Leaving the submission stage: drafts simply stay drafts."""
    return []
