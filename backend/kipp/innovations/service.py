"""Proposals: role-scoped reading, drafts under optimistic locking, the lifecycle, evidence
files and the administrative review.

Who may do what (DESIGN.md): the team, the agency admin of the innovation's agency and the admin
read and edit; a judge reads an innovation assigned to them; anyone else gets 404, so ids don't
leak. Every state change is one atomic ``UPDATE … WHERE version = :read_version`` so two people
racing can't both win, and every change is written to the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, Final, cast
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, CursorResult, false, func, select, true, update
from sqlalchemy.orm import Session, selectinload

from kipp import clock
from kipp.audit import service as audit_service
from kipp.competitions import service as competitions_service
from kipp.competitions import stages
from kipp.config import Settings
from kipp.errors import (
    Conflict,
    Forbidden,
    InvalidTransition,
    NotFound,
    StaleVersion,
    ValidationFailed,
)
from kipp.innovations import readiness, storage
from kipp.innovations.schemas import (
    AdministrativeReviewOut,
    InnovationCreate,
    InnovationListItem,
    InnovationOut,
    InnovationPatch,
    PublicInnovationItem,
    TeamMember,
)
from kipp.models import (
    AdministrativeReview,
    Agency,
    Attachment,
    Competition,
    Innovation,
    InnovationStatus,
    Role,
    User,
    innovation_team,
)
from kipp.panel import assignments as judging_assignments

DRAFT: Final = InnovationStatus.DRAFT.value
SUBMITTED: Final = InnovationStatus.SUBMITTED.value
ELIGIBLE: Final = InnovationStatus.ELIGIBLE.value
INELIGIBLE: Final = InnovationStatus.INELIGIBLE.value
WITHDRAWN: Final = InnovationStatus.WITHDRAWN.value

# The lifecycle, explicit: the statuses each status may move to. A re-review may flip an
# administrative decision while that stage is current; nomination owns the later moves.
ALLOWED_MOVES: Final[dict[str, frozenset[str]]] = {
    DRAFT: frozenset({SUBMITTED, WITHDRAWN}),
    SUBMITTED: frozenset({ELIGIBLE, INELIGIBLE, WITHDRAWN}),
    ELIGIBLE: frozenset({ELIGIBLE, INELIGIBLE, "nominated", "not_nominated"}),
    INELIGIBLE: frozenset({INELIGIBLE, ELIGIBLE}),
    "nominated": frozenset({"winner", "not_nominated"}),
    "not_nominated": frozenset({"nominated"}),
    "winner": frozenset(),
    WITHDRAWN: frozenset(),
}
REVIEWABLE: Final = frozenset({SUBMITTED, ELIGIBLE, INELIGIBLE})
# What the public may ever see: innovations that passed the administrative stage.
PUBLIC_STATUSES: Final = judging_assignments.JUDGED_STATUSES
# The panel's TOP N decision (nominated / not nominated) stays the panel's until it is
# announced: before the announcement stage the proposing roles and the public see a decided
# innovation as eligible, and cannot filter by the decision either.
DECIDED: Final = frozenset({"nominated", "not_nominated"})
_EDITABLE_FIELDS: Final = (
    "title",
    "group",
    "category",
    "origin",
    "summary",
    "sections",
    "started_on",
    "replicated_from",
    "video_url",
    "links",
    "external_ref",
)


# --------------------------------------------------------------------------- who may do what


def is_team_member(innovation: Innovation, user: User) -> bool:
    return any(member.id == user.id for member in innovation.team)


def is_agency_admin_of(innovation: Innovation, user: User) -> bool:
    return user.role == Role.AGENCY_ADMIN and user.agency_id == innovation.agency_id


def can_act_as_owner(innovation: Innovation, user: User) -> bool:
    """The team and their agency admin: submit, withdraw, upload and delete evidence."""
    return is_team_member(innovation, user) or is_agency_admin_of(innovation, user)


def can_edit(innovation: Innovation, user: User) -> bool:
    """The owners and the admin: edit a draft, see its readiness."""
    return user.role == Role.ADMIN or can_act_as_owner(innovation, user)


def can_read(*, session: Session, innovation: Innovation, user: User) -> bool:
    if can_edit(innovation, user):
        return True
    return user.role == Role.JUDGE and judging_assignments.is_assigned(
        session=session, innovation=innovation, judge=user
    )


def _load(session: Session, innovation_id: int) -> Innovation | None:
    return session.scalar(
        select(Innovation)
        .where(Innovation.id == innovation_id)
        .options(selectinload(Innovation.team))
        .execution_options(populate_existing=True)
    )


def get_readable(*, session: Session, innovation_id: int, user: User) -> Innovation:
    """The innovation when ``user`` may read it; 404 otherwise (ids don't leak)."""
    innovation = _load(session, innovation_id)
    if innovation is None or not can_read(session=session, innovation=innovation, user=user):
        raise NotFound(f"Innovation {innovation_id} does not exist.")
    return innovation


def get_editable(*, session: Session, innovation_id: int, user: User) -> Innovation:
    """The innovation when ``user`` may edit it: 404 when they can't even see it, else 403."""
    innovation = get_readable(session=session, innovation_id=innovation_id, user=user)
    if not can_edit(innovation, user):
        raise Forbidden("Only the team, their agency admin and the admin edit a proposal.")
    return innovation


def get_owned(*, session: Session, innovation_id: int, user: User) -> Innovation:
    """The innovation when ``user`` is on its team or its agency admin (404 / 403 otherwise)."""
    innovation = get_readable(session=session, innovation_id=innovation_id, user=user)
    if not can_act_as_owner(innovation, user):
        raise Forbidden("Only the team and their agency admin do this.")
    return innovation


# --------------------------------------------------------------------------- presenting


def sees_decision(*, current_stage: str, viewer: User | None) -> bool:
    """Whether ``viewer`` may see the TOP N decision on an innovation's status now: the
    organising team and the panel always, everyone else once it is announced."""
    if viewer is not None and viewer.role in (Role.ADMIN, Role.JUDGE):
        return True
    return stages.reached(current_stage, "announcement")


def shown_status(status: str, *, decision_visible: bool) -> str:
    """The status as the viewer may see it (an undisclosed decision reads as eligible)."""
    return ELIGIBLE if status in DECIDED and not decision_visible else status


def _status_filter(status: str, *, decision_visible: bool) -> ColumnElement[bool]:
    """``status = :status`` as the viewer sees statuses: without the decision, ``eligible``
    matches every decided innovation and the decided statuses match nothing."""
    if decision_visible:
        return Innovation.status == status
    if status == ELIGIBLE:
        return Innovation.status.in_([ELIGIBLE, *sorted(DECIDED)])
    if status in DECIDED:
        return false()
    return Innovation.status == status


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


def attachments_count(*, session: Session, innovation_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Attachment)
            .where(Attachment.innovation_id == innovation_id)
        )
        or 0
    )


