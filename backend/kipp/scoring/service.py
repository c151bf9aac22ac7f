"""Scoring: a judge's draft and final scoresheets, what others may see of them, reopening."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from kipp import clock
from kipp.audit import service as audit_service
from kipp.competitions import service as competitions_service
from kipp.competitions import stages
from kipp.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from kipp.field_errors import check_fields
from kipp.i18n import Msg, Text
from kipp.models import Criterion, Innovation, Score, Scoresheet, ScoresheetStatus, User
from kipp.panel import conflicts as conflicts_service
from kipp.panel import policy as panel_policy
from kipp.ranking import aggregation
from kipp.rubric import service as rubric_service
from kipp.scoring import policy


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


def scoresheet_view(
    *, sheet: Scoresheet, judge_name: str, criteria: Sequence[Criterion]
) -> ScoresheetView:
    """A scoresheet with the judge's weighted total (once every criterion is scored)."""
    scores = sheet.score_map()
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
) -> list[dict[str, Text]]:
    by_key = {c.key: c for c in criteria}
    problems: list[dict[str, Text]] = []
    for key, value in scores.items():
        criterion = by_key.get(key)
        if criterion is None:
            known = ", ".join(by_key)
            problems.append(
                {
                    "field": f"scores.{key}",
                    "code": "unknown_criterion",
                    "message": Msg(
                        id="Kriteria tidak dikenal; rubrik memuat {known}.",
                        en="Unknown criterion; the rubric has {known}.",
                    ).format(known=known),
                }
            )
        elif not criterion.min_score <= value <= criterion.max_score:
            problems.append(
                {
                    "field": f"scores.{key}",
                    "code": "score_out_of_range",
                    "message": Msg(
                        id="Harus bilangan bulat dari {low} sampai {high}.",
                        en="Must be an integer from {low} to {high}.",
                    ).format(low=criterion.min_score, high=criterion.max_score),
                }
            )
    return problems


def _scoring_context(
    *, session: Session, judge: User, innovation_id: int
) -> tuple[Innovation, list[Criterion]]:
    """The checks every scoring write makes: assigned judge, presentation window open."""
    innovation = conflicts_service.assigned_innovation(
        session=session, innovation_id=innovation_id, judge=judge
    )
    competition = competitions_service.get(
        session=session, competition_id=innovation.competition_id
    )
    competitions_service.require_stage_open(competition=competition, stage_key="presentation")
    return innovation, rubric_service.list_criteria(session=session, competition_id=competition.id)


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
        after=sheet.snapshot(),
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
        raise ValidationFailed(check_fields(len(problems)), errors=problems)
    sheet = _load_sheet(session=session, innovation_id=innovation.id, judge_id=judge.id, lock=True)
    if sheet is not None and sheet.status == ScoresheetStatus.FINAL:
        raise Conflict(
            Msg(
                id="Lembar nilai ini sudah final; minta tim penyelenggara membukanya kembali.",
                en="This scoresheet is final; ask the organising team to reopen it.",
            )
        )
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
            raise Conflict(
                Msg(
                    id="Lembar nilai ini tersimpan pada saat yang sama; coba lagi.",
                    en="This scoresheet was saved at the same moment; try again.",
                )
            ) from exc
    else:
        before = sheet.snapshot()
        if sheet.score_map() == wanted and sheet.comment == comment:
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
        raise Conflict(
            Msg(id="Lembar nilai ini sudah final.", en="This scoresheet is already final.")
        )
    scores = sheet.score_map() if sheet is not None else {}
    missing = [c.key for c in criteria if c.key not in scores]
    if sheet is None or missing:
        raise ValidationFailed(
            Msg(
                id="Beri nilai untuk setiap kriteria sebelum mengirim; yang belum: {keys}.",
                en="Score every criterion before submitting; missing: {keys}.",
            ).format(keys=", ".join(missing)),
            errors=[
                {
                    "field": f"scores.{key}",
                    "code": "missing",
                    "message": Msg(id="Belum dinilai.", en="Missing."),
                }
                for key in missing
            ],
        )
    before = sheet.snapshot()
    sheet.status = ScoresheetStatus.FINAL.value
    sheet.submitted_at = clock.now()
    _touch(sheet)
    _record_sheet_change(
        session=session, actor=judge, action="scoresheet.submit", sheet=sheet, before=before
    )
    return scoresheet_view(sheet=sheet, judge_name=judge.full_name, criteria=criteria)


def list_scoresheets(*, session: Session, user: User, innovation_id: int) -> list[ScoresheetView]:
    """An innovation's scoresheets as ``user`` may see them (``kipp.scoring.policy``): an
    admin every one; a judge who may read the innovation their own, and from the nomination
    stage on the other judges' final ones; a conflicted judge none (404)."""
    innovation = policy.readable_innovation(session=session, innovation_id=innovation_id, user=user)
    competition = competitions_service.get(
        session=session, competition_id=innovation.competition_id, with_stages=False
    )
    query = (
        select(Scoresheet, User.full_name)
        .join(User, User.id == Scoresheet.judge_id)
        .options(selectinload(Scoresheet.scores))
        .where(
            Scoresheet.innovation_id == innovation.id,
            policy.visible_sheets(competition=competition, user=user),
        )
        .order_by(User.full_name, Scoresheet.judge_id)
    )
    criteria = rubric_service.list_criteria(session=session, competition_id=competition.id)
    return [
        scoresheet_view(sheet=sheet, judge_name=name, criteria=criteria)
        for sheet, name in session.execute(query)
    ]


def reopen(
    *, session: Session, actor: User, innovation_id: int, judge_id: int, reason: str
) -> ScoresheetView:
    """Turn a final scoresheet back into a draft (while the presentation stage is current)."""
    innovation = panel_policy.get_innovation(session=session, innovation_id=innovation_id)
    sheet = _load_sheet(session=session, innovation_id=innovation.id, judge_id=judge_id, lock=True)
    if sheet is None:
        raise NotFound(
            Msg(
                id="Juri {judge} tidak memiliki lembar nilai untuk inovasi {innovation}.",
                en="Judge {judge} has no scoresheet for innovation {innovation}.",
            ).format(judge=judge_id, innovation=innovation_id)
        )
    if sheet.status != ScoresheetStatus.FINAL:
        raise Conflict(
            Msg(
                id="Lembar nilai ini masih draf; tidak ada yang perlu dibuka kembali.",
                en="This scoresheet is still a draft; there is nothing to reopen.",
            )
        )
    competition = competitions_service.get(
        session=session, competition_id=innovation.competition_id, with_stages=False
    )
    if competition.current_stage != "presentation":
        raise InvalidTransition(
            Msg(
                id="Lembar nilai hanya dapat dibuka kembali pada tahapan {presentation}; "
                "lomba sedang berada pada tahapan {stage}.",
                en="Scoresheets can be reopened only during the {presentation} stage; the "
                "competition is in the {stage} stage.",
            ).format(
                presentation=stages.label("presentation"),
                stage=stages.label(competition.current_stage),
            )
        )

    before = sheet.snapshot()
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
    criteria = rubric_service.list_criteria(session=session, competition_id=competition.id)
    return scoresheet_view(
        sheet=sheet, judge_name=judge.full_name if judge else "", criteria=criteria
    )
