"""Users from a file, by e-mail (any case): ``email,full_name,role,agency_code,password``.

A new user's row is a ``UserIn`` and an existing user's a ``UserPatch``, exactly as the API
takes them; the rules between fields (an agency role names its agency, nobody changes their own
role) and the effect of a new password (every token of the user is revoked) come from
:mod:`kipp.users.service`, so an import cannot do what the API refuses nor skip what it does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, cast

from sqlalchemy import Table as SATable
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from kipp import clock
from kipp.config import get_settings
from kipp.i18n import Msg
from kipp.imports import common, parsing
from kipp.models import Agency, User
from kipp.organisations import service as organisations
from kipp.security import hash_password, verify_password
from kipp.users import invitations
from kipp.users import policy as users_policy
from kipp.users import service as users_service
from kipp.users.schemas import UserIn, UserPatch

REQUIRED: Final = ("email", "full_name", "role")
OPTIONAL: Final = ("agency_code", "password")
_USERS = cast(SATable, User.__table__)


@dataclass
class _UserRow:
    number: int
    email: str
    full_name: str
    role: str
    agency_id: int | None
    password: str  # blank: keep the stored one


def _agency_id(
    checker: common.Rows,
    number: int,
    values: dict[str, str],
    *,
    agencies: dict[str, int],
    user: User | None,
) -> int | None:
    """The row's agency: by code; the stored one when the file has no ``agency_code``."""
    if "agency_code" not in values:
        return user.agency_id if user is not None else None
    code = values["agency_code"]
    if not code:
        return None
    agency_id = agencies.get(code.upper())
    if agency_id is None:
        checker.error(number, "agency_code", "no_such_agency", common.no_agency_with(code))
    return agency_id


def _check(
    checker: common.Rows,
    number: int,
    values: dict[str, str],
    *,
    actor: User,
    user: User | None,
    agencies: dict[str, int],
) -> _UserRow | None:
    """The row as the API would take it, or None with its problems reported."""
    before = len(checker.errors)
    agency_id = _agency_id(checker, number, values, agencies=agencies, user=user)
    data: dict[str, Any] = {**common.given(values, (*REQUIRED, "password")), "agency_id": agency_id}
    if user is None:
        valid: UserIn | UserPatch | None = checker.validate(UserIn, number, data)
    else:
        checker.required(number, values, "full_name", "role")  # the file's columns
        valid = checker.validate(UserPatch, number, data)
    if valid is None or len(checker.errors) > before:
        return None
    assert valid.email is not None and valid.full_name is not None and valid.role is not None
    role = valid.role.value
    problem = users_service.agency_problem(role, agency_id)
    if problem is not None:
        checker.error(number, "agency_code", "agency_required", problem)
        return None
    if not users_policy.may_hold(actor=actor, role=role, agency_id=agency_id):
        checker.error(
            number,
            "role",
            "role_forbidden",
            Msg(
                id="Anda tidak dapat memberikan peran {role}",
                en="you cannot give the role {role}",
            ).format(role=role),
        )
        return None
    if user is not None and users_service.changes_own_standing(actor=actor, user=user, role=role):
        checker.error(
            number,
            "role",
            "own_role",
            Msg(id="Anda tidak dapat mengubah peran sendiri", en="you cannot change your own role"),
        )
        return None
    email = users_service.normalise_email(valid.email)
    return _UserRow(number, email, valid.full_name, role, agency_id, valid.password or "")


def import_users(
    *, session: Session, actor: User, body: bytes, fmt: str, dry_run: bool
) -> common.ImportReport:
    """Create or update users by e-mail. A new user without a password is sent an invitation
    to set their own; blank leaves
    an existing user's password alone, a new one ends their sessions and tokens. Each distinct
    password is hashed once (argon2 is deliberately slow)."""
    report = common.ImportReport(kind="users", dry_run=dry_run)
    try:
        table = common.read(body, fmt, required=REQUIRED, optional=OPTIONAL)
    except parsing.ParseError as exc:
        report.errors = exc.errors
        return report
    checker = common.Rows(columns={"agency_id": "agency_code"})
    organisation_id = organisations.of_actor(session, actor)
    agencies = {
        code.upper(): agency_id
        for agency_id, code in session.execute(
            select(Agency.id, Agency.code).where(Agency.organisation_id == organisation_id)
        )
    }
    existing = {u.email.lower(): u for u in session.scalars(select(User))}
    # Accounts the caller may not manage (another organisation's, a platform admin's, for an
    # organiser) are neither updated nor named: their row gets the neutral "cannot be used".
    foreign = {
        email for email, u in existing.items() if not users_policy.can_manage(actor=actor, user=u)
    }
    verified: dict[tuple[str, str], bool] = {}
    repeated = common.duplicates(
        ((n, users_service.normalise_email(v.get("email", ""))) for n, v in table.rows),
        column="email",
        describe=lambda key: Msg(id="e-mail {key}", en="e-mail {key}").format(key=key),
    )
    repeated_rows = {e.row for e in repeated}
    creates: list[_UserRow] = []
    updates: list[tuple[User, _UserRow]] = []
    for number, values in table.rows:
        email = users_service.normalise_email(values.get("email", ""))
        if email in foreign:
            checker.error(
                number,
                "email",
                "email_unavailable",
                Msg(
                    id="alamat e-mail ini tidak dapat dipakai di sini",
                    en="this e-mail address cannot be used here",
                ),
            )
            continue
        user = existing.get(email)
        row = _check(checker, number, values, actor=actor, user=user, agencies=agencies)
        if row is None or number in repeated_rows:
            continue
        if user is None:
            creates.append(row)
            continue
        if row.password and (user.password_hash, row.password) not in verified:
            verified[user.password_hash, row.password] = verify_password(
                row.password, user.password_hash
            )
        same_password = not row.password or verified[user.password_hash, row.password]
        if same_password:
            row.password = ""  # nothing to re-hash, no token to revoke
        stored = (user.full_name, user.role, user.agency_id)
        if same_password and stored == (row.full_name, row.role, row.agency_id):
            report.unchanged += 1
        else:
            updates.append((user, row))
    common.finish(report, checker, repeated)
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
            users_service.set_password_hash(
                session=session, user=user, password_hash=hashed(r.password)
            )
    session.flush()
    if creates:
        now = clock.now()
        rows = [
            {
                "email": r.email,
                "full_name": r.full_name,
                "role": r.role,
                "agency_id": r.agency_id,
                "organisation_id": organisation_id,
                "password_hash": hashed(r.password)
                if r.password
                else users_service.UNUSABLE_PASSWORD_HASH,
                "is_active": True,
                "created_at": now,
                "updated_at": now,
            }
            for r in creates
        ]
        session.execute(insert(_USERS), rows)  # one prepared INSERT, executemany
        # Who got no password sets their own from an invitation.
        invited = [r.email for r in creates if not r.password]
        settings = get_settings()
        for user in session.scalars(select(User).where(User.email.in_(invited))):
            invitations.invite(session=session, settings=settings, actor=actor, user=user)
    common.audit(session=session, actor=actor, report=report)
    return report
