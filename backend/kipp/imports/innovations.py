"""A competition's innovations from a file, by ``external_ref``.

A row is an ``InnovationCreate``, as ``POST /competitions/{id}/innovations`` takes it (with the
agency by code and the team by e-mail); its sections must be the template's, its team members
must be allowed on a team (:mod:`kipp.innovations.drafts`), and every status change — a draft
the file says is submitted, new or existing — goes through :mod:`kipp.innovations.lifecycle`,
in one bulk move with one audit event. New innovations go in as one executemany INSERT; the
existing ones, their teams, the agencies and the users are loaded in one query each.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final, cast

from sqlalchemy import Table as SATable
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from kipp import clock
from kipp.i18n import Msg
from kipp.imports import common, parsing
from kipp.innovations import drafts, lifecycle, readiness
from kipp.innovations.schemas import InnovationCreate
from kipp.innovations.submission import local_today
from kipp.models import Agency, Competition, Innovation, InnovationStatus, User, innovation_team
from kipp.users import service as users_service

REQUIRED: Final = ("external_ref", "title", "agency_code")
OPTIONAL: Final = (
    "group",
    "category",
    "origin",
    "started_on",
    "summary",
    "video_url",
    "team_emails",
    "status",
)
SECTION_PREFIX: Final = "section."
# The row's columns that are fields of InnovationCreate.
_FIELDS: Final = ("title", "group", "category", "origin", "started_on", "summary", "video_url")
DRAFT: Final = InnovationStatus.DRAFT.value
SUBMITTED: Final = InnovationStatus.SUBMITTED.value
# Statuses an import may give an innovation: it never decides what the stages decide.
IMPORT_STATUSES: Final = (DRAFT, SUBMITTED)
_INNOVATIONS = cast(SATable, Innovation.__table__)
_HINTS: Final = {"video_url": Msg(id="bukan tautan http(s)", en="not an http(s) link")}

# (id, role, agency_id, is_active) of a user, by e-mail.
Members = dict[str, tuple[int, str, int | None, bool]]


@dataclass
class _InnovationRow:
    number: int
    external_ref: str
    fields: dict[str, Any]  # only what the row gives
    team: list[int] | None  # None: the row leaves the team alone
    status: str | None  # None: leave as it is (draft for a new innovation)


def _date(text: str) -> date | None:
    """An ISO date, or None (the model reports what is wrong with it)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _team(
    checker: common.Rows, number: int, cell: str, *, users: Members, agency_id: int | None
) -> list[int]:
    team: list[int] = []
    for raw in cell.replace(",", ";").split(";"):
        if not raw.strip():
            continue
        email = users_service.normalise_email(raw)
        member = users.get(email)
        if member is None:
            checker.error(
                number,
                "team_emails",
                "no_such_user",
                Msg(
                    id="tidak ada pengguna dengan e-mail {email}",
                    en="no user has the e-mail {email}",
                ).format(email=email),
            )
            continue
        user_id, role, member_agency_id, is_active = member
        problem = drafts.team_member_problem(
            role=role, member_agency_id=member_agency_id, is_active=is_active, agency_id=agency_id
        )
        if problem is not None:
            checker.error(
                number,
                "team_emails",
                "team_member",
                Msg(id="{email} {problem}", en="{email} {problem}").format(
                    email=email, problem=problem
                ),
            )
        elif user_id not in team:
            team.append(user_id)
    return team


