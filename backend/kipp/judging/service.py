"""Judging: the rubric, the panel, conflicts of interest and scoresheets."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from kipp import clock
from kipp.audit import service as audit_service
from kipp.competitions import service as competitions_service
from kipp.competitions import stages
from kipp.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from kipp.judging import assignments as assignments_service
from kipp.judging.assignments import JUDGED_STATUSES
from kipp.models import (
    Agency,
    Competition,
    ConflictOfInterest,
    ConflictSource,
    Criterion,
    Innovation,
    Nomination,
    PanelMember,
    Role,
    Score,
    Scoresheet,
    ScoresheetStatus,
    User,
)
from kipp.ranking import aggregation

MAX_CRITERIA: Final = 30
# Automatic conflicts are listed from submission on, so the team can plan the panel early.
CONFLICT_STATUSES: Final = ("submitted", *JUDGED_STATUSES)


def scoring_blockers(*, session: Session, competition: Competition) -> list[dict[str, Any]]:
    """What keeps ``competition`` from leaving the presentation stage; [] when nothing does.

    Each blocker is ``{code, message, ...}``: ``panel_empty`` (no judge on the panel),
    ``nothing_to_score`` (no eligible innovation) or ``scoresheets_missing`` (assignments
    without a final scoresheet, with the innovation ids and a count per judge).
    """
    blockers: list[dict[str, Any]] = []
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
            {
                "code": "panel_empty",
                "message": "The judge panel has no members.",
                "count": 0,
                "ids": [],
            }
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
            {
                "code": "nothing_to_score",
                "message": "No innovation is eligible for scoring.",
                "count": 0,
                "ids": [],
            }
        )
    missing = assignments_service.missing_final(session=session, competition_id=competition.id)
    if missing:
        count = len(missing)
        noun = "assignment has" if count == 1 else "assignments have"
        blockers.append(
            {
                "code": "scoresheets_missing",
                "message": f"{count} {noun} no final scoresheet",
                "count": count,
                "ids": sorted({a.innovation_id for a in missing}),
                "judges": dict(sorted(Counter(a.judge_id for a in missing).items())),
            }
        )
    return blockers


# --------------------------------------------------------------------------- access


def _forbid_unless_judge_or_admin(user: User) -> None:
    if user.role not in (Role.ADMIN, Role.JUDGE):
        raise Forbidden("Only the organising team and judges may do this.")


def get_innovation(*, session: Session, innovation_id: int) -> Innovation:
    innovation = session.get(Innovation, innovation_id)
    if innovation is None:
        raise NotFound(f"Innovation {innovation_id} does not exist.")
    return innovation


def _conflict_source(*, session: Session, innovation: Innovation, judge: User) -> str | None:
    """Why ``judge`` may not score ``innovation`` ("agency", "declared", "admin"), or None."""
    if judge.agency_id is not None and innovation.agency_id == judge.agency_id:
        return ConflictSource.AGENCY.value
    return session.scalar(
        select(ConflictOfInterest.source).where(
            ConflictOfInterest.innovation_id == innovation.id,
            ConflictOfInterest.judge_id == judge.id,
        )
    )


def _panel_innovation(*, session: Session, innovation_id: int, judge: User) -> Innovation:
    """An innovation a panel judge may see: on the panel of its competition, and eligible.

    Anything else is 404, so a judge cannot probe which ids exist.
    """
    innovation = get_innovation(session=session, innovation_id=innovation_id)
    if innovation.status not in JUDGED_STATUSES or not assignments_service.is_on_panel(
        session=session, competition_id=innovation.competition_id, judge_id=judge.id
    ):
        raise NotFound(f"Innovation {innovation_id} does not exist.")
    return innovation


_CONFLICT_MESSAGES = {
    ConflictSource.AGENCY.value: "it comes from your own agency",
    ConflictSource.DECLARED.value: "you declared a conflict of interest",
    ConflictSource.ADMIN.value: "the organising team recorded a conflict of interest",
}


def _assigned_innovation(*, session: Session, innovation_id: int, judge: User) -> Innovation:
    """An innovation ``judge`` must score; a conflicted judge is refused (403)."""
    innovation = _panel_innovation(session=session, innovation_id=innovation_id, judge=judge)
    source = _conflict_source(session=session, innovation=innovation, judge=judge)
    if source is not None:
        raise Forbidden(f"You may not score this innovation: {_CONFLICT_MESSAGES[source]}.")
    return innovation


# --------------------------------------------------------------------------- rubric


def criterion_snapshot(criterion: Criterion) -> dict[str, Any]:
    return {
        "key": criterion.key,
        "name": criterion.name,
        "description": criterion.description,
        "weight": criterion.weight,
        "min_score": criterion.min_score,
        "max_score": criterion.max_score,
    }


def list_criteria(*, session: Session, competition_id: int) -> list[Criterion]:
    return list(
        session.scalars(
            select(Criterion)
            .where(Criterion.competition_id == competition_id)
            .order_by(Criterion.position, Criterion.id)
        )
    )


def rubric_locked(*, session: Session, competition_id: int) -> bool:
    """The rubric is frozen once any scoresheet (draft or final) exists."""
    return bool(session.scalar(select(exists().where(Scoresheet.competition_id == competition_id))))


def ensure_can_read_rubric(*, session: Session, competition: Competition, user: User) -> None:
    """Admins, and the judges on the competition's panel (other judges get 404, and so do
    the proposing roles while the competition is unpublished: a 403 would confirm its id)."""
    if user.role not in (Role.ADMIN, Role.JUDGE) and not competition.published:
        raise NotFound(f"Competition {competition.id} does not exist.")
    _forbid_unless_judge_or_admin(user)
    if user.role == Role.JUDGE and not assignments_service.is_on_panel(
        session=session, competition_id=competition.id, judge_id=user.id
    ):
        raise NotFound(f"Competition {competition.id} does not exist.")


def _rubric_problems(criteria: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    problems: list[dict[str, str]] = []
    if not criteria:
        return [{"field": "body", "message": "the rubric needs at least one criterion"}]
    if len(criteria) > MAX_CRITERIA:
        return [{"field": "body", "message": f"at most {MAX_CRITERIA} criteria"}]
    seen: set[str] = set()
    for i, criterion in enumerate(criteria):
        if criterion["key"] in seen:
            problems.append({"field": f"{i}.key", "message": "duplicate key"})
        seen.add(criterion["key"])
        if criterion["min_score"] >= criterion["max_score"]:
            problems.append({"field": f"{i}.max_score", "message": "must be above min_score"})
    total = sum(float(c["weight"]) for c in criteria)
    if not math.isclose(total, 100.0, abs_tol=1e-6):
        problems.append(
            {"field": "weight", "message": f"weights total {total:g}; they must total exactly 100"}
        )
    return problems


def replace_criteria(
    *,
    session: Session,
    actor: User,
    competition: Competition,
    criteria: Sequence[Mapping[str, Any]],
) -> list[Criterion]:
    """Replace the whole rubric; refused (409) once scoring has started. Logged."""
    if rubric_locked(session=session, competition_id=competition.id):
        raise Conflict("Scoring has started: the rubric can no longer change.")
    problems = _rubric_problems(criteria)
    if problems:
        raise ValidationFailed(
            "; ".join(f"{p['field']}: {p['message']}" for p in problems), errors=problems
        )
    existing = list_criteria(session=session, competition_id=competition.id)
    before = [criterion_snapshot(c) for c in existing]
    by_key = {c.key: c for c in existing}
    wanted = {c["key"] for c in criteria}
    for criterion in existing:
        if criterion.key not in wanted:
            session.delete(criterion)
    session.flush()
    result: list[Criterion] = []
    for position, fields in enumerate(criteria):
        row = by_key.get(fields["key"])
        if row is None:
            row = Criterion(competition_id=competition.id, key=fields["key"])
            session.add(row)
        row.name = fields["name"]
        row.description = fields.get("description", "")
        row.weight = float(fields["weight"])
        row.min_score = int(fields["min_score"])
        row.max_score = int(fields["max_score"])
        row.position = position
        result.append(row)
    session.flush()
    after = [criterion_snapshot(c) for c in result]
    if after != before:
        audit_service.record(
            session=session,
            actor=actor,
            action="rubric.update",
            entity_type="competition",
            entity_id=competition.id,
            competition_id=competition.id,
            before={"criteria": before},
            after={"criteria": after},
        )
    return result


# --------------------------------------------------------------------------- panel


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
    """Set the panel to exactly ``user_ids`` (active judges). Removing a judge deletes their
    drafts in this competition; a judge with a final scoresheet cannot be removed. Logged."""
    wanted = list(dict.fromkeys(user_ids))
    judges = {
        u.id: u
        for u in session.scalars(
            select(User).where(
                User.id.in_(wanted), User.role == Role.JUDGE, User.is_active.is_(True)
            )
        )
    }
    problems = [
        {"field": f"user_ids.{i}", "message": f"user {uid} is not an active judge"}
        for i, uid in enumerate(wanted)
        if uid not in judges
    ]
    if problems:
        bad = ", ".join(str(uid) for uid in wanted if uid not in judges)
        raise ValidationFailed(f"Not active judges: {bad}.", errors=problems)
    if stages.reached(competition.current_stage, "nomination"):
        raise Conflict("The panel is frozen once the competition reaches the nomination stage.")
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
                f"Judges {names} have final scoresheets and cannot leave the panel; "
                "reopen their scoresheets first."
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
    return panel(session=session, competition_id=competition.id)


# --------------------------------------------------------------------------- conflicts


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
            "This innovation comes from the judge's own agency: the conflict is already automatic."
        )
    existing = session.scalar(
        select(ConflictOfInterest).where(
            ConflictOfInterest.innovation_id == innovation.id,
            ConflictOfInterest.judge_id == judge.id,
        )
    )
    if existing is not None:
        return existing, False
    sheet = _load_sheet(session=session, innovation_id=innovation.id, judge_id=judge.id)
    deleted: dict[str, Any] | None = None
    if sheet is not None:
        if sheet.status == ScoresheetStatus.FINAL:
            raise Conflict(
                "The scoresheet for this innovation is already final; ask the organising team "
                "to reopen it first."
            )
        deleted = sheet_snapshot(sheet)
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
    innovation = _panel_innovation(session=session, innovation_id=innovation_id, judge=judge)
    competition = session.get(Competition, innovation.competition_id)
    assert competition is not None  # the foreign key
    if stages.index(competition.current_stage) > stages.index("presentation"):
        raise InvalidTransition(
            "The presentation stage is over: a conflict of interest can no longer be declared. "
            "Tell the organising team."
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
            "The TOP N decision is saved: a conflict of interest can no longer be recorded."
        )
    problems: list[dict[str, str]] = []
    innovation = session.get(Innovation, innovation_id)
    if innovation is None or innovation.competition_id != competition.id:
        problems.append({"field": "innovation_id", "message": "no such innovation here"})
    judge = session.get(User, judge_id)
    if judge is None or judge.role != Role.JUDGE:
        problems.append({"field": "judge_id", "message": "not a judge"})
    if problems or innovation is None or judge is None:
        raise ValidationFailed(
            "The conflict names an unknown innovation or judge.", errors=problems
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


# --------------------------------------------------------------------------- assignments


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
        raise NotFound(f"Competition {competition_id} does not exist.")
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


# --------------------------------------------------------------------------- scoresheets


@dataclass(frozen=True)
class ScoresheetView:
    id: int
    competition_id: int
    innovation_id: int
    judge_id: int
    judge_name: str
    status: str
    scores: dict[str, int]
    comment: str
    weighted_total: float | None
    submitted_at: datetime | None
    updated_at: datetime
    version: int


def sheet_scores(sheet: Scoresheet) -> dict[str, int]:
    return {score.criterion_key: score.value for score in sheet.scores}


def sheet_snapshot(sheet: Scoresheet) -> dict[str, Any]:
    return {"status": sheet.status, "scores": sheet_scores(sheet), "comment": sheet.comment}


def scoresheet_view(
    *, sheet: Scoresheet, judge_name: str, criteria: Sequence[Criterion]
) -> ScoresheetView:
    scores = sheet_scores(sheet)
    rubric = [
        aggregation.Criterion(
            key=c.key, weight=c.weight, min_score=c.min_score, max_score=c.max_score
        )
        for c in criteria
    ]
    complete = bool(rubric) and all(c.key in scores for c in rubric)
    return ScoresheetView(
        id=sheet.id,
        competition_id=sheet.competition_id,
        innovation_id=sheet.innovation_id,
        judge_id=sheet.judge_id,
        judge_name=judge_name,
        status=sheet.status,
        scores=scores,
        comment=sheet.comment,
        weighted_total=aggregation.judge_total(scores, rubric) if complete else None,
        submitted_at=sheet.submitted_at,
        updated_at=sheet.updated_at,
        version=sheet.version,
    )


def _load_sheet(
    *, session: Session, innovation_id: int, judge_id: int, lock: bool = False
) -> Scoresheet | None:
    """A judge's scoresheet with its scores, in one query (locked for update when asked)."""
    query = (
        select(Scoresheet)
        .options(joinedload(Scoresheet.scores))
        .where(Scoresheet.innovation_id == innovation_id, Scoresheet.judge_id == judge_id)
    )
    if lock:
        query = query.with_for_update(of=Scoresheet)
    return session.scalars(query).unique().one_or_none()


