"""The competitions policy: who may see a competition, and who manages it.

Everyone (anonymous callers too) sees a published competition; an unpublished one exists only
for the organising team, and is a 404 for anyone else. Only the admin changes a competition or
moves its stages (the routes say so with ``AdminUser``).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, true

from kipp.models import Competition, User
from kipp.policy import is_admin, visible_or_404


def can_see(competition: Competition, user: User | None) -> bool:
    """Whether ``user`` (``None``: anonymous) may know ``competition`` exists."""
    return competition.published or is_admin(user)


def visible(user: User | None) -> ColumnElement[bool]:
    """The condition restricting competitions to those ``user`` sees."""
    return true() if is_admin(user) else Competition.published.is_(True)


def ensure_visible(competition: Competition, user: User | None) -> None:
    """404 unless ``user`` may see ``competition``."""
    visible_or_404(can_see(competition, user), f"Competition {competition.id} does not exist.")