def _review_of(session: Session, innovation_id: int) -> AdministrativeReview | None:
    return session.scalar(
        select(AdministrativeReview).where(AdministrativeReview.innovation_id == innovation_id)
    )


def present(*, session: Session, innovation: Innovation, viewer: User) -> InnovationOut:
    """The full view of one innovation for someone allowed to read it."""
    agency_code = session.scalar(select(Agency.code).where(Agency.id == innovation.agency_id))
    current_stage = session.scalar(
        select(Competition.current_stage).where(Competition.id == innovation.competition_id)
    )
    decision_visible = sees_decision(current_stage=current_stage or "", viewer=viewer)
    review = _review_of(session, innovation.id)
    return InnovationOut(
        id=innovation.id,
        competition_id=innovation.competition_id,
        agency_id=innovation.agency_id,
        agency_code=agency_code or "",
        title=innovation.title,
        group=innovation.group,
        category=innovation.category,
        origin=innovation.origin,
        summary=innovation.summary,
        sections={k: str(v) for k, v in (innovation.sections or {}).items()},
        started_on=innovation.started_on,
        replicated_from=innovation.replicated_from,
        video_url=innovation.video_url,
        links=[str(link) for link in innovation.links or []],
        external_ref=innovation.external_ref,
        status=shown_status(innovation.status, decision_visible=decision_visible),
        version=innovation.version,
        submitted_at=innovation.submitted_at,
        created_at=innovation.created_at,
        updated_at=innovation.updated_at,
        team=[TeamMember.model_validate(u) for u in sorted(innovation.team, key=lambda u: u.id)],
        administrative_review=(
            AdministrativeReviewOut(
                passed=review.passed,
                checks={k: bool(v) for k, v in review.checks.items()},
                notes=review.notes,
                reviewed_at=review.updated_at,
            )
            if review is not None
            else None
        ),
        attachments_count=attachments_count(session=session, innovation_id=innovation.id),
        duplicate_title_ids=(
            duplicate_title_ids(session=session, innovation=innovation)
            if viewer.role == Role.ADMIN
            else None
        ),
    )


