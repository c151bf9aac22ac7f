"""The judge panel: its members, their progress, their worklists.

Who may see what is ``kipp.panel.policy``: the rubric and scoring use it too, so a judge off
the panel gets the same 404 everywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kipp.audit import service as audit_service
from kipp.competitions import stages
from kipp.errors import Conflict, NotFound, ValidationFailed
from kipp.i18n import Msg
from kipp.models import (
    Agency,
    Competition,
    PanelMember,
    Role,
    Scoresheet,
    ScoresheetStatus,
    User,
)
from kipp.notify import audiences, templates
from kipp.notify import service as notify_service
from kipp.panel import assignments as assignments_service

# --------------------------------------------------------------------------- the panel


@dataclass(frozen=True)
class PanelJudge:
    id: int
    full_name: str
    email: str
    agency_id: int | None
    agency_code: str | None


def panel(*, session: Session, competition_id: int) -> list[PanelJudge]:
    """The judges on the panel, by name."""
    rows = session.execute(
        select(User.id, User.full_name, User.email, User.agency_id, Agency.code)
        .join(PanelMember, PanelMember.user_id == User.id)
        .outerjoin(Agency, Agency.id == User.agency_id)
        .where(PanelMember.competition_id == competition_id)
        .order_by(User.full_name, User.id)
    )
    return [PanelJudge(*row) for row in rows]


@dataclass(frozen=True)
class JudgeProgress:
    judge: PanelJudge
    final: int
    draft: int
    to_do: int

    @property
    def total(self) -> int:
        return self.final + self.draft + self.to_do


def judging_progress(*, session: Session, competition_id: int) -> list[JudgeProgress]:
    """Per panel judge: how many of their assignments are final, draft or not started."""
    counts: dict[int, dict[str | None, int]] = {}
    for a in assignments_service.assignments(session=session, competition_id=competition_id):
        by_state = counts.setdefault(a.judge_id, {})
        by_state[a.scoresheet_status] = by_state.get(a.scoresheet_status, 0) + 1
    progress = []
    for judge in panel(session=session, competition_id=competition_id):
        by_state = counts.get(judge.id, {})
        progress.append(
            JudgeProgress(
                judge=judge,
                final=by_state.get(ScoresheetStatus.FINAL, 0),
                draft=by_state.get(ScoresheetStatus.DRAFT, 0),
                to_do=by_state.get(None, 0),
            )
        )
    return progress


def replace_panel(
    *, session: Session, actor: User, competition: Competition, user_ids: Sequence[int]
) -> list[PanelJudge]:
    """Set the panel to exactly ``user_ids`` (active judges of the competition's organisation:
    another organisation's judge is no judge here). Removing a judge deletes their
    drafts in this competition; a judge with a final scoresheet cannot be removed. Logged."""
    wanted = list(dict.fromkeys(user_ids))
    judges = {
        u.id: u
        for u in session.scalars(
            select(User).where(
                User.id.in_(wanted),
                User.role == Role.JUDGE,
                User.is_active.is_(True),
                User.organisation_id == competition.organisation_id,
            )
        )
    }
    problems = [
        {
            "field": f"user_ids.{i}",
            "code": "not_a_judge",
            "message": Msg(
                id="Pengguna {user} bukan juri aktif.", en="User {user} is not an active judge."
            ).format(user=uid),
        }
        for i, uid in enumerate(wanted)
        if uid not in judges
    ]
    if problems:
        bad = ", ".join(str(uid) for uid in wanted if uid not in judges)
        raise ValidationFailed(
            Msg(id="Bukan juri aktif: {bad}.", en="Not active judges: {bad}.").format(bad=bad),
            errors=problems,
        )
    if stages.reached(competition.current_stage, "nomination"):
        raise Conflict(
            Msg(
                id="Panel juri dikunci sejak lomba mencapai tahapan nominasi.",
                en="The panel is frozen once the competition reaches the nomination stage.",
            )
        )
    current = set(
        assignments_service.panel_judge_ids(session=session, competition_id=competition.id)
    )
    removed = current - set(wanted)
    added = [uid for uid in wanted if uid not in current]
    if removed:
        with_final = sorted(
            set(
                session.scalars(
                    select(Scoresheet.judge_id).where(
                        Scoresheet.competition_id == competition.id,
                        Scoresheet.judge_id.in_(removed),
                        Scoresheet.status == ScoresheetStatus.FINAL,
                    )
                )
            )
        )
        if with_final:
            names = ", ".join(str(j) for j in with_final)
            raise Conflict(
                Msg(
                    id="Juri {names} sudah memiliki lembar nilai final dan tidak dapat keluar "
                    "dari panel; buka kembali lembar nilai mereka terlebih dahulu.",
                    en="Judges {names} have final scoresheets and cannot leave the panel; "
                    "reopen their scoresheets first.",
                ).format(names=names)
            )
        drafts = session.execute(
            delete(Scoresheet).where(
                Scoresheet.competition_id == competition.id, Scoresheet.judge_id.in_(removed)
            )
        )
        session.execute(
            delete(PanelMember).where(
                PanelMember.competition_id == competition.id, PanelMember.user_id.in_(removed)
            )
        )
    for uid in added:
        session.add(PanelMember(competition_id=competition.id, user_id=uid))
    session.flush()
    if removed or added:
        after: dict[str, Any] = {"user_ids": sorted(set(wanted))}
        if removed and drafts.rowcount:  # type: ignore[attr-defined]
            after["drafts_deleted"] = drafts.rowcount  # type: ignore[attr-defined]
        audit_service.record(
            session=session,
            actor=actor,
            action="panel.update",
            entity_type="competition",
            entity_id=competition.id,
            competition_id=competition.id,
            before={"user_ids": sorted(current)},
            after=after,
        )
    if added:
        notify_service.send(
            session,
            letter=templates.judge_added(competition_name=competition.name),
            recipients=audiences.users(session=session, user_ids=added),
        )
    return panel(session=session, competition_id=competition.id)


# --------------------------------------------------------------------------- a judge's list


@dataclass(frozen=True)
class AssignmentView:
    competition_id: int
    competition_name: str
    innovation_id: int
    title: str
    agency_code: str
    group: str
    category: str
    status: str
    updated_at: datetime | None
    slot_starts_at: datetime | None = None
    slot_place: str | None = None


def my_assignments(
    *, session: Session, judge: User, competition_id: int | None
) -> tuple[list[AssignmentView], dict[str, int]]:
    """What ``judge`` must score in the competitions that reached the presentation stage,
    with their progress ``{final, draft, to_do, total}``. Never anyone else's scores."""
    query = (
        select(Competition.id, Competition.name, Competition.current_stage)
        .join(PanelMember, PanelMember.competition_id == Competition.id)
        .where(PanelMember.user_id == judge.id)
    )
    if competition_id is not None:
        query = query.where(Competition.id == competition_id)
    competitions = list(session.execute(query))
    if competition_id is not None and not competitions:
        raise NotFound(
            Msg(id="Lomba {id} tidak ada.", en="Competition {id} does not exist.").format(
                id=competition_id
            )
        )

    names = {
        cid: name for cid, name, stage in competitions if stages.reached(stage, "presentation")
    }
    work = assignments_service.judge_worklist(
        session=session, judge_id=judge.id, competition_ids=list(names)
    )
    items = [
        AssignmentView(
            competition_id=w.competition_id,
            competition_name=names[w.competition_id],
            innovation_id=w.innovation_id,
            title=w.title,
            agency_code=w.agency_code,
            group=w.group,
            category=w.category,
            status=w.scoresheet_status or "to_do",
            updated_at=w.scoresheet_updated_at,
            slot_starts_at=w.slot_starts_at,
            slot_place=w.slot_place,
        )
        for w in work
    ]
    counts = Counter(item.status for item in items)
    progress = {
        "final": counts["final"],
        "draft": counts["draft"],
        "to_do": counts["to_do"],
        "total": len(items),
    }
    return items, progress
