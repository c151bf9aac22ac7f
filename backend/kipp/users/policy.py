"""The users and agencies policy: who manages which accounts.

The platform admin manages every account and every agency; an organiser those of its own
organisation, except the platform admin's account (agencies: ``AdminUser`` on the routes). An
agency admin sees and manages only the innovators of their own agency: any other account is a
404 to them (they may not learn it exists), and giving an account another role or agency is a
403. Only the platform admin learns that an e-mail address already has an account somewhere (an
address is unique on the whole deployment, and may belong to another organisation).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, true
from sqlalchemy.orm import Session

from kipp.i18n import Msg
from kipp.models import Role, User
from kipp.policy import (
    allowed_or_403,
    is_agency_admin,
    is_organiser,
    is_platform_admin,
    visible_or_404,
)

MANAGER_ROLES = (Role.ADMIN, Role.ORGANISER, Role.AGENCY_ADMIN)
"""The roles that manage accounts at all (any other: 403 on every account route)."""


def can_manage(*, actor: User, user: User) -> bool:
    """Whether ``actor`` may see and change ``user``'s account."""
    if is_platform_admin(actor):
        return True
    if is_organiser(actor):
        return user.organisation_id == actor.organisation_id and user.role != Role.ADMIN
    return (
        is_agency_admin(actor) and user.role == Role.INNOVATOR and user.agency_id == actor.agency_id
    )


def manageable(actor: User) -> ColumnElement[bool]:
    """The condition restricting accounts to those ``actor`` manages."""
    if is_platform_admin(actor):
        return true()
    if is_organiser(actor):
        return and_(User.organisation_id == actor.organisation_id, User.role != Role.ADMIN)
    if is_agency_admin(actor):
        return and_(User.role == Role.INNOVATOR, User.agency_id == actor.agency_id)
    return User.id.is_(None)  # nobody: the routes refuse other roles before asking


def get_manageable(*, session: Session, actor: User, user_id: int) -> User:
    """The account ``user_id`` when ``actor`` manages it; 404 otherwise (missing or not theirs
    alike)."""
    user = session.get(User, user_id)
    visible_or_404(
        user is not None and can_manage(actor=actor, user=user), f"User {user_id} does not exist."
    )
    assert user is not None
    return user


def may_hold(*, actor: User, role: str, agency_id: int | None) -> bool:
    """Whether ``actor`` may give an account ``role`` in ``agency_id``."""
    if is_agency_admin(actor):
        return role == Role.INNOVATOR and agency_id == actor.agency_id
    if is_organiser(actor):
        return role != Role.ADMIN  # only the platform admin makes platform admins
    return True


def ensure_may_hold(*, actor: User, role: str, agency_id: int | None) -> None:
    """403 unless ``actor`` may give an account ``role`` in ``agency_id``."""
    allowed_or_403(
        may_hold(actor=actor, role=role, agency_id=agency_id),
        Msg(
            id="Admin perangkat daerah hanya mengelola inovator perangkat daerahnya; penyelenggara "
            "tidak dapat membuat admin platform.",
            en="An agency admin manages only innovators of their own agency; an organiser cannot "
            "make platform admins.",
        ),
    )


def learns_account_exists(actor: User | None) -> bool:
    """Whether ``actor`` is told an e-mail address already has an account (the platform admin,
    and the system itself: the command line and the importer)."""
    return actor is None or is_platform_admin(actor)
