"""Who may do what, in one vocabulary: the roles, and the one rule for refusing.

Each domain has a ``policy`` module (``kipp.innovations.access`` for proposals) answering "may
this user read / act on this object?"; routers and services both ask it. They are built from the
role predicates here, and refuse through :func:`enforce`, where the rule is written once:

    **404 before 403.** Someone who may not even know an object exists is told it does not
    exist (404), so ids don't leak; someone who may see it but not do this is told so (403).
"""

from __future__ import annotations

from dataclasses import dataclass

from kipp.errors import Forbidden, NotFound
from kipp.i18n import Text
from kipp.models import Role, User

# --------------------------------------------------------------------------- roles


def has_role(user: User | None, *roles: Role) -> bool:
    """Whether ``user`` (``None`` is the anonymous caller) holds one of ``roles``."""
    return user is not None and user.role in {role.value for role in roles}


def is_platform_admin(user: User | None) -> bool:
    """The platform admin (``admin``): sees and manages everything, in every organisation."""
    return has_role(user, Role.ADMIN)


def is_organiser(user: User | None) -> bool:
    """An organisation's organising team (``organiser``): the admin's powers, in its own
    organisation only."""
    return has_role(user, Role.ORGANISER)


def is_organising_team(user: User | None) -> bool:
    """The platform admin or an organiser: the roles that manage competitions at all (whether
    this object is theirs is :func:`manages`'s question)."""
    return has_role(user, Role.ADMIN, Role.ORGANISER)


def manages(user: User | None, organisation_id: int | None) -> bool:
    """Whether ``user`` manages what belongs to ``organisation_id``: the platform admin always,
    an organiser only its own organisation's."""
    if is_platform_admin(user):
        return True
    return is_organiser(user) and user is not None and user.organisation_id == organisation_id


def same_organisation(user: User | None, organisation_id: int | None) -> bool:
    """Whether ``user`` belongs to ``organisation_id`` (the platform admin: to every one)."""
    if is_platform_admin(user):
        return True
    return user is not None and user.organisation_id == organisation_id


def is_judge(user: User | None) -> bool:
    """A judge (whether on a competition's panel is the panel policy's question)."""
    return has_role(user, Role.JUDGE)


def is_agency_admin(user: User | None) -> bool:
    """An agency's administrator (manages its innovators, proposes for it)."""
    return has_role(user, Role.AGENCY_ADMIN)


def is_innovator(user: User | None) -> bool:
    """An innovator (proposes for their own agency)."""
    return has_role(user, Role.INNOVATOR)


def is_organiser_or_judge(user: User | None) -> bool:
    """The organising team or a judge: the roles that ever see scores and undisclosed
    decisions (whether of this competition: :func:`manages`, or the panel's membership)."""
    return has_role(user, Role.ADMIN, Role.ORGANISER, Role.JUDGE)


# --------------------------------------------------------------------------- the rule


@dataclass(frozen=True)
class Verdict:
    """A policy's answer about one object: may the caller know it exists, may they do this."""

    visible: bool
    allowed: bool

    def __post_init__(self) -> None:
        # Acting on an object one may not see would make the 404 a lie.
        assert self.visible or not self.allowed, "allowed implies visible"


ALLOWED = Verdict(visible=True, allowed=True)
HIDDEN = Verdict(visible=False, allowed=False)


def visible_or_404(visible: bool, not_found: Text) -> None:
    """Refuse with 404 what the caller may not know exists."""
    if not visible:
        raise NotFound(not_found)


def allowed_or_403(allowed: bool, forbidden: Text) -> None:
    """Refuse with 403 what the caller sees but may not do."""
    if not allowed:
        raise Forbidden(forbidden)


def enforce(verdict: Verdict, *, not_found: Text, forbidden: Text) -> None:
    """Refuse unless ``verdict`` allows: 404 before 403 (see the module docstring)."""
    visible_or_404(verdict.visible, not_found)
    allowed_or_403(verdict.allowed, forbidden)
