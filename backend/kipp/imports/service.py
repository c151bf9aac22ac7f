"""Imports: agencies, users and a competition's innovations from CSV or JSON.

Every import is idempotent by its natural key (agency ``code``; user ``email``, any case;
innovation ``external_ref`` within the competition) and all-or-nothing: the whole file is read
and checked first, and only a file without a single error is written — in bulk, with the
existing keys loaded in one query per table, never a SELECT per row. A column left out of the
file (or a key left out of a JSON object) leaves that field of an existing record as it is.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Table as SATable
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from kipp import clock
from kipp.agencies.schemas import AGENCY_CODE_PATTERN
from kipp.audit import service as audit_service
from kipp.competitions.defaults import GROUPS, ORIGINS
from kipp.imports import parsing
from kipp.imports.parsing import RowError, Table
from kipp.models import (
    Agency,
    Competition,
    Innovation,
    InnovationStatus,
    Role,
    User,
    innovation_team,
)
from kipp.security import hash_password, verify_password
from kipp.users.schemas import PASSWORD_MIN_LENGTH
from kipp.users.service import AGENCY_ROLES, normalise_email

AGENCY_COLUMNS = ("code", "name")
USER_REQUIRED = ("email", "full_name", "role")
USER_OPTIONAL = ("agency_code", "password")
INNOVATION_REQUIRED = ("external_ref", "title", "agency_code")
INNOVATION_OPTIONAL = (
    "group",
    "category",
    "origin",
    "started_on",
    "summary",
    "video_url",
    "team_emails",
    "status",
)
SECTION_PREFIX = "section."
# Statuses an import may give an innovation: it never decides what the stages decide.
IMPORT_STATUSES = (InnovationStatus.DRAFT.value, InnovationStatus.SUBMITTED.value)
# What follows submission; a file saying "submitted" agrees with any of these.
_AFTER_SUBMISSION = frozenset(
    {
        InnovationStatus.ELIGIBLE,
        InnovationStatus.INELIGIBLE,
        InnovationStatus.NOMINATED,
        InnovationStatus.NOT_NOMINATED,
        InnovationStatus.WINNER,
    }
)
TEAM_ROLES = frozenset({Role.INNOVATOR.value, Role.AGENCY_ADMIN.value})
_AGENCY_CODE = re.compile(AGENCY_CODE_PATTERN)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Core tables: new rows go in as one executemany INSERT (no per-row RETURNING round trip).
_AGENCIES = cast(SATable, Agency.__table__)
_USERS = cast(SATable, User.__table__)
_INNOVATIONS = cast(SATable, Innovation.__table__)


@dataclass
class ImportReport:
    """What an import did (or, on a dry run or with errors, would do)."""

    kind: str
    dry_run: bool
    created_keys: list[str] = field(default_factory=list)
    updated_keys: list[str] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def created(self) -> int:
        return len(self.created_keys)

    @property
    def updated(self) -> int:
        return len(self.updated_keys)

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.errors


class _Rows:
    """Collects a file's row errors while the rows are checked."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    def required(self, row: int, values: dict[str, str], column: str, max_length: int) -> str:
        value = values.get(column, "")
        if not value:
            self.error(row, column, "required")
        elif len(value) > max_length:
            self.error(row, column, f"at most {max_length} characters ({len(value)} given)")
        return value

    def optional(self, row: int, values: dict[str, str], column: str, max_length: int) -> str:
        value = values.get(column, "")
        if len(value) > max_length:
            self.error(row, column, f"at most {max_length} characters ({len(value)} given)")
        return value

    def choice(self, row: int, values: dict[str, str], column: str, allowed: Iterable[str]) -> str:
        value = values.get(column, "")
        options = list(allowed)
        if value and value not in options:
            self.error(row, column, f"{value!r} is not one of {', '.join(options)}")
        return value


def _read(body: bytes, fmt: str, *, required: Iterable[str], optional: Iterable[str]) -> Table:
    """Parse and check the columns; a ParseError carries every problem found."""
    table = parsing.parse(body, fmt=fmt)
    errors = parsing.column_errors(table.columns, required=list(required), optional=list(optional))
    if errors:
        raise parsing.ParseError(errors)
    if not table.rows:
        raise parsing.ParseError([parsing.RowError(0, "body", "the file has no data rows")])
    return table