def _check(
    checker: common.Rows,
    number: int,
    values: dict[str, str],
    *,
    agencies: dict[str, int],
    users: Members,
    today: date,
) -> _InnovationRow | None:
    """The row's fields, as the model stores them; None when the row has errors."""
    before = len(checker.errors)
    checker.required(number, values, "external_ref", "agency_code")
    code = values.get("agency_code", "")
    agency_id = agencies.get(code.upper()) if code else None
    if code and agency_id is None:
        checker.error(number, "agency_code", "no_such_agency", common.no_agency_with(code))
    sections = {
        column.removeprefix(SECTION_PREFIX): text
        for column, text in values.items()
        if column.startswith(SECTION_PREFIX)
    }
    data: dict[str, Any] = {**common.given(values, _FIELDS), "agency_id": agency_id}
    if values.get("external_ref"):
        data["external_ref"] = values["external_ref"]
    if sections:
        data["sections"] = sections
    draft = checker.validate(InnovationCreate, number, data)
    # Stricter than the API, where readiness catches it at submission: a file is often the
    # submission itself. (Checked even when another cell of the row is wrong.)
    started_on = draft.started_on if draft is not None else _date(values.get("started_on", ""))
    if started_on is not None and started_on > today:
        checker.error(
            number,
            "started_on",
            "in_future",
            Msg(id="{day} masih di masa mendatang", en="{day} is in the future").format(
                day=started_on
            ),
        )
    team = None
    if "team_emails" in values:
        team = _team(checker, number, values["team_emails"], users=users, agency_id=agency_id)
    status = values.get("status") or None
    if status is not None and status not in IMPORT_STATUSES:
        checker.error(
            number,
            "status",
            "literal_error",
            Msg(
                id="{status!r} bukan salah satu dari {statuses}",
                en="{status!r} is not one of {statuses}",
            ).format(status=status, statuses=", ".join(IMPORT_STATUSES)),
        )
    if draft is None or len(checker.errors) > before:
        return None
    # A column the file has sets its field (a blank cell to the API's default); the others
    # leave an existing innovation's fields alone.
    fields: dict[str, Any] = {name: getattr(draft, name) for name in _FIELDS if name in values}
    fields["title"], fields["agency_id"] = draft.title, agency_id
    if sections:
        fields["sections"] = draft.sections  # merged with the stored sections by the caller
    return _InnovationRow(number, draft.external_ref or "", fields, team, status)


def _changes(
    innovation: Innovation, row: _InnovationRow, team: set[int]
) -> tuple[dict[str, Any], str | None] | Msg:
    """What the row changes on an existing innovation, or why it may not change it."""
    changes: dict[str, Any] = {}
    for name, value in row.fields.items():
        if name == "sections":
            merged = {**innovation.sections, **value}
            value = {k: v for k, v in merged.items() if v}
        if getattr(innovation, name) != value:
            changes[name] = value
    if row.team is not None and set(row.team) != team:
        changes["team"] = row.team
    status = innovation.status
    new_status: str | None = None
    # A file saying "submitted" agrees with anything the stages made of a submission.
    if row.status is not None and row.status != status:
        agrees = row.status == SUBMITTED and lifecycle.can_move(SUBMITTED, status)
        if not agrees:
            new_status = row.status
    if not changes and new_status is None:
        return changes, None
    if status not in IMPORT_STATUSES:
        return Msg(
            id="{ref} berstatus {status}; impor hanya mengubah usulan draf atau yang sudah "
            "diajukan",
            en="{ref} is {status}; an import changes only draft or submitted ones",
        ).format(ref=row.external_ref, status=status)
    if new_status is not None and not lifecycle.can_move(status, new_status):
        return Msg(
            id="{ref} sudah berstatus {status}; impor tidak dapat menjadikannya draf lagi",
            en="{ref} is already {status}; an import cannot make it a draft again",
        ).format(ref=row.external_ref, status=status)
    return changes, new_status


def _new_innovation(
    row: _InnovationRow, *, competition: Competition, actor: User, now: datetime
) -> dict[str, Any]:
    """Every column of a new draft (an executemany needs the same keys in every row)."""
    sections = {k: v for k, v in row.fields.get("sections", {}).items() if v}
    return {
        "competition_id": competition.id,
        "agency_id": row.fields["agency_id"],
        "title": row.fields["title"],
        "group": row.fields.get("group", "umum"),
        "category": row.fields.get("category", ""),
        "origin": row.fields.get("origin", "other"),
        "started_on": row.fields.get("started_on"),
        "replicated_from": None,
        "replicated_from_id": None,
        "summary": row.fields.get("summary", ""),
        "sections": sections,
        "video_url": row.fields.get("video_url"),
        "links": [],
        "external_ref": row.external_ref,
        "status": DRAFT,
        "version": 1,
        "created_by_id": actor.id,
        "submitted_at": None,
        "created_at": now,
        "updated_at": now,
    }


