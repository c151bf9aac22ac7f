"""The stage flow: what blocks the move to the next stage, and the move itself.

The order of the stages and which may be forced are the pure table in
``kipp.competitions.stages``; what must hold to leave each stage is asked of the domains
(``kipp.stageflow.blockers``). Moving applies the move's side effects (the announcement time)
and logs it, with anything a forced move overrode.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp import clock
from kipp.audit import service as audit_service
from kipp.competitions import service as competitions_service
from kipp.competitions import stages
from kipp.errors import BlockerOut, InvalidTransition, ValidationFailed
from kipp.i18n import Lang, Msg, Text, text_in
from kipp.models import Competition, Innovation, InnovationStatus, User
from kipp.notify import audiences, templates
from kipp.notify import service as notify_service
from kipp.results import nomination as nomination_service
from kipp.stageflow import blockers as stage_blockers
from kipp.stageflow.blockers import Blocker
from kipp.stageflow.schemas import AdvanceCheck, WindowChangeOut

# What must hold to leave each stage, keyed by the stage being left.
PRECONDITIONS: dict[str, Callable[..., list[Blocker]]] = {
    "submission": stage_blockers.nothing_blocks,
    "administrative": stage_blockers.administrative_blockers,
    "presentation": stage_blockers.scoring_blockers,
    "nomination": stage_blockers.nomination_blockers,
}


_WINDOW_NEEDS_END = Msg(
    id="Jadwal tahap {stage} berakhir {ended}: berikan tanggal berakhir baru (ends_at) untuk "
    "membukanya kembali saat pindah tahap",
    en="The {stage} window ended at {ended}: give a new end (ends_at) to reopen it with the move",
)
_WINDOWS_INVALID = Msg(
    id="Jadwal tahapan tidak dapat mengikuti perpindahan ({problem}); perbaiki jadwal di "
    "pengaturan kompetisi",
    en="The stage windows cannot follow the move ({problem}); fix them in the competition's "
    "settings",
)


def _blocker(
    code: str, message: Text, *, count: int = 0, ids: list[int] | None = None, forceable: bool
) -> dict[str, Any]:
    return {
        "code": code,
        "message": message,
        "count": count,
        "ids": ids or [],
        "forceable": forceable,
    }


def window_plan(
    *, competition: Competition, now: datetime, ends_at: datetime | None = None
) -> stages.WindowPlan | None:
    """What the move would do to the next stage's window (None after the last stage)."""
    target = stages.next_stage(competition.current_stage)
    if target is None:
        return None
    return stages.plan_window(
        leaving=competitions_service.stage_window(competition, competition.current_stage),
        entering=competitions_service.stage_window(competition, target),
        now=now,
        ends_at=ends_at,
    )


def _window_blockers(competition: Competition, plan: stages.WindowPlan) -> list[dict[str, Any]]:
    if plan.action == "needs_end":
        window = competitions_service.stage_window(competition, plan.stage)
        return [
            _blocker(
                "window_end_past",
                _WINDOW_NEEDS_END.format(
                    stage=stages.label(plan.stage),
                    ended=stages.local_time(window.ends_at, competition.timezone),
                ),
                forceable=False,
            )
        ]
    problems = stages.window_problems(stages.planned_windows(competition.stages, plan))
    if problems:
        return [
            _blocker(
                "windows_invalid",
                _WINDOWS_INVALID.format(
                    problem=Msg(
                        id="; ".join(message.id for _, _, message in problems),
                        en="; ".join(message.en for _, _, message in problems),
                    )
                ),
                forceable=False,
            )
        ]
    return []


def advance_blockers(
    *, session: Session, competition: Competition, plan: stages.WindowPlan | None
) -> list[dict[str, Any]]:
    """Everything that stops the competition moving to its next stage now (empty: nothing):
    the domains' preconditions, then what the move would do to the next stage's window.
    Each is a problem blocker whose ``message`` may be bilingual (``Msg``)."""
    if plan is None:
        return [
            _blocker(
                "last_stage",
                Msg(id="{stage} adalah tahapan terakhir", en="{stage} is the last stage").format(
                    stage=stages.label(competition.current_stage)
                ),
                forceable=False,
            )
        ]
    forceable = competition.current_stage in stages.FORCEABLE
    found = [
        {
            **_blocker(b.code, b.message, count=b.count, ids=list(b.ids), forceable=forceable),
            **({"judges": {str(j): n for j, n in b.judges.items()}} if b.judges else {}),
        }
        for b in PRECONDITIONS[competition.current_stage](session=session, competition=competition)
    ]
    return found + _window_blockers(competition, plan)


def _window_out(competition: Competition, plan: stages.WindowPlan | None) -> WindowChangeOut | None:
    if plan is None:
        return None
    zone = ZoneInfo(competition.timezone)
    return WindowChangeOut(
        stage=plan.stage,
        action=plan.action,
        starts_at=plan.starts_at.astimezone(zone),
        ends_at=plan.ends_at.astimezone(zone) if plan.ends_at else None,
        leaving_ends_at=plan.leaving_ends_at.astimezone(zone) if plan.leaving_ends_at else None,
    )


def advance_check(*, session: Session, competition: Competition, lang: Lang) -> AdvanceCheck:
    """What would happen on an advance now, without moving anything: the blockers, and what
    the move would do to the next stage's window."""
    plan = window_plan(competition=competition, now=clock.now())
    blockers = advance_blockers(session=session, competition=competition, plan=plan)
    return AdvanceCheck(
        current_stage=competition.current_stage,
        next_stage=plan.stage if plan else None,
        can_advance=plan is not None and not blockers,
        blockers=[
            BlockerOut(
                code=b["code"],
                message=text_in(b["message"], lang),
                count=b["count"],
                ids=b["ids"],
                forceable=b["forceable"],
            )
            for b in blockers
        ],
        window=_window_out(competition, plan),
    )