# --------------------------------------------------------------------------- listing


def _scope(*, session: Session, competition: Competition, user: User) -> ColumnElement[bool]:
    """The condition restricting a competition's innovations to what ``user``'s role sees."""
    if user.role == Role.ADMIN:
        return true()
    if user.role == Role.AGENCY_ADMIN:
        return Innovation.agency_id == user.agency_id
    if user.role == Role.JUDGE:
        assigned = [
            a.innovation_id
            for a in judging_assignments.assignments(
                session=session, competition_id=competition.id, judge_id=user.id
            )
        ]
        return Innovation.id.in_(assigned)
    team_of = select(innovation_team.c.innovation_id).where(innovation_team.c.user_id == user.id)
    return Innovation.id.in_(team_of)


def list_innovations(
    *,
    session: Session,
    competition: Competition,
    user: User | None,
    public: bool,
    status: str | None,
    agency_id: int | None,
    limit: int,
    offset: int,
) -> tuple[list[InnovationListItem] | list[PublicInnovationItem], int]:
    """A competition's innovations as ``user`` may see them.

    Signed-in users get their role's view; anonymous callers (and anyone asking for
    ``public``) get the public list: only innovations that passed the administrative stage,
    only once the competition reached the presentation stage, only public fields.
    """
    query = (
        select(Innovation, Agency.code, Agency.name)
        .join(Agency, Agency.id == Innovation.agency_id)
        .where(Innovation.competition_id == competition.id)
    )
    viewer = None if public else user
    decision_visible = sees_decision(current_stage=competition.current_stage, viewer=viewer)
    if viewer is None:
        if not stages.reached(competition.current_stage, "presentation"):
            return [], 0
        query = query.where(Innovation.status.in_(PUBLIC_STATUSES))
    else:
        query = query.where(_scope(session=session, competition=competition, user=viewer))
    if status is not None:
        query = query.where(_status_filter(status, decision_visible=decision_visible))
    if agency_id is not None:
        query = query.where(Innovation.agency_id == agency_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(Innovation.id).limit(limit).offset(offset)).all()
    if viewer is None:
        return [
            PublicInnovationItem(
                id=i.id,
                title=i.title,
                agency_id=i.agency_id,
                agency_code=code,
                agency_name=name,
                group=i.group,
                category=i.category,
            )
            for i, code, name in rows
        ], total
    return [
        InnovationListItem(
            id=i.id,
            competition_id=i.competition_id,
            title=i.title,
            agency_id=i.agency_id,
            agency_code=code,
            agency_name=name,
            group=i.group,
            category=i.category,
            status=shown_status(i.status, decision_visible=decision_visible),
            version=i.version,
            submitted_at=i.submitted_at,
            updated_at=i.updated_at,
        )
        for i, code, name in rows
    ], total


# --------------------------------------------------------------------------- drafts


def snapshot(innovation: Innovation) -> dict[str, Any]:
    return {
        "title": innovation.title,
        "agency_id": innovation.agency_id,
        "group": innovation.group,
        "category": innovation.category,
        "origin": innovation.origin,
        "status": innovation.status,
        "external_ref": innovation.external_ref,
        "team": sorted(u.id for u in innovation.team),
    }