def import_innovations(
    *,
    session: Session,
    actor: User,
    competition: Competition,
    body: bytes,
    fmt: str,
    dry_run: bool,
) -> common.ImportReport:
    """A competition's innovations by ``external_ref``; new ones are drafts unless the
    ``status`` column says ``submitted``. Not bound by the submission window (an admin tool),
    but it never touches an innovation the administrative stage has already decided on."""
    report = common.ImportReport(kind="innovations", dry_run=dry_run)
    section_keys = sorted(readiness.section_keys(competition.proposal_template))
    try:
        table = common.read(
            body,
            fmt,
            required=REQUIRED,
            optional=[*OPTIONAL, *(SECTION_PREFIX + key for key in section_keys)],
        )
    except parsing.ParseError as exc:
        report.errors = exc.errors
        return report
    checker = common.Rows(columns={"agency_id": "agency_code"}, hints=_HINTS)
    today = local_today(competition)  # "in the future" as the readiness check judges it
    agencies = {
        code.upper(): agency_id
        for agency_id, code in session.execute(
            select(Agency.id, Agency.code).where(
                Agency.organisation_id == competition.organisation_id
            )
        )
    }
    users: Members = {
        email.lower(): (user_id, role, agency_id, is_active)
        for user_id, email, role, agency_id, is_active in session.execute(
            select(User.id, User.email, User.role, User.agency_id, User.is_active)
        )
    }
    existing = {
        i.external_ref: i
        for i in session.scalars(
            select(Innovation).where(
                Innovation.competition_id == competition.id, Innovation.external_ref.is_not(None)
            )
        )
    }
    teams: dict[int, set[int]] = defaultdict(set)
    for innovation_id, user_id in session.execute(
        select(innovation_team.c.innovation_id, innovation_team.c.user_id)
        .join(Innovation, Innovation.id == innovation_team.c.innovation_id)
        .where(Innovation.competition_id == competition.id)
    ):
        teams[innovation_id].add(user_id)
    repeated = common.duplicates(
        ((n, v.get("external_ref", "")) for n, v in table.rows),
        column="external_ref",
        describe=lambda key: Msg(id="external_ref {key}", en="external_ref {key}").format(key=key),
    )
    repeated_rows = {e.row for e in repeated}
    creates: list[_InnovationRow] = []
    updates: list[tuple[Innovation, _InnovationRow, dict[str, Any], str | None]] = []
    for number, values in table.rows:
        row = _check(checker, number, values, agencies=agencies, users=users, today=today)
        if row is None or number in repeated_rows:
            continue
        innovation = existing.get(row.external_ref)
        if innovation is None:
            creates.append(row)
            continue
        outcome = _changes(innovation, row, teams[innovation.id])
        if isinstance(outcome, Msg):
            checker.error(number, "status", "status_locked", outcome)
        elif outcome == ({}, None):
            report.unchanged += 1
        else:
            updates.append((innovation, row, *outcome))
    common.finish(report, checker, repeated)
    report.created_keys = [r.external_ref for r in creates]
    report.updated_keys = [r.external_ref for _i, r, _c, _s in updates]
    if not report.written:
        return report
    _write(session=session, actor=actor, competition=competition, creates=creates, updates=updates)
    common.audit(session=session, actor=actor, report=report, competition_id=competition.id)
    return report


def _write(
    *,
    session: Session,
    actor: User,
    competition: Competition,
    creates: list[_InnovationRow],
    updates: list[tuple[Innovation, _InnovationRow, dict[str, Any], str | None]],
) -> None:
    """Write a checked file: fields, then new drafts, then teams, then the status moves."""
    now = clock.now()
    team_rows: list[dict[str, int]] = []
    replaced_teams: list[int] = []
    # New ones start as drafts and move with the rest: a status only changes through lifecycle.
    submits: dict[int, str] = {}
    for innovation, _row, changes, new_status in updates:
        team = changes.pop("team", None)
        for name, value in changes.items():
            setattr(innovation, name, value)
        if team is not None:
            replaced_teams.append(innovation.id)
            team_rows += [{"innovation_id": innovation.id, "user_id": uid} for uid in team]
        if new_status is not None:
            submits[innovation.id] = new_status  # the move bumps the version
        else:
            innovation.version += 1
    session.flush()
    if creates:
        session.execute(
            insert(_INNOVATIONS),
            [_new_innovation(r, competition=competition, actor=actor, now=now) for r in creates],
        )
        new_ids = dict(
            session.execute(
                select(Innovation.external_ref, Innovation.id).where(
                    Innovation.competition_id == competition.id
                )
            ).all()
        )
        for row in creates:
            innovation_id = new_ids[row.external_ref]
            team_rows += [{"innovation_id": innovation_id, "user_id": u} for u in row.team or []]
            if row.status == SUBMITTED:
                submits[innovation_id] = SUBMITTED
    if replaced_teams:
        session.execute(
            delete(innovation_team).where(innovation_team.c.innovation_id.in_(replaced_teams))
        )
    if team_rows:
        session.execute(insert(innovation_team), team_rows)
    lifecycle.move_many(
        session=session,
        actor=actor,
        competition_id=competition.id,
        targets=submits,
        action="innovation.submit",
        reason="imported from a file",
        values={"submitted_at": now},
    )
    for innovation, *_rest in updates:
        session.expire(innovation)  # the bulk move went around the identity map