def _score_problems(
    scores: Mapping[str, int], criteria: Sequence[Criterion]
) -> list[dict[str, str]]:
    by_key = {c.key: c for c in criteria}
    problems: list[dict[str, str]] = []
    for key, value in scores.items():
        criterion = by_key.get(key)
        if criterion is None:
            known = ", ".join(by_key)
            problems.append(
                {"field": f"scores.{key}", "message": f"unknown criterion; the rubric has {known}"}
            )
        elif not criterion.min_score <= value <= criterion.max_score:
            problems.append(
                {
                    "field": f"scores.{key}",
                    "message": (
                        f"must be an integer from {criterion.min_score} to {criterion.max_score}"
                    ),
                }
            )
    return problems


def _scoring_context(
    *, session: Session, judge: User, innovation_id: int
) -> tuple[Innovation, list[Criterion]]:
    """The checks every scoring write makes: assigned judge, presentation window open."""
    innovation = _assigned_innovation(session=session, innovation_id=innovation_id, judge=judge)
    competition = competitions_service.get(
        session=session, competition_id=innovation.competition_id
    )
    competitions_service.require_stage_open(competition=competition, stage_key="presentation")
    return innovation, list_criteria(session=session, competition_id=competition.id)


def _touch(sheet: Scoresheet) -> None:
    sheet.updated_at = clock.now()
    sheet.version += 1