def _check_section_keys(template: Mapping[str, Any], sections: Mapping[str, Any]) -> None:
    known = readiness.section_keys(template)
    unknown = sorted(set(sections) - known)
    if unknown:
        raise ValidationFailed(
            "The proposal has sections its template does not know.",
            errors=[
                {"field": f"sections.{key}", "message": "not a section of this competition"}
                for key in unknown
            ],
        )


def _check_external_ref_free(
    session: Session, *, competition_id: int, external_ref: str, except_id: int | None = None
) -> None:
    existing = session.scalar(
        select(Innovation.id).where(
            Innovation.competition_id == competition_id,
            Innovation.external_ref == external_ref,
        )
    )
    if existing is not None and existing != except_id:
        raise Conflict(
            f"External reference {external_ref!r} is already used in this competition.",
            errors=[{"field": "external_ref", "message": "already used"}],
        )


def _proposing_agency(*, session: Session, actor: User, agency_id: int | None) -> int:
    if actor.role == Role.ADMIN:
        if agency_id is None:
            raise ValidationFailed(
                "Name the agency of the proposal.",
                errors=[{"field": "agency_id", "message": "required for an admin"}],
            )
        if session.get(Agency, agency_id) is None:
            raise ValidationFailed(
                f"Agency {agency_id} does not exist.",
                errors=[{"field": "agency_id", "message": "no such agency"}],
            )
        return agency_id
    if actor.agency_id is None:
        raise Forbidden("Your account belongs to no agency.")
    if agency_id is not None and agency_id != actor.agency_id:
        raise Forbidden("You propose innovations for your own agency only.")
    return actor.agency_id


def _team(
    *,
    session: Session,
    actor: User,
    agency_id: int,
    team_user_ids: list[int] | None,
    creator_joins: bool = True,
) -> list[User]:
    """The team ``actor`` names: active innovators of the agency (only agency admins and the
    admin choose one); on creation an innovator or agency admin creator joins it."""
    members: dict[int, User] = {}
    if creator_joins and actor.role in (Role.INNOVATOR, Role.AGENCY_ADMIN):
        members[actor.id] = actor
    if team_user_ids is None:
        return list(members.values())
    if actor.role == Role.INNOVATOR:
        raise Forbidden("Only an agency admin or the admin chooses a proposal's team.")
    wanted = list(dict.fromkeys(team_user_ids))
    found = {
        u.id: u
        for u in session.scalars(
            select(User).where(
                User.id.in_(wanted),
                User.role == Role.INNOVATOR,
                User.agency_id == agency_id,
                User.is_active.is_(True),
            )
        )
    }
    errors = [
        {"field": f"team_user_ids.{n}", "message": "not an active innovator of the agency"}
        for n, user_id in enumerate(wanted)
        if user_id not in found
    ]
    if errors:
        raise ValidationFailed("The team lists someone who cannot join it.", errors=errors)
    members.update(found)
    return list(members.values())


def _check_quota(*, session: Session, competition: Competition, agency_id: int) -> None:
    if competition.agency_quota is None:
        return
    # Serialise proposals of one agency so two creators can't both take the last place.
    session.scalar(select(Agency.id).where(Agency.id == agency_id).with_for_update())
    used = (
        session.scalar(
            select(func.count())
            .select_from(Innovation)
            .where(
                Innovation.competition_id == competition.id,
                Innovation.agency_id == agency_id,
                Innovation.status != WITHDRAWN,
            )
        )
        or 0
    )
    if used >= competition.agency_quota:
        raise Conflict(
            f"The agency already has {used} proposal(s); this competition allows "
            f"{competition.agency_quota} per agency."
        )


