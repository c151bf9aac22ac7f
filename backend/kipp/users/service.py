"""User accounts. Who manages whom is ``kipp.users.policy``: admins everyone; an agency admin
the innovators of their agency."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp.audit import service as audit_service
from kipp.auth import service as auth_service
from kipp.errors import Conflict, NotFound, ValidationFailed
from kipp.i18n import Msg
from kipp.models import Agency, Role, User
from kipp.organisations import service as organisations
from kipp.policy import manages
from kipp.security import hash_password
from kipp.users import policy

# The hash of a random secret thrown away at start-up: an account holding it cannot log in
# (nobody knows the secret), yet a login attempt on it costs the same time as any other.
UNUSABLE_PASSWORD_HASH = hash_password(secrets.token_urlsafe(32))
# Roles that belong to an agency and must name it.
AGENCY_ROLES = frozenset({Role.AGENCY_ADMIN.value, Role.INNOVATOR.value})


def snapshot(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "agency_id": user.agency_id,
        "is_active": user.is_active,
    }


def normalise_email(email: str) -> str:
    return email.strip().lower()


def get(*, session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(
            Msg(id="Pengguna {id} tidak ada.", en="User {id} does not exist.").format(id=user_id)
        )
    return user


def get_by_email(*, session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def _email_taken(*, actor: User | None, email: str) -> Conflict:
    """The answer to an e-mail already in use.

    Only the admin learns that the address has an account. An agency admin gets one neutral
    answer, the same whether the account is in their agency or anywhere else, so they cannot
    probe which addresses have accounts outside their agency (they see their own innovators in
    the list anyway).
    """
    if policy.learns_account_exists(actor):
        return Conflict(
            Msg(id="{email} sudah memiliki akun.", en="{email} already has an account.").format(
                email=email
            ),
            errors=[
                {
                    "field": "email",
                    "code": "already_used",
                    "message": Msg(id="Sudah dipakai.", en="Already used."),
                }
            ],
        )
    return Conflict(
        Msg(
            id="Alamat e-mail ini tidak dapat dipakai untuk akun baru di sini; hubungi tim "
            "penyelenggara.",
            en="This e-mail address cannot be used for a new account here; ask the organising "
            "team.",
        ),
        errors=[
            {
                "field": "email",
                "code": "email_unavailable",
                "message": Msg(id="Tidak dapat dipakai.", en="Cannot be used."),
            }
        ],
    )


NO_SUCH_AGENCY = Msg(id="Perangkat daerah ini tidak ada.", en="No such agency.")


def agency_problem(role: str, agency_id: int | None) -> Msg | None:
    """Why ``role`` cannot be held with ``agency_id``, or None (pure; the importer shares it)."""
    if role in AGENCY_ROLES and agency_id is None:
        return Msg(id="Wajib diisi untuk peran {role}.", en="Required for role {role}.").format(
            role=role
        )
    return None


def changes_own_standing(
    *, actor: User, user: User, role: str | None, is_active: bool | None = None
) -> bool:
    """Whether ``actor`` would deactivate themselves or change their own role (refused)."""
    return user.id == actor.id and (is_active is False or (role is not None and role != user.role))


def set_password_hash(*, session: Session, user: User, password_hash: str) -> None:
    """Give ``user`` a new password: every session and script token made with the old one
    ends with it (the API's update and the importer both come through here)."""
    user.password_hash = password_hash
    auth_service.end_sessions(session=session, user=user)


def _check_role_agency(
    *, session: Session, actor: User, role: str, agency_id: int | None, organisation_id: int
) -> None:
    policy.ensure_may_hold(actor=actor, role=role, agency_id=agency_id)
    problem = agency_problem(role, agency_id)
    if problem is not None:
        raise ValidationFailed(
            Msg(
                id="Peran ini terikat pada perangkat daerah.", en="This role belongs to an agency."
            ),
            errors=[{"field": "agency_id", "code": "agency_required", "message": problem}],
        )
    agency = session.get(Agency, agency_id) if agency_id is not None else None
    # An agency of another organisation does not exist for this account.
    if agency_id is not None and (agency is None or agency.organisation_id != organisation_id):
        raise ValidationFailed(
            Msg(id="Perangkat daerah {id} tidak ada.", en="Agency {id} does not exist.").format(
                id=agency_id
            ),
            errors=[{"field": "agency_id", "code": "no_such_agency", "message": NO_SUCH_AGENCY}],
        )


def _organisation_for(
    *, session: Session, actor: User | None, requested: int | None, agency_id: int | None
) -> int:
    """Where a new account goes: the organisation named (the platform admin), else its agency's
    when the caller manages that agency's organisation, else the caller's own."""
    if requested is not None:
        return organisations.target(session, actor, requested)
    agency = session.get(Agency, agency_id) if agency_id is not None else None
    if agency is not None and (actor is None or manages(actor, agency.organisation_id)):
        return agency.organisation_id
    return organisations.of_actor(session, actor)


def list_users(
    *,
    session: Session,
    actor: User,
    role: str | None,
    agency_id: int | None,
    limit: int,
    offset: int,
) -> tuple[list[User], int]:
    query = select(User).where(policy.manageable(actor))
    if role is not None:
        query = query.where(User.role == role)
    if agency_id is not None:
        query = query.where(User.agency_id == agency_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    users = session.scalars(query.order_by(User.id).limit(limit).offset(offset))
    return list(users), total


def create(
    *,
    session: Session,
    actor: User | None,
    email: str,
    full_name: str,
    role: str,
    agency_id: int | None,
    password: str | None,
    password_hash: str | None = None,
    organisation_id: int | None = None,
) -> User:
    """A new account; without a password it cannot log in until its owner sets one from an
    invitation link (``kipp.users.invitations``). It belongs to ``organisation_id`` (only the
    platform admin and the system name one), else to its agency's or the caller's organisation."""
    organisation_id = _organisation_for(
        session=session, actor=actor, requested=organisation_id, agency_id=agency_id
    )
    if actor is not None:
        _check_role_agency(
            session=session,
            actor=actor,
            role=role,
            agency_id=agency_id,
            organisation_id=organisation_id,
        )
    email = normalise_email(email)
    if get_by_email(session=session, email=email) is not None:
        raise _email_taken(actor=actor, email=email)
    user = User(
        email=email,
        full_name=full_name,
        role=role,
        agency_id=agency_id,
        organisation_id=organisation_id,
        password_hash=password_hash
        or (hash_password(password) if password else UNUSABLE_PASSWORD_HASH),
        is_active=True,
    )
    session.add(user)
    session.flush()
    audit_service.record(
        session=session,
        actor=actor,
        action="user.create",
        entity_type="user",
        entity_id=user.id,
        after=snapshot(user),
    )
    return user


def update(
    *,
    session: Session,
    actor: User,
    user: User,
    changes: dict[str, Any],
) -> User:
    """Apply the given fields; deactivation revokes every token of the user at once."""
    before = snapshot(user)
    role = changes.get("role") or user.role
    agency_id = changes.get("agency_id", user.agency_id)
    _check_role_agency(
        session=session,
        actor=actor,
        role=str(role),
        agency_id=agency_id,
        organisation_id=user.organisation_id,
    )
    if changes_own_standing(
        actor=actor, user=user, role=str(role), is_active=changes.get("is_active")
    ):
        raise Conflict(
            Msg(
                id="Anda tidak dapat menonaktifkan akun sendiri atau mengubah peran sendiri.",
                en="You cannot deactivate yourself or change your own role.",
            )
        )
    if "email" in changes and changes["email"] is not None:
        email = normalise_email(changes["email"])
        other = get_by_email(session=session, email=email)
        if other is not None and other.id != user.id:
            raise _email_taken(actor=actor, email=email)
        user.email = email
    if changes.get("full_name") is not None:
        user.full_name = changes["full_name"]
    user.role = str(role)
    user.agency_id = agency_id
    if changes.get("password") is not None:
        set_password_hash(
            session=session, user=user, password_hash=hash_password(changes["password"])
        )
    if changes.get("is_active") is not None and bool(changes["is_active"]) != user.is_active:
        user.is_active = bool(changes["is_active"])
        if user.is_active:
            # Tokens issued before the deactivation must not come back to life.
            auth_service.bump_session_version(user)
        else:
            auth_service.end_sessions(session=session, user=user)
    session.flush()
    after = snapshot(user)
    password_changed = changes.get("password") is not None
    if after != before or password_changed:
        audit_service.record(
            session=session,
            actor=actor,
            action="user.update",
            entity_type="user",
            entity_id=user.id,
            before=before,
            after={**after, **({"password": "changed"} if password_changed else {})},
        )
    return user


def unlock(*, session: Session, actor: User, user: User) -> int:
    """Forget the failed logins counted against ``user``'s account from every address, so its
    owner can log in again at once; audited. Returns how many failures were forgotten."""
    forgotten = auth_service.forget_failures(session=session, user=user)
    audit_service.record(
        session=session,
        actor=actor,
        action="user.unlock",
        entity_type="user",
        entity_id=user.id,
        after={"failed_logins_forgotten": forgotten},
    )
    return forgotten