def _as_log(blockers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Blockers as the audit log keeps them (messages in English)."""
    return [{**b, "message": str(b["message"])} for b in blockers]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def advance(
    *,
    session: Session,
    actor: User,
    competition: Competition,
    reason: str | None = None,
    force: bool = False,
    ends_at: datetime | None = None,
) -> Competition:
    """Move the competition one stage forward, or refuse (409) listing every blocker.

    Scoring blockers may be overridden with ``force`` and a reason; the override is logged
    with what it overrode. Moving before the current window ends is allowed and logged early.
    The next stage's window follows the move (``kipp.competitions.stages.plan_window``): one
    not yet open opens now, one whose end is past needs ``ends_at``; the change is logged.
    """
    reason = (reason or "").strip() or None
    if force and reason is None:
        raise ValidationFailed(
            Msg(
                id="Memaksa perpindahan tahapan memerlukan alasan.",
                en="Forcing the move needs a reason.",
            ),
            errors=[
                {
                    "field": "reason",
                    "code": "reason_required",
                    "message": Msg(
                        id="Wajib diisi bila force bernilai true.",
                        en="Required when force is true.",
                    ),
                }
            ],
        )
    now = clock.now()
    if ends_at is not None and ends_at <= now:
        raise ValidationFailed(
            Msg(
                id="Tanggal berakhir harus di masa depan.", en="The new end must be in the future."
            ),
            errors=[{"field": "ends_at", "message": Msg(id="sudah lewat", en="is not ahead")}],
        )
    # Lock the row so two admins advancing at once cannot both move it (PostgreSQL).
    session.execute(
        select(Competition.id).where(Competition.id == competition.id).with_for_update()
    )
    session.refresh(competition, attribute_names=["current_stage", "version"])
    current = competition.current_stage
    plan = window_plan(competition=competition, now=now, ends_at=ends_at)
    blockers = advance_blockers(session=session, competition=competition, plan=plan)
    if ends_at is not None and any(b["code"] == "windows_invalid" for b in blockers):
        raise ValidationFailed(
            Msg(id="Tanggal berakhir ini tidak cocok.", en="This end does not fit."),
            errors=[
                {"field": "ends_at", "message": b["message"]}
                for b in blockers
                if b["code"] == "windows_invalid"
            ],
        )
    if plan is None or any(not (force and b["forceable"]) for b in blockers):
        raise InvalidTransition(
            Msg(
                id="Lomba tidak dapat berpindah dari tahapan {current} ke {target}.",
                en="The competition cannot move from {current} to {target}.",
            ).format(
                current=stages.label(current),
                target=stages.label(plan.stage)
                if plan
                else Msg(id="tahapan berikutnya", en="a next stage"),
            ),
            blockers=blockers,
        )
    target = plan.stage
    early = now < competitions_service.stage_window(competition, current).ends_at
    before: dict[str, Any] = {"current_stage": current}
    after: dict[str, Any] = {"current_stage": target, "early": early}
    if blockers:  # forced past them: the log keeps what was overridden
        after.update(forced=True, overridden=_as_log(blockers))
    windows_before, windows_after = _follow_windows(competition, plan)
    if windows_after:
        before["windows"], after["windows"] = windows_before, windows_after
    competition.current_stage = target
    if target == "announcement":
        competition.announced_at = now
        after["announced_at"] = now.isoformat()
    competition.version += 1
    session.flush()
    audit_service.record(
        session=session,
        actor=actor,
        action="competition.advance",
        entity_type="competition",
        entity_id=competition.id,
        competition_id=competition.id,
        before=before,
        after=after,
        reason=reason,
    )
    _tell(session=session, competition=competition, stage=target)
    return competition


def _follow_windows(
    competition: Competition, plan: stages.WindowPlan
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Apply ``plan`` to the stage rows; what changed, before and after, for the log."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    planned = {w.key: w for w in stages.planned_windows(competition.stages, plan)}
    for stage in competition.stages:
        window = planned[stage.key]
        for name in ("starts_at", "ends_at"):
            old, new = getattr(stage, name), getattr(window, name)
            if old != new:
                before.setdefault(stage.key, {})[name] = _iso(old)
                after.setdefault(stage.key, {})[name] = _iso(new)
                setattr(stage, name, new)
    return before, after


def _tell(*, session: Session, competition: Competition, stage: str) -> None:
    """Who a move concerns: the panel when scoring opens; every participant at the
    announcement (in the move's transaction, like everything else it changes)."""
    if stage == "presentation":
        notify_service.send(
            session,
            letter=templates.scoring_opened(
                competition_name=competition.name,
                closes_at=competitions_service.stage_window(competition, stage).ends_at,
                timezone=competition.timezone,
            ),
            recipients=audiences.panel_judges(session=session, competition_id=competition.id),
        )
    elif stage == "announcement":
        nomination = nomination_service.require_nomination(session=session, competition=competition)
        titles = {
            innovation_id: title
            for innovation_id, title in session.execute(
                select(Innovation.id, Innovation.title).where(
                    Innovation.id.in_(list(nomination.innovation_ids))
                )
            )
        }
        submitted = session.scalars(
            select(Innovation.id).where(
                Innovation.competition_id == competition.id,
                Innovation.status.not_in([InnovationStatus.DRAFT, InnovationStatus.WITHDRAWN]),
            )
        ).all()
        notify_service.send(
            session,
            letter=templates.top_announced(
                competition_id=competition.id,
                competition_name=competition.name,
                top_n=competition.top_n,
                titles=[titles[i] for i in nomination.innovation_ids if i in titles],
            ),
            recipients=audiences.participants(session=session, innovation_ids=submitted),
        )