def _record_sheet_change(
    *,
    session: Session,
    actor: User,
    action: str,
    sheet: Scoresheet,
    before: dict[str, Any] | None,
    reason: str | None = None,
) -> None:
    """Flush the sheet and log its change (before → after) in the audit chain."""
    session.flush()
    audit_service.record(
        session=session,
        actor=actor,
        action=action,
        entity_type="scoresheet",
        entity_id=sheet.id,
        competition_id=sheet.competition_id,
        before=before,
        after=sheet_snapshot(sheet),
        reason=reason,
    )


def save_draft(
    *,
    session: Session,
    judge: User,
    innovation_id: int,
    scores: Mapping[str, int],
    comment: str,
) -> ScoresheetView:
    """Save ``judge``'s draft scoresheet: the given scores replace the draft's (partial is
    fine). Idempotent: saving the same content again changes nothing and logs nothing."""
    innovation, criteria = _scoring_context(
        session=session, judge=judge, innovation_id=innovation_id
    )
    problems = _score_problems(scores, criteria)
    if problems:
        raise ValidationFailed(
            "; ".join(f"{p['field']}: {p['message']}" for p in problems), errors=problems
        )
    sheet = _load_sheet(session=session, innovation_id=innovation.id, judge_id=judge.id, lock=True)
    if sheet is not None and sheet.status == ScoresheetStatus.FINAL:
        raise Conflict("This scoresheet is final; ask the organising team to reopen it.")
    wanted = dict(scores)
    if sheet is None:
        before = None
        sheet = Scoresheet(
            competition_id=innovation.competition_id,
            innovation_id=innovation.id,
            judge_id=judge.id,
            status=ScoresheetStatus.DRAFT.value,
            comment="",
            scores=[],
            created_at=clock.now(),
            updated_at=clock.now(),
        )
        try:
            with session.begin_nested():
                session.add(sheet)
                session.flush()
        except IntegrityError as exc:
            raise Conflict("This scoresheet was saved at the same moment; try again.") from exc
    else:
        before = sheet_snapshot(sheet)
        if sheet_scores(sheet) == wanted and sheet.comment == comment:
            return scoresheet_view(sheet=sheet, judge_name=judge.full_name, criteria=criteria)
    rows = {score.criterion_key: score for score in sheet.scores}
    for key, row in rows.items():
        if key not in wanted:
            sheet.scores.remove(row)
    for key, value in wanted.items():
        if key in rows:
            rows[key].value = value
        else:
            sheet.scores.append(Score(criterion_key=key, value=value))
    sheet.comment = comment
    if before is not None:
        _touch(sheet)
    _record_sheet_change(
        session=session, actor=judge, action="scoresheet.save", sheet=sheet, before=before
    )
    return scoresheet_view(sheet=sheet, judge_name=judge.full_name, criteria=criteria)