def _duplicates(
    rows: Iterable[tuple[int, str]], *, column: str, describe: Callable[[str], str]
) -> list[RowError]:
    """An error on every row whose key another row of the file also has, naming the others."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for number, key in rows:
        if key:
            by_key[key].append(number)
    errors: list[RowError] = []
    for key, numbers in by_key.items():
        if len(numbers) < 2:
            continue
        for number in numbers:
            others = ", ".join(str(n) for n in numbers if n != number)
            errors.append(
                RowError(number, column, f"duplicate {describe(key)}: also on row {others}")
            )
    return errors


def _finish(report: ImportReport, checker: _Rows, duplicates: list[RowError]) -> None:
    report.errors = sorted([*checker.errors, *duplicates], key=lambda e: (e.row, e.field))


def _audit(
    *,
    session: Session,
    actor: User,
    report: ImportReport,
    competition_id: int | None = None,
) -> None:
    audit_service.record(
        session=session,
        actor=actor,
        action=f"import.{report.kind}",
        entity_type="import",
        entity_id=None,
        competition_id=competition_id,
        after={
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "created_keys": report.created_keys,
            "updated_keys": report.updated_keys,
        },
    )


# --------------------------------------------------------------------------- agencies


def import_agencies(
    *, session: Session, actor: User, body: bytes, fmt: str, dry_run: bool
) -> ImportReport:
    """Agencies by ``code`` (any case): ``code,name``."""
    report = ImportReport(kind="agencies", dry_run=dry_run)
    try:
        table = _read(body, fmt, required=AGENCY_COLUMNS, optional=())
    except parsing.ParseError as exc:
        report.errors = exc.errors
        return report
    checker = _Rows()
    existing = {a.code.upper(): a for a in session.scalars(select(Agency))}
    duplicates = _duplicates(
        ((n, v.get("code", "").upper()) for n, v in table.rows),
        column="code",
        describe=lambda key: f"agency code {key}",
    )
    repeated = {e.row for e in duplicates}
    creates: list[dict[str, Any]] = []
    updates: list[tuple[Agency, str]] = []
    for number, values in table.rows:
        code = checker.required(number, values, "code", 32)
        name = checker.required(number, values, "name", 200)
        if code and len(code) <= 32 and not _AGENCY_CODE.match(code):
            checker.error(
                number, "code", "letters, digits, '.', '_' or '-', starting with a letter or digit"
            )
            continue
        if not code or not name or len(name) > 200 or number in repeated:
            continue
        agency = existing.get(code.upper())
        if agency is None:
            creates.append({"code": code, "name": name})
        elif agency.name == name:
            report.unchanged += 1
        else:
            updates.append((agency, name))  # the code is the key: its spelling stays
    _finish(report, checker, duplicates)
    report.created_keys = [a["code"] for a in creates]
    report.updated_keys = [agency.code for agency, _name in updates]
    if not report.written:
        return report
    for agency, name in updates:
        agency.name = name
    session.flush()
    if creates:
        now = clock.now()
        rows = [{**a, "created_at": now, "updated_at": now} for a in creates]
        session.execute(insert(_AGENCIES), rows)  # one prepared INSERT, executemany
    _audit(session=session, actor=actor, report=report)
    return report


# --------------------------------------------------------------------------- users


@dataclass
class _UserRow:
    number: int
    email: str
    full_name: str
    role: str
    agency_id: int | None
    password: str


def _email(checker: _Rows, number: int, value: str, column: str = "email") -> str:
    try:
        return normalise_email(validate_email(value, check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        checker.error(number, column, f"{value!r} is not a valid e-mail address: {exc}")
        return ""


def import_users(
    *, session: Session, actor: User, body: bytes, fmt: str, dry_run: bool
) -> ImportReport:
    """Users by e-mail (any case): ``email,full_name,role,agency_code,password``.

    A password is required for a new user; blank leaves an existing user's password alone.
    Each distinct password is hashed once (argon2 is deliberately slow).
    """
    report = ImportReport(kind="users", dry_run=dry_run)
    try:
        table = _read(body, fmt, required=USER_REQUIRED, optional=USER_OPTIONAL)
    except parsing.ParseError as exc:
        report.errors = exc.errors
        return report
    checker = _Rows()
    agencies = {
        code.upper(): agency_id
        for agency_id, code in session.execute(select(Agency.id, Agency.code))
    }
    existing = {u.email.lower(): u for u in session.scalars(select(User))}
    verified: dict[tuple[str, str], bool] = {}
    duplicates = _duplicates(
        ((n, normalise_email(v.get("email", ""))) for n, v in table.rows),
        column="email",
        describe=lambda key: f"e-mail {key}",
    )
    repeated = {e.row for e in duplicates}
    creates: list[_UserRow] = []
    updates: list[tuple[User, _UserRow]] = []
    for number, values in table.rows:
        raw_email = checker.required(number, values, "email", 254)
        email = _email(checker, number, raw_email) if raw_email else ""
        full_name = checker.required(number, values, "full_name", 200)
        role = checker.required(number, values, "role", 20)
        if role and role not in {r.value for r in Role}:
            checker.error(number, "role", f"{role!r} is not one of {', '.join(r for r in Role)}")
            role = ""
        user = existing.get(email) if email else None
        agency_id = user.agency_id if user is not None and "agency_code" not in values else None
        code = values.get("agency_code", "")
        if code:
            agency_id = agencies.get(code.upper())
            if agency_id is None:
                checker.error(number, "agency_code", f"no agency has the code {code!r}")
        elif role in AGENCY_ROLES and agency_id is None:
            checker.error(number, "agency_code", f"required for role {role}")
        password = values.get("password", "")
        if password and not PASSWORD_MIN_LENGTH <= len(password) <= 200:
            checker.error(number, "password", f"{PASSWORD_MIN_LENGTH} to 200 characters")
        if user is None and not password and email:
            checker.error(number, "password", "required for a new user")
        if user is not None and user.id == actor.id and role and role != user.role:
            checker.error(number, "role", "you cannot change your own role")
        if not (email and full_name and role) or len(full_name) > 200 or number in repeated:
            continue
        row = _UserRow(number, email, full_name, role, agency_id, password)
        if user is None:
            creates.append(row)
            continue
        if password and (user.password_hash, password) not in verified:
            verified[user.password_hash, password] = verify_password(password, user.password_hash)
        same_password = not password or verified[user.password_hash, password]
        if (user.full_name, user.role, user.agency_id) == (full_name, role, agency_id) and (
            same_password
        ):
            report.unchanged += 1
        else:
            if same_password:
                row.password = ""  # nothing to re-hash
            updates.append((user, row))
    _finish(report, checker, duplicates)
    report.created_keys = [r.email for r in creates]
    report.updated_keys = [r.email for _u, r in updates]
    if not report.written:
        return report
    hashes: dict[str, str] = {}

    def hashed(password: str) -> str:
        if password not in hashes:
            hashes[password] = hash_password(password)
        return hashes[password]

    for user, r in updates:
        user.full_name, user.role, user.agency_id = r.full_name, r.role, r.agency_id
        if r.password:
            user.password_hash = hashed(r.password)
    session.flush()
    if creates:
        now = clock.now()
        rows = [
            {
                "email": r.email,
                "full_name": r.full_name,
                "role": r.role,
                "agency_id": r.agency_id,
                "password_hash": hashed(r.password),
                "is_active": True,
                "created_at": now,
                "updated_at": now,
            }
            for r in creates
        ]
        session.execute(insert(_USERS), rows)  # one prepared INSERT, executemany
    _audit(session=session, actor=actor, report=report)
    return report


# --------------------------------------------------------------------------- innovations


@dataclass
class _InnovationRow:
    number: int
    external_ref: str
    fields: dict[str, Any]  # only what the row gives
    team: list[int] | None  # None: the row leaves the team alone
    status: str | None  # None: leave as it is (draft for a new innovation)


def _section_keys(competition: Competition) -> list[str]:
    sections = competition.proposal_template.get("sections", [])
    return [str(s["key"]) for s in sections if isinstance(s, dict) and "key" in s]


def _started_on(checker: _Rows, number: int, value: str, *, today: date) -> date | None:
    if not value:
        return None
    try:
        if not _ISO_DATE.match(value):
            raise ValueError
        started = date.fromisoformat(value)
    except ValueError:
        checker.error(number, "started_on", f"{value!r} is not a date: use YYYY-MM-DD")
        return None
    if started > today:
        checker.error(number, "started_on", f"{value} is in the future")
    return started


def _innovation_row(
    checker: _Rows,
    number: int,
    values: dict[str, str],
    *,
    agencies: dict[str, int],
    users: dict[str, tuple[int, str, int | None, bool]],
    today: date,
) -> _InnovationRow | None:
    """The row's fields, as the model stores them; None when the row has errors."""
    before = len(checker.errors)
    ref = checker.required(number, values, "external_ref", 100)
    fields: dict[str, Any] = {"title": checker.required(number, values, "title", 300)}
    code = checker.required(number, values, "agency_code", 32)
    agency_id = agencies.get(code.upper()) if code else None
    if code and agency_id is None:
        checker.error(number, "agency_code", f"no agency has the code {code!r}")
    fields["agency_id"] = agency_id
    if "group" in values:
        fields["group"] = checker.choice(number, values, "group", GROUPS) or "umum"
    if "origin" in values:
        fields["origin"] = checker.choice(number, values, "origin", ORIGINS) or "other"
    if "category" in values:
        fields["category"] = checker.optional(number, values, "category", 200)
    if "summary" in values:
        fields["summary"] = values["summary"]
    if "started_on" in values:
        fields["started_on"] = _started_on(checker, number, values["started_on"], today=today)
    if "video_url" in values:
        url = checker.optional(number, values, "video_url", 500)
        if url and not re.match(r"^https?://[^\s/]+\S*$", url):
            checker.error(number, "video_url", f"{url!r} is not an http(s) link")
        fields["video_url"] = url or None
    sections = {
        column.removeprefix(SECTION_PREFIX): text
        for column, text in values.items()
        if column.startswith(SECTION_PREFIX)
    }
    if sections:
        fields["sections"] = sections  # merged with the stored sections by the caller
    team: list[int] | None = None
    if "team_emails" in values:
        team = []
        for raw in values["team_emails"].replace(",", ";").split(";"):
            if not raw.strip():
                continue
            email = normalise_email(raw)
            member = users.get(email)
            if member is None:
                checker.error(number, "team_emails", f"no user has the e-mail {email}")
            elif not member[3]:
                checker.error(number, "team_emails", f"{email} is deactivated")
            elif member[1] not in TEAM_ROLES:
                checker.error(number, "team_emails", f"{email} is a {member[1]}, not an innovator")
            elif agency_id is not None and member[2] != agency_id:
                checker.error(
                    number, "team_emails", f"{email} belongs to another agency than {code}"
                )
            elif member[0] not in team:
                team.append(member[0])
    status = checker.choice(number, values, "status", IMPORT_STATUSES) or None
    if len(checker.errors) > before:
        return None
    return _InnovationRow(number, ref, fields, team, status)