def create(
    *, session: Session, actor: User, competition: Competition, draft: InnovationCreate
) -> Innovation:
    """A new draft, while the submission stage is current and its window open."""
    competitions_service.require_stage_open(competition=competition, stage_key="submission")
    agency_id = _proposing_agency(session=session, actor=actor, agency_id=draft.agency_id)
    _check_section_keys(competition.proposal_template, draft.sections)
    team = _team(
        session=session, actor=actor, agency_id=agency_id, team_user_ids=draft.team_user_ids
    )
    if draft.external_ref is not None:
        _check_external_ref_free(
            session, competition_id=competition.id, external_ref=draft.external_ref
        )
    _check_quota(session=session, competition=competition, agency_id=agency_id)
    innovation = Innovation(
        competition_id=competition.id,
        agency_id=agency_id,
        status=DRAFT,
        version=1,
        created_by_id=actor.id,
        **draft.model_dump(include=set(_EDITABLE_FIELDS)),
    )
    innovation.team = team
    session.add(innovation)
    session.flush()
    audit_service.record(
        session=session,
        actor=actor,
        action="innovation.create",
        entity_type="innovation",
        entity_id=innovation.id,
        competition_id=competition.id,
        after=snapshot(innovation),
    )
    return innovation


def _apply(
    *,
    session: Session,
    innovation: Innovation,
    read_version: int,
    values: Mapping[str, Any],
    expected_status: str | None = None,
) -> Innovation:
    """One atomic ``UPDATE … WHERE id AND version (AND status)``, bumping the version.

    Zero rows means someone else changed the innovation since it was read: 409, nothing
    written. Returns the innovation reloaded from the database.
    """
    conditions = [Innovation.id == innovation.id, Innovation.version == read_version]
    if expected_status is not None:
        conditions.append(Innovation.status == expected_status)
    result = cast(
        CursorResult[Any],
        session.execute(
            update(Innovation)
            .where(*conditions)
            .values(**values, version=Innovation.version + 1, updated_at=clock.now())
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        current = session.scalar(select(Innovation.version).where(Innovation.id == innovation.id))
        raise StaleVersion(
            f"Innovation {innovation.id} was changed by someone else (version {current}, you "
            f"sent {read_version}); reload it and apply your change again."
        )
    reloaded = _load(session, innovation.id)
    assert reloaded is not None
    return reloaded


def _require_draft(innovation: Innovation, doing: str) -> None:
    if innovation.status != DRAFT:
        raise InvalidTransition(
            f"Only a draft may be {doing}; this proposal is {innovation.status}."
        )


def update_draft(
    *, session: Session, actor: User, innovation: Innovation, patch: InnovationPatch
) -> Innovation:
    """Change a draft within the submission window, under the optimistic lock."""
    competition = competitions_service.get(
        session=session, competition_id=innovation.competition_id
    )
    _require_draft(innovation, "edited")
    competitions_service.require_stage_open(competition=competition, stage_key="submission")
    changes = patch.model_dump(exclude_unset=True, exclude={"version", "team_user_ids"})
    team: list[User] | None = None
    if patch.team_user_ids is not None:
        team = _team(
            session=session,
            actor=actor,
            agency_id=innovation.agency_id,
            team_user_ids=patch.team_user_ids,
            creator_joins=False,
        )
    if "sections" in changes:
        _check_section_keys(competition.proposal_template, changes["sections"])
        changes["sections"] = {**(innovation.sections or {}), **changes["sections"]}
    if changes.get("external_ref") is not None:
        _check_external_ref_free(
            session,
            competition_id=competition.id,
            external_ref=changes["external_ref"],
            except_id=innovation.id,
        )
    before = {field: getattr(innovation, field) for field in changes}
    before_team = sorted(u.id for u in innovation.team)
    updated = _apply(
        session=session,
        innovation=innovation,
        read_version=patch.version,
        values=changes,
        expected_status=DRAFT,
    )
    after = {field: getattr(updated, field) for field in changes}
    if team is not None:
        updated.team = team
        session.flush()
        before["team"], after["team"] = before_team, sorted(u.id for u in team)
    changed = [field for field in after if before[field] != after[field]]
    if changed:
        audit_service.record(
            session=session,
            actor=actor,
            action="innovation.update",
            entity_type="innovation",
            entity_id=updated.id,
            competition_id=competition.id,
            before={f: before[f] for f in changed},
            after={f: after[f] for f in changed},
        )
    return updated


# --------------------------------------------------------------------------- lifecycle


def _move(
    *,
    session: Session,
    innovation: Innovation,
    target: str,
    values: Mapping[str, Any] | None = None,
) -> Innovation:
    if target not in ALLOWED_MOVES.get(innovation.status, frozenset()):
        raise InvalidTransition(f"A proposal that is {innovation.status} cannot become {target}.")
    return _apply(
        session=session,
        innovation=innovation,
        read_version=innovation.version,
        values={"status": target, **(values or {})},
        expected_status=innovation.status,
    )


def _record_move(
    *,
    session: Session,
    actor: User,
    action: str,
    before: Innovation | str,
    after: Innovation,
    reason: str | None = None,
) -> None:
    audit_service.record(
        session=session,
        actor=actor,
        action=action,
        entity_type="innovation",
        entity_id=after.id,
        competition_id=after.competition_id,
        before={"status": before if isinstance(before, str) else before.status},
        after={"status": after.status},
        reason=reason,
    )


def local_today(competition: Competition) -> date:
    """Today where the competition runs."""
    return clock.now().astimezone(ZoneInfo(competition.timezone)).date()


def readiness_problems(
    *, session: Session, innovation: Innovation, competition: Competition | None = None
) -> list[readiness.Problem]:
    """What the administrative stage would find missing in this proposal today."""
    competition = competition or competitions_service.get(
        session=session, competition_id=innovation.competition_id, with_stages=False
    )
    return readiness.check(
        template=competition.proposal_template,
        group=innovation.group,
        title=innovation.title,
        sections=innovation.sections or {},
        started_on=innovation.started_on,
        attachments_count=attachments_count(session=session, innovation_id=innovation.id),
        today=local_today(competition),
    )


def submit(*, session: Session, actor: User, innovation: Innovation) -> Innovation:
    """draft → submitted within the submission window; 422 with the problems when not ready."""
    competition = competitions_service.get(
        session=session, competition_id=innovation.competition_id
    )
    _require_draft(innovation, "submitted")
    competitions_service.require_stage_open(competition=competition, stage_key="submission")
    problems = readiness_problems(session=session, innovation=innovation, competition=competition)
    if problems:
        raise ValidationFailed(
            "The proposal is not ready to submit.",
            errors=[p.as_error() for p in problems],
        )
    before = innovation.status
    submitted = _move(
        session=session,
        innovation=innovation,
        target=SUBMITTED,
        values={"submitted_at": clock.now()},
    )
    _record_move(
        session=session, actor=actor, action="innovation.submit", before=before, after=submitted
    )
    return submitted


def withdraw(*, session: Session, actor: User, innovation: Innovation) -> Innovation:
    """draft | submitted → withdrawn, within the submission window."""
    competition = competitions_service.get(
        session=session, competition_id=innovation.competition_id
    )
    if innovation.status not in (DRAFT, SUBMITTED):
        raise InvalidTransition(
            f"Only a draft or a submitted proposal may be withdrawn; this one is "
            f"{innovation.status}."
        )
    competitions_service.require_stage_open(competition=competition, stage_key="submission")
    before = innovation.status
    withdrawn = _move(session=session, innovation=innovation, target=WITHDRAWN)
    _record_move(
        session=session, actor=actor, action="innovation.withdraw", before=before, after=withdrawn
    )
    return withdrawn


# --------------------------------------------------------------------------- administrative review


def _review_snapshot(review: AdministrativeReview | None) -> dict[str, Any] | None:
    if review is None:
        return None
    return {"passed": review.passed, "checks": dict(review.checks), "notes": review.notes}


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
            "Administrative review happens in the administrative stage; the competition is in "
            f"the {competition.current_stage} stage."
        )
    if innovation.status not in REVIEWABLE:
        raise InvalidTransition(
            f"Only a submitted proposal is reviewed; this one is {innovation.status}."
        )
    checklist = [str(item["key"]) for item in competition.admin_checklist]
    errors = [
        {"field": f"checks.{key}", "message": "missing: give true or false"}
        for key in checklist
        if key not in checks
    ] + [
        {"field": f"checks.{key}", "message": "not on the checklist"}
        for key in sorted(set(checks) - set(checklist))
    ]
    notes = notes.strip()
    if not passed and not notes:
        errors.append({"field": "notes", "message": "give the reasons the proposal fails"})
    if errors:
        raise ValidationFailed("The administrative review is incomplete.", errors=errors)

    existing = _review_of(session, innovation.id)
    before = {"status": innovation.status, "review": _review_snapshot(existing)}
    reviewed = _move(
        session=session, innovation=innovation, target=ELIGIBLE if passed else INELIGIBLE
    )
    record = existing or AdministrativeReview(innovation_id=innovation.id)
    record.passed = passed
    record.checks = {key: bool(checks[key]) for key in checklist}
    record.notes = notes
    record.reviewer_id = actor.id
    record.updated_at = clock.now()
    session.add(record)
    session.flush()
    audit_service.record(
        session=session,
        actor=actor,
        action="innovation.administrative_review",
        entity_type="innovation",
        entity_id=reviewed.id,
        competition_id=reviewed.competition_id,
        before=before,
        after={"status": reviewed.status, "review": _review_snapshot(record)},
        reason=notes or None,
    )
    return reviewed


# --------------------------------------------------------------------------- attachments


def _safe_filename(filename: str | None, extension: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:255] or f"attachment{extension}"


def add_attachment(
    *,
    session: Session,
    settings: Settings,
    actor: User,
    innovation: Innovation,
    source: BinaryIO,
    filename: str | None,
) -> Attachment:
    """Store an evidence file for a draft, within the submission window."""
    competition = competitions_service.get(
        session=session, competition_id=innovation.competition_id
    )
    _require_draft(innovation, "given evidence")
    competitions_service.require_stage_open(competition=competition, stage_key="submission")
    target_dir = storage.directory(settings)
    stored = storage.store(
        source=source, target_dir=target_dir, max_bytes=settings.max_upload_bytes
    )
    storage.keep_if_committed(session=session, path=target_dir / stored.storage_name)
    attachment = Attachment(
        innovation_id=innovation.id,
        filename=_safe_filename(filename, Path(stored.storage_name).suffix),
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        storage_name=stored.storage_name,
        uploaded_by_id=actor.id,
        created_at=clock.now(),
    )
    session.add(attachment)
    session.flush()
    audit_service.record(
        session=session,
        actor=actor,
        action="attachment.create",
        entity_type="attachment",
        entity_id=attachment.id,
        competition_id=innovation.competition_id,
        after=attachment_snapshot(attachment),
    )
    return attachment


def attachment_snapshot(attachment: Attachment) -> dict[str, Any]:
    return {
        "innovation_id": attachment.innovation_id,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
    }


def list_attachments(
    *, session: Session, innovation: Innovation, limit: int, offset: int
) -> tuple[list[Attachment], int]:
    total = attachments_count(session=session, innovation_id=innovation.id)
    items = session.scalars(
        select(Attachment)
        .where(Attachment.innovation_id == innovation.id)
        .order_by(Attachment.id)
        .limit(limit)
        .offset(offset)
    )
    return list(items), total


def get_attachment(*, session: Session, innovation: Innovation, attachment_id: int) -> Attachment:
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or attachment.innovation_id != innovation.id:
        raise NotFound(f"Attachment {attachment_id} does not exist.")
    return attachment


def attachment_path(*, settings: Settings, attachment: Attachment) -> Path:
    path = storage.directory(settings) / attachment.storage_name
    if not path.is_file():
        raise NotFound(f"The file of attachment {attachment.id} is missing from storage.")
    return path


def delete_attachment(
    *,
    session: Session,
    settings: Settings,
    actor: User,
    innovation: Innovation,
    attachment: Attachment,
) -> None:
    """Remove evidence from a draft within the window; the file goes once the row is gone."""
    competition = competitions_service.get(
        session=session, competition_id=innovation.competition_id
    )
    _require_draft(innovation, "changed")
    competitions_service.require_stage_open(competition=competition, stage_key="submission")
    audit_service.record(
        session=session,
        actor=actor,
        action="attachment.delete",
        entity_type="attachment",
        entity_id=attachment.id,
        competition_id=innovation.competition_id,
        before=attachment_snapshot(attachment),
    )
    session.delete(attachment)
    session.flush()
    storage.remove_when_committed(
        session=session, path=storage.directory(settings) / attachment.storage_name
    )