def submit(*, session: Session, judge: User, innovation_id: int) -> ScoresheetView:
    """Make ``judge``'s scoresheet final: every criterion must be scored (else 422)."""
    innovation, criteria = _scoring_context(
        session=session, judge=judge, innovation_id=innovation_id
    )
    sheet = _load_sheet(session=session, innovation_id=innovation.id, judge_id=judge.id, lock=True)
    if sheet is not None and sheet.status == ScoresheetStatus.FINAL:
        raise Conflict("This scoresheet is already final.")
    scores = sheet_scores(sheet) if sheet is not None else {}
    missing = [c.key for c in criteria if c.key not in scores]
    if sheet is None or missing:
        raise ValidationFailed(
            f"Score every criterion before submitting; missing: {', '.join(missing)}.",
            errors=[{"field": f"scores.{key}", "message": "missing"} for key in missing],
        )
    before = sheet_snapshot(sheet)
    sheet.status = ScoresheetStatus.FINAL.value
    sheet.submitted_at = clock.now()
    _touch(sheet)
    _record_sheet_change(
        session=session, actor=judge, action="scoresheet.submit", sheet=sheet, before=before
    )
    return scoresheet_view(sheet=sheet, judge_name=judge.full_name, criteria=criteria)


def list_scoresheets(*, session: Session, user: User, innovation_id: int) -> list[ScoresheetView]:
    """An innovation's scoresheets as ``user`` may see them: an admin sees every one; a panel
    judge sees only their own until the competition reaches nomination, then also the other
    judges' final ones. Nobody else sees any."""
    _forbid_unless_judge_or_admin(user)
    if user.role == Role.ADMIN:
        innovation = get_innovation(session=session, innovation_id=innovation_id)
    else:
        innovation = _panel_innovation(session=session, innovation_id=innovation_id, judge=user)
    competition = competitions_service.get(
        session=session, competition_id=innovation.competition_id, with_stages=False
    )
    query = (
        select(Scoresheet, User.full_name)
        .join(User, User.id == Scoresheet.judge_id)
        .options(selectinload(Scoresheet.scores))
        .where(Scoresheet.innovation_id == innovation.id)
        .order_by(User.full_name, Scoresheet.judge_id)
    )
    if user.role != Role.ADMIN:
        if stages.reached(competition.current_stage, "nomination"):
            query = query.where(
                or_(Scoresheet.judge_id == user.id, Scoresheet.status == ScoresheetStatus.FINAL)
            )
        else:
            query = query.where(Scoresheet.judge_id == user.id)
    criteria = list_criteria(session=session, competition_id=competition.id)
    return [
        scoresheet_view(sheet=sheet, judge_name=name, criteria=criteria)
        for sheet, name in session.execute(query)
    ]