def _innovation_changes(
    innovation: Innovation, row: _InnovationRow, team: set[int]
) -> tuple[dict[str, Any], str | None] | str:
    """What the row changes on an existing innovation, or why it may not change it."""
    changes: dict[str, Any] = {}
    for name, value in row.fields.items():
        if name == "sections":
            merged = {**innovation.sections, **value}
            value = {k: v for k, v in merged.items() if v}
        if getattr(innovation, name) != value:
            changes[name] = value
    team_changed = row.team is not None and set(row.team) != team
    if team_changed:
        changes["team"] = row.team
    status = innovation.status
    new_status: str | None = None
    if row.status is not None and row.status != status:
        agrees = row.status == InnovationStatus.SUBMITTED and status in _AFTER_SUBMISSION
        if not agrees:
            new_status = row.status
    if not changes and new_status is None:
        return changes, None
    if status not in IMPORT_STATUSES:
        return f"{row.external_ref} is {status}; an import changes only draft or submitted ones"
    if new_status == InnovationStatus.DRAFT:
        return f"{row.external_ref} is already submitted; an import cannot make it a draft again"
    return changes, new_status


def _new_innovation(
    row: _InnovationRow, *, competition: Competition, actor: User, now: datetime
) -> dict[str, Any]:
    """Every column of a new innovation (an executemany needs the same keys in every row)."""
    status = row.status or InnovationStatus.DRAFT.value
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
        "status": status,
        "version": 1,
        "created_by_id": actor.id,
        "submitted_at": now if status == InnovationStatus.SUBMITTED else None,
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
) -> ImportReport:
    """A competition's innovations by ``external_ref``; new ones are drafts unless the
    ``status`` column says ``submitted``. Not bound by the submission window (an admin tool),
    but it never touches an innovation the administrative stage has already decided on."""
    report = ImportReport(kind="innovations", dry_run=dry_run)
    section_columns = [SECTION_PREFIX + key for key in _section_keys(competition)]
    try:
        table = _read(
            body,
            fmt,
            required=INNOVATION_REQUIRED,
            optional=[*INNOVATION_OPTIONAL, *section_columns],
        )
    except parsing.ParseError as exc:
        report.errors = exc.errors
        return report
    checker = _Rows()
    # "In the future" where the competition runs, as the readiness check judges it.
    today = clock.now().astimezone(ZoneInfo(competition.timezone)).date()
    agencies = {
        code.upper(): agency_id
        for agency_id, code in session.execute(select(Agency.id, Agency.code))
    }
    users = {
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
    duplicates = _duplicates(
        ((n, v.get("external_ref", "")) for n, v in table.rows),
        column="external_ref",
        describe=lambda key: f"external_ref {key}",
    )
    repeated = {e.row for e in duplicates}
    creates: list[_InnovationRow] = []
    updates: list[tuple[Innovation, _InnovationRow, dict[str, Any], str | None]] = []
    for number, values in table.rows:
        row = _innovation_row(checker, number, values, agencies=agencies, users=users, today=today)
        if row is None or number in repeated:
            continue
        innovation = existing.get(row.external_ref)
        if innovation is None:
            creates.append(row)
            continue
        outcome = _innovation_changes(innovation, row, teams[innovation.id])
        if isinstance(outcome, str):
            checker.error(number, "status", outcome)
        elif outcome == ({}, None):
            report.unchanged += 1
        else:
            updates.append((innovation, row, *outcome))
    _finish(report, checker, duplicates)
    report.created_keys = [r.external_ref for r in creates]
    report.updated_keys = [r.external_ref for _i, r, _c, _s in updates]
    if not report.written:
        return report
    now = clock.now()
    team_rows: list[dict[str, int]] = []
    replaced_teams: list[int] = []
    for innovation, _row, changes, new_status in updates:
        team = changes.pop("team", None)
        for name, value in changes.items():
            setattr(innovation, name, value)
        if team is not None:
            replaced_teams.append(innovation.id)
            team_rows += [{"innovation_id": innovation.id, "user_id": uid} for uid in team]
        if new_status is not None:
            innovation.status = new_status
            innovation.submitted_at = now
        innovation.version += 1
    session.flush()
    if creates:
        session.execute(
            insert(_INNOVATIONS),
            [
                _new_innovation(row, competition=competition, actor=actor, now=now)
                for row in creates
            ],
        )
        new_ids = dict(
            session.execute(
                select(Innovation.external_ref, Innovation.id).where(
                    Innovation.competition_id == competition.id
                )
            ).all()
        )
        for row in creates:
            team_rows += [
                {"innovation_id": new_ids[row.external_ref], "user_id": uid}
                for uid in row.team or []
            ]
    if replaced_teams:
        session.execute(
            delete(innovation_team).where(innovation_team.c.innovation_id.in_(replaced_teams))
        )
    if team_rows:
        session.execute(insert(innovation_team), team_rows)
    _audit(session=session, actor=actor, report=report, competition_id=competition.id)
    return report
