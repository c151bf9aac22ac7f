"""The competitions policy: who may see a competition, and who manages it.

Everyone (anonymous callers too) sees a published competition, of every organisation; an
unpublished one exists only for its organisation's organising team (and the platform admin), and
is a 404 for anyone else. Only they change a competition or move its stages (the routes say so
with ``AdminUser``, which also answers 404 for another organisation's competition).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, true

from kipp.models import Competition, User
from kipp.policy import is_organiser, is_platform_admin, manages, visible_or_404


def can_see(competition: Competition, user: User | None) -> bool:
    """Whether ``user`` (``None``: anonymous) may know ``competition`` exists."""
    return competition.published or manages(user, competition.organisation_id)


def visible(user: User | None) -> ColumnElement[bool]:
    """The condition restricting competitions to those ``user`` sees."""
    if is_platform_admin(user):
        return true()
    if is_organiser(user) and user is not None:
        return or_(
            Competition.published.is_(True), Competition.organisation_id == user.organisation_id
        )
    return Competition.published.is_(True)


def ensure_visible(competition: Competition, user: User | None) -> None:
    """404 unless ``user`` may see ``competition``."""
    visible_or_404(can_see(competition, user), f"Competition {competition.id} does not exist.")
