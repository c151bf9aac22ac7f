"""The stage flow: what blocks the move to the next stage, and the move itself.

The order of the stages and which may be forced are the pure table in
``kipp.competitions.stages``; what must hold to leave each stage is asked of the domains
(``kipp.stageflow.blockers``). Moving applies the move's side effects (the announcement time)
and logs it, with anything a forced move overrode.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp import clock
from kipp.audit import service as audit_service
from kipp.competitions import service as competitions_service
from kipp.competitions import stages
from kipp.errors import BlockerOut, InvalidTransition, ProblemBlocker, ValidationFailed
from kipp.i18n import DEFAULT_LANG, Lang, Msg, text_in
from kipp.models import Competition, Innovation, InnovationStatus, User
from kipp.notify import audiences, templates
from kipp.notify import service as notify_service
from kipp.results import nomination as nomination_service
from kipp.stageflow import blockers as stage_blockers
from kipp.stageflow.blockers import Blocker
from kipp.stageflow.schemas import AdvanceCheck

# What must hold to leave each stage, keyed by the stage being left.
PRECONDITIONS: dict[str, Callable[..., list[Blocker]]] = {
    "submission": stage_blockers.nothing_blocks,
    "administrative": stage_blockers.administrative_blockers,
    "presentation": stage_blockers.scoring_blockers,
    "nomination": stage_blockers.nomination_blockers,
}


def advance_blockers(
    *, session: Session, competition: Competition, lang: Lang = DEFAULT_LANG
) -> list[ProblemBlocker]:
    """Everything that stops the competition moving to its next stage now (empty: nothing),
    each message in ``lang``."""
    if stages.next_stage(competition.current_stage) is None:
        return [
            ProblemBlocker(
                code="last_stage",
                message=text_in(
                    Msg(
                        id="{stage} adalah tahapan terakhir", en="{stage} is the last stage"
                    ).format(stage=stages.label(competition.current_stage)),
                    lang,
                ),
                count=0,
                ids=[],
                forceable=False,
            )
        ]
    forceable = competition.current_stage in stages.FORCEABLE
    return [
        ProblemBlocker(
            code=b.code,
            message=text_in(b.message, lang),
            count=b.count,
            ids=list(b.ids),
            forceable=forceable,
            judges={str(j): n for j, n in b.judges.items()} if b.judges is not None else None,
        )
        for b in PRECONDITIONS[competition.current_stage](session=session, competition=competition)
    ]


def advance_check(
    *, session: Session, competition: Competition, lang: Lang = DEFAULT_LANG
) -> AdvanceCheck:
    """What would happen on an advance now, without moving anything."""
    blockers = advance_blockers(session=session, competition=competition, lang=lang)
    target = stages.next_stage(competition.current_stage)
    return AdvanceCheck(
        current_stage=competition.current_stage,
        next_stage=target,
        can_advance=target is not None and not blockers,
        blockers=[BlockerOut.model_validate(b.model_dump(exclude={"judges"})) for b in blockers],
    )


def _as_data(blockers: list[ProblemBlocker]) -> list[dict[str, Any]]:
    """Blockers as the problem body and the audit log carry them (no empty ``judges``)."""
    return [b.model_dump(exclude_none=True) for b in blockers]


def advance(
    *,
    session: Session,
    actor: User,
    competition: Competition,
    reason: str | None = None,
    force: bool = False,
    lang: Lang = DEFAULT_LANG,
) -> Competition:
    """Move the competition one stage forward, or refuse (409) listing every blocker.

    Scoring blockers may be overridden with ``force`` and a reason; the override is logged
    with what it overrode. Moving before the current window ends is allowed and logged early.
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
    # Lock the row so two admins advancing at once cannot both move it (PostgreSQL).
    session.execute(
        select(Competition.id).where(Competition.id == competition.id).with_for_update()
    )
    session.refresh(competition, attribute_names=["current_stage", "version"])
    current = competition.current_stage
    target = stages.next_stage(current)
    blockers = advance_blockers(session=session, competition=competition, lang=lang)
    forceable = current in stages.FORCEABLE
    if target is None or (blockers and not (force and forceable)):
        raise InvalidTransition(
            Msg(
                id="Lomba tidak dapat berpindah dari tahapan {current} ke {target}.",
                en="The competition cannot move from {current} to {target}.",
            ).format(
                current=current,
                target=target or Msg(id="tahapan berikutnya", en="a next stage"),
            ),
            blockers=_as_data(blockers),
        )
    now = clock.now()
    early = now < competitions_service.stage_window(competition, current).ends_at
    after: dict[str, Any] = {"current_stage": target, "early": early}
    if blockers:  # forced past them: the log keeps what was overridden, in one language
        if lang != DEFAULT_LANG:
            blockers = advance_blockers(session=session, competition=competition)
        after.update(forced=True, overridden=_as_data(blockers))

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
        before={"current_stage": current},
        after=after,
        reason=reason,
    )
    _tell(session=session, competition=competition, stage=target)
    return competition


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