def reopen(
    *, session: Session, actor: User, innovation_id: int, judge_id: int, reason: str
) -> ScoresheetView:
    """Turn a final scoresheet back into a draft (while the presentation stage is current)."""
    innovation = get_innovation(session=session, innovation_id=innovation_id)
    sheet = _load_sheet(session=session, innovation_id=innovation.id, judge_id=judge_id, lock=True)
    if sheet is None:
        raise NotFound(f"Judge {judge_id} has no scoresheet for innovation {innovation_id}.")
    if sheet.status != ScoresheetStatus.FINAL:
        raise Conflict("This scoresheet is still a draft; there is nothing to reopen.")
    competition = competitions_service.get(
        session=session, competition_id=innovation.competition_id, with_stages=False
    )
    if competition.current_stage != "presentation":
        raise InvalidTransition(
            "Scoresheets can be reopened only during the presentation stage; the competition "
            f"is in the {competition.current_stage} stage."
        )
    before = sheet_snapshot(sheet)
    sheet.status = ScoresheetStatus.DRAFT.value
    sheet.submitted_at = None
    _touch(sheet)
    _record_sheet_change(
        session=session,
        actor=actor,
        action="scoresheet.reopen",
        sheet=sheet,
        before=before,
        reason=reason,
    )
    judge = session.get(User, judge_id)
    criteria = list_criteria(session=session, competition_id=competition.id)
    return scoresheet_view(
        sheet=sheet, judge_name=judge.full_name if judge else "", criteria=criteria
    )
