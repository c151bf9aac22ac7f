"""The administrative review: the organising team checks a submitted proposal against the
competition's checklist and passes it (eligible) or fails it (ineligible, with reasons).

The decision moves the status through :mod:`kipp.innovations.lifecycle`; the review record and
the move are audited together, in one event. Duplicate titles are flagged here too: the review
is where the organisers notice one agency proposing the same thing twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp import clock
from kipp.competitions import service as competitions_service
from kipp.competitions import stages
from kipp.errors import InvalidTransition, ValidationFailed
from kipp.i18n import Msg, Text
from kipp.innovations import access, lifecycle
from kipp.models import AdministrativeReview, Innovation, InnovationStatus, User
from kipp.notify import audiences, templates
from kipp.notify import service as notify_service

S = InnovationStatus
# A decision may be revised while the administrative stage is current.
REVIEWABLE: Final = frozenset({S.SUBMITTED.value, S.ELIGIBLE.value, S.INELIGIBLE.value})


def normalise_title(title: str) -> str:
    """Titles compared for duplicates: case-insensitive, whitespace collapsed."""
    return " ".join(title.split()).casefold()


def duplicate_title_ids(*, session: Session, innovation: Innovation) -> list[int]:
    """Other innovations of the same competition whose title matches this one."""
    wanted = normalise_title(innovation.title)
    rows = session.execute(
        select(Innovation.id, Innovation.title).where(
            Innovation.competition_id == innovation.competition_id,
            Innovation.id != innovation.id,
        )
    )
    return sorted(i for i, title in rows if normalise_title(title) == wanted)


def review_of(*, session: Session, innovation_id: int) -> AdministrativeReview | None:
    """The proposal's administrative review, if it has one."""
    return session.scalar(
        select(AdministrativeReview).where(AdministrativeReview.innovation_id == innovation_id)
    )


def _snapshot(*, passed: bool, checks: Mapping[str, bool], notes: str) -> dict[str, Any]:
    return {"passed": passed, "checks": dict(checks), "notes": notes}


def _review_snapshot(review: AdministrativeReview | None) -> dict[str, Any] | None:
    if review is None:
        return None
    return _snapshot(passed=review.passed, checks=review.checks, notes=review.notes)


def review(
    *,
    session: Session,
    actor: User,
    innovation: Innovation,
    passed: bool,
    checks: Mapping[str, bool],
    notes: str,
) -> Innovation:
    """Record (or revise) the administrative decision: submitted → eligible | ineligible.

    Allowed while the administrative stage is current; every checklist key needs a boolean and
    a failed proposal needs the reasons in ``notes`` — the innovator reads them.
    """
    competition = competitions_service.get(
        session=session, competition_id=innovation.competition_id, with_stages=False
    )
    if competition.current_stage != "administrative":
        raise InvalidTransition(
            Msg(
                id="Seleksi administrasi dilakukan pada tahapan Seleksi administrasi; lomba "
                "sedang berada pada tahapan {stage}.",
                en="Administrative review happens in the administrative stage; the competition "
                "is in the {stage} stage.",
            ).format(stage=stages.label(competition.current_stage))
        )
    if innovation.status not in REVIEWABLE:
        raise InvalidTransition(
            Msg(
                id="Hanya usulan yang sudah diajukan yang diperiksa; usulan ini berstatus "
                "{status}.",
                en="Only a submitted proposal is reviewed; this one is {status}.",
            ).format(status=innovation.status)
        )
    checklist = [str(item["key"]) for item in competition.admin_checklist]
    errors: list[dict[str, Text]] = [
        {
            "field": f"checks.{key}",
            "code": "missing",
            "message": Msg(
                id="Belum diisi: pilih ya atau tidak.", en="Missing: give true or false."
            ),
        }
        for key in checklist
        if key not in checks
    ]
    errors += [
        {
            "field": f"checks.{key}",
            "code": "not_on_checklist",
            "message": Msg(id="Tidak ada dalam daftar periksa.", en="Not on the checklist."),
        }
        for key in sorted(set(checks) - set(checklist))
    ]
    notes = notes.strip()
    if not passed and not notes:
        errors.append(
            {
                "field": "notes",
                "code": "reason_required",
                "message": Msg(
                    id="Tuliskan alasan usulan ini tidak lolos.",
                    en="Give the reasons the proposal fails.",
                ),
            }
        )
    if errors:
        raise ValidationFailed(
            Msg(
                id="Seleksi administrasi belum lengkap.",
                en="The administrative review is incomplete.",
            ),
            errors=errors,
        )

    existing = review_of(session=session, innovation_id=innovation.id)
    decided = {key: bool(checks[key]) for key in checklist}
    lifecycle.move(
        session=session,
        actor=actor,
        innovation=innovation,
        target=S.ELIGIBLE if passed else S.INELIGIBLE,
        action="innovation.administrative_review",
        reason=notes or None,
        audit_before={"review": _review_snapshot(existing)},
        audit_after={"review": _snapshot(passed=passed, checks=decided, notes=notes)},
    )
    record = existing or AdministrativeReview(innovation_id=innovation.id)
    record.passed = passed
    record.checks = decided
    record.notes = notes
    record.reviewer_id = actor.id
    record.updated_at = clock.now()
    session.add(record)
    session.flush()
    labels = {
        str(item["key"]): str(item.get("label") or item["key"])
        for item in competition.admin_checklist
    }
    notify_service.send(
        session,
        letter=templates.administrative_decision(
            innovation_id=innovation.id,
            title=innovation.title,
            competition_name=competition.name,
            passed=passed,
            notes=notes,
            failed_checks=[labels[key] for key in checklist if not decided[key]],
        ),
        recipients=audiences.participants(session=session, innovation_ids=[innovation.id]),
    )
    return access.reload(session=session, innovation=innovation)
