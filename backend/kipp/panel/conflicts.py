"""Conflicts of interest: automatic (a judge's own agency), declared by a judge, recorded by
the organising team. A conflicted judge does not score the innovation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kipp import clock
from kipp.audit import service as audit_service
from kipp.competitions import stages
from kipp.errors import Conflict, Forbidden, InvalidTransition, ValidationFailed
from kipp.i18n import Msg, Text
from kipp.models import (
    Agency,
    Competition,
    ConflictOfInterest,
    ConflictSource,
    Innovation,
    Nomination,
    PanelMember,
    Scoresheet,
    ScoresheetStatus,
    User,
)
from kipp.panel import policy
from kipp.panel.assignments import JUDGED_STATUSES
from kipp.policy import is_judge

# Automatic conflicts are listed from submission on, so the team can plan the panel early.
CONFLICT_STATUSES: Final = ("submitted", *JUDGED_STATUSES)

_CONFLICT_MESSAGES = {
    ConflictSource.AGENCY.value: Msg(
        id="inovasi ini berasal dari perangkat daerah Anda sendiri",
        en="it comes from your own agency",
    ),
    ConflictSource.DECLARED.value: Msg(
        id="Anda menyatakan konflik kepentingan", en="you declared a conflict of interest"
    ),
    ConflictSource.ADMIN.value: Msg(
        id="tim penyelenggara mencatat konflik kepentingan",
        en="the organising team recorded a conflict of interest",
    ),
}


@dataclass(frozen=True)
class ConflictView:
    id: int | None
    competition_id: int
    innovation_id: int
    innovation_title: str
    agency_code: str
    judge_id: int
    judge_name: str
    source: str
    reason: str
    created_at: datetime | None


def conflict_source(*, session: Session, innovation: Innovation, judge: User) -> str | None:
    """Why ``judge`` may not score ``innovation`` ("agency", "declared", "admin"), or None."""
    if judge.agency_id is not None and innovation.agency_id == judge.agency_id:
        return ConflictSource.AGENCY.value
    return session.scalar(
        select(ConflictOfInterest.source).where(
            ConflictOfInterest.innovation_id == innovation.id,
            ConflictOfInterest.judge_id == judge.id,
        )
    )


def assigned_innovation(*, session: Session, innovation_id: int, judge: User) -> Innovation:
    """An innovation ``judge`` must score; a conflicted judge is refused (403) saying why."""
    innovation = policy.panel_innovation(session=session, innovation_id=innovation_id, judge=judge)
    source = conflict_source(session=session, innovation=innovation, judge=judge)
    if source is not None:
        raise Forbidden(
            Msg(
                id="Anda tidak boleh menilai inovasi ini: {why}.",
                en="You may not score this innovation: {why}.",
            ).format(why=_CONFLICT_MESSAGES[source])
        )
    return innovation


def _conflict_snapshot(conflict: ConflictOfInterest) -> dict[str, Any]:
    return {
        "innovation_id": conflict.innovation_id,
        "judge_id": conflict.judge_id,
        "source": conflict.source,
        "reason": conflict.reason,
    }


def list_conflicts(
    *, session: Session, competition_id: int, judge_id: int | None = None
) -> list[ConflictView]:
    """Every conflict of interest of a competition: the automatic ones (a panel judge and each
    submitted or eligible innovation of their own agency) and the recorded ones."""
    judge = User.__table__.alias("judge")
    automatic = (
        select(Innovation.id, Innovation.title, Agency.code, judge.c.id, judge.c.full_name)
        .join(Agency, Agency.id == Innovation.agency_id)
        .join(PanelMember, PanelMember.competition_id == Innovation.competition_id)
        .join(judge, judge.c.id == PanelMember.user_id)
        .where(
            Innovation.competition_id == competition_id,
            Innovation.status.in_(CONFLICT_STATUSES),
            judge.c.agency_id == Innovation.agency_id,
        )
    )
    recorded = (
        select(ConflictOfInterest, Innovation.title, Agency.code, User.full_name)
        .join(Innovation, Innovation.id == ConflictOfInterest.innovation_id)
        .join(Agency, Agency.id == Innovation.agency_id)
        .join(User, User.id == ConflictOfInterest.judge_id)
        .where(ConflictOfInterest.competition_id == competition_id)
    )
    if judge_id is not None:
        automatic = automatic.where(judge.c.id == judge_id)
        recorded = recorded.where(ConflictOfInterest.judge_id == judge_id)
    views = [
        ConflictView(
            id=None,
            competition_id=competition_id,
            innovation_id=iid,
            innovation_title=title,
            agency_code=code,
            judge_id=jid,
            judge_name=name,
            source=ConflictSource.AGENCY.value,
            reason="own agency",
            created_at=None,
        )
        for iid, title, code, jid, name in session.execute(automatic)
    ]
    views.extend(
        ConflictView(
            id=row.id,
            competition_id=competition_id,
            innovation_id=row.innovation_id,
            innovation_title=title,
            agency_code=code,
            judge_id=row.judge_id,
            judge_name=name,
            source=row.source,
            reason=row.reason,
            created_at=row.created_at,
        )
        for row, title, code, name in session.execute(recorded)
    )
    return sorted(views, key=lambda v: (v.innovation_id, v.judge_id))


def _record_conflict(
    *,
    session: Session,
    actor: User,
    innovation: Innovation,
    judge: User,
    source: ConflictSource,
    reason: str,
) -> tuple[ConflictOfInterest, bool]:
    """Record a conflict; (the row, created). An existing one is returned unchanged. A draft
    scoresheet of the judge for the innovation is deleted; a final one refuses (409)."""
    if judge.agency_id is not None and judge.agency_id == innovation.agency_id:
        raise Conflict(
            Msg(
                id="Inovasi ini berasal dari perangkat daerah juri sendiri: konfliknya sudah "
                "tercatat otomatis.",
                en="This innovation comes from the judge's own agency: the conflict is already "
                "automatic.",
            )
        )
    existing = session.scalar(
        select(ConflictOfInterest).where(
            ConflictOfInterest.innovation_id == innovation.id,
            ConflictOfInterest.judge_id == judge.id,
        )
    )
    if existing is not None:
        return existing, False
    sheet = session.scalar(
        select(Scoresheet)
        .options(selectinload(Scoresheet.scores))
        .where(Scoresheet.innovation_id == innovation.id, Scoresheet.judge_id == judge.id)
    )
    deleted: dict[str, Any] | None = None
    if sheet is not None:
        if sheet.status == ScoresheetStatus.FINAL:
            raise Conflict(
                Msg(
                    id="Lembar nilai inovasi ini sudah final; minta tim penyelenggara membukanya "
                    "kembali terlebih dahulu.",
                    en="The scoresheet for this innovation is already final; ask the organising "
                    "team to reopen it first.",
                )
            )
        deleted = sheet.snapshot()
        session.delete(sheet)
    conflict = ConflictOfInterest(
        competition_id=innovation.competition_id,
        innovation_id=innovation.id,
        judge_id=judge.id,
        source=source.value,
        reason=reason,
        created_at=clock.now(),
    )
    session.add(conflict)
    session.flush()
    after = _conflict_snapshot(conflict)
    if deleted is not None:
        after["deleted_draft"] = deleted
    audit_service.record(
        session=session,
        actor=actor,
        action="conflict.create",
        entity_type="conflict_of_interest",
        entity_id=conflict.id,
        competition_id=innovation.competition_id,
        after=after,
        reason=reason,
    )
    return conflict, True


def declare_conflict(
    *, session: Session, judge: User, innovation_id: int, reason: str
) -> tuple[ConflictOfInterest, bool]:
    """A panel judge declares a conflict of interest on an innovation they could score.

    Only until the presentation stage ends: from the nomination on, the scores are being (or
    have been) decided, and a late declaration would quietly take a judge's say out of them.
    """
    innovation = policy.panel_innovation(session=session, innovation_id=innovation_id, judge=judge)
    competition = session.get(Competition, innovation.competition_id)
    assert competition is not None  # the foreign key
    if stages.index(competition.current_stage) > stages.index("presentation"):
        raise InvalidTransition(
            Msg(
                id="Tahapan presentation sudah berakhir: konflik kepentingan tidak dapat "
                "dinyatakan lagi. Beri tahu tim penyelenggara.",
                en="The presentation stage is over: a conflict of interest can no longer be "
                "declared. Tell the organising team.",
            )
        )
    return _record_conflict(
        session=session,
        actor=judge,
        innovation=innovation,
        judge=judge,
        source=ConflictSource.DECLARED,
        reason=reason,
    )


def record_conflict(
    *,
    session: Session,
    actor: User,
    competition: Competition,
    innovation_id: int,
    judge_id: int,
    reason: str,
) -> tuple[ConflictOfInterest, bool]:
    """The organising team records a conflict of interest for a judge, until the TOP N
    decision is saved (it rests on the scores as they stand)."""
    decided = session.scalar(
        select(Nomination.id).where(Nomination.competition_id == competition.id)
    )
    if decided is not None:
        raise InvalidTransition(
            Msg(
                id="Keputusan TOP N sudah disimpan: konflik kepentingan tidak dapat dicatat lagi.",
                en="The TOP N decision is saved: a conflict of interest can no longer be recorded.",
            )
        )
    problems: list[dict[str, Text]] = []
    innovation = session.get(Innovation, innovation_id)
    if innovation is None or innovation.competition_id != competition.id:
        problems.append(
            {
                "field": "innovation_id",
                "code": "no_such_innovation",
                "message": Msg(
                    id="Inovasi ini tidak ada dalam lomba ini.", en="No such innovation here."
                ),
            }
        )
    judge = session.get(User, judge_id)
    if judge is None or not is_judge(judge) or judge.organisation_id != competition.organisation_id:
        problems.append(
            {
                "field": "judge_id",
                "code": "not_a_judge",
                "message": Msg(id="Bukan juri.", en="Not a judge."),
            }
        )
    if problems or innovation is None or judge is None:
        raise ValidationFailed(
            Msg(
                id="Konflik ini menyebut inovasi atau juri yang tidak dikenal.",
                en="The conflict names an unknown innovation or judge.",
            ),
            errors=problems,
        )

    return _record_conflict(
        session=session,
        actor=actor,
        innovation=innovation,
        judge=judge,
        source=ConflictSource.ADMIN,
        reason=reason,
    )


def conflict_view(*, session: Session, conflict: ConflictOfInterest) -> ConflictView:
    """A conflict with the names the list shows."""
    row = session.execute(
        select(Innovation.title, Agency.code, User.full_name)
        .join(Agency, Agency.id == Innovation.agency_id)
        .join(User, User.id == conflict.judge_id)
        .where(Innovation.id == conflict.innovation_id)
    ).one()
    return ConflictView(
        id=conflict.id,
        competition_id=conflict.competition_id,
        innovation_id=conflict.innovation_id,
        innovation_title=row[0],
        agency_code=row[1],
        judge_id=conflict.judge_id,
        judge_name=row[2],
        source=conflict.source,
        reason=conflict.reason,
        created_at=conflict.created_at,
    )
