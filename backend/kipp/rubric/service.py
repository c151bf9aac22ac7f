"""The rubric: read it (who may: ``kipp.rubric.policy``), replace it whole, frozen once scoring
starts."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from kipp.audit import service as audit_service
from kipp.errors import Conflict, ValidationFailed
from kipp.field_errors import check_fields
from kipp.i18n import Msg, Text
from kipp.models import Competition, Criterion, Scoresheet, User

MAX_CRITERIA: Final = 30


def criterion_snapshot(criterion: Criterion) -> dict[str, Any]:
    """A criterion as the audit log keeps it."""
    return {
        "key": criterion.key,
        "name": criterion.name,
        "description": criterion.description,
        "low_means": criterion.low_means,
        "high_means": criterion.high_means,
        "weight": criterion.weight,
        "min_score": criterion.min_score,
        "max_score": criterion.max_score,
    }


def list_criteria(*, session: Session, competition_id: int) -> list[Criterion]:
    """The competition's criteria in rubric order."""
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


def _rubric_problems(criteria: Sequence[Mapping[str, Any]]) -> list[dict[str, Text]]:
    problems: list[dict[str, Text]] = []
    if not criteria:
        return [
            {
                "field": "body",
                "code": "too_short",
                "message": Msg(
                    id="Rubrik memerlukan paling sedikit satu kriteria.",
                    en="The rubric needs at least one criterion.",
                ),
            }
        ]
    if len(criteria) > MAX_CRITERIA:
        return [
            {
                "field": "body",
                "code": "too_long",
                "message": Msg(id="Paling banyak {n} kriteria.", en="At most {n} criteria.").format(
                    n=MAX_CRITERIA
                ),
            }
        ]
    seen: set[str] = set()
    for i, criterion in enumerate(criteria):
        if criterion["key"] in seen:
            problems.append(
                {
                    "field": f"{i}.key",
                    "code": "duplicate_key",
                    "message": Msg(id="Kunci ganda.", en="Duplicate key."),
                }
            )
        seen.add(criterion["key"])
        if criterion["min_score"] >= criterion["max_score"]:
            problems.append(
                {
                    "field": f"{i}.max_score",
                    "code": "max_not_above_min",
                    "message": Msg(
                        id="Harus lebih besar dari min_score.", en="Must be above min_score."
                    ),
                }
            )
    total = sum(float(c["weight"]) for c in criteria)
    if not math.isclose(total, 100.0, abs_tol=1e-6):
        problems.append(
            {
                "field": "weight",
                "code": "weights_total",
                "message": Msg(
                    id="Jumlah bobot {total}; jumlahnya harus tepat 100.",
                    en="Weights total {total}; they must total exactly 100.",
                ).format(total=f"{total:g}"),
            }
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
        raise Conflict(
            Msg(
                id="Penilaian sudah dimulai: rubrik tidak dapat diubah lagi.",
                en="Scoring has started: the rubric can no longer change.",
            )
        )
    problems = _rubric_problems(criteria)
    if problems:
        raise ValidationFailed(check_fields(len(problems)), errors=problems)

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
        row.low_means = fields.get("low_means", "")
        row.high_means = fields.get("high_means", "")
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
