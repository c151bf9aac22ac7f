"""Who an event concerns: the active accounts to tell, as recipients in their language.

Queries only (no event logic): the domains pick the audience of each event from here.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from kipp.models import Innovation, PanelMember, Role, User, innovation_team
from kipp.notify.letters import Recipient
from kipp.notify.service import recipient_of


def _recipients(session: Session, *conditions: ColumnElement[bool]) -> list[Recipient]:
    users = session.scalars(
        select(User).where(User.is_active.is_(True), *conditions).order_by(User.id)
    )
    return [recipient_of(user) for user in users]


def admins(*, session: Session, organisation_id: int) -> list[Recipient]:
    """The organising team of an organisation: its organisers and the platform admins."""
    return _recipients(
        session,
        or_(
            User.role == Role.ADMIN,
            (User.role == Role.ORGANISER) & (User.organisation_id == organisation_id),
        ),
    )


def users(*, session: Session, user_ids: Collection[int]) -> list[Recipient]:
    """These accounts (the inactive left out)."""
    if not user_ids:
        return []
    return _recipients(session, User.id.in_(list(user_ids)))


def participants(*, session: Session, innovation_ids: Collection[int]) -> list[Recipient]:
    """The teams of these innovations and their agencies' admins, each person once."""
    if not innovation_ids:
        return []
    ids = list(innovation_ids)
    team = select(innovation_team.c.user_id).where(innovation_team.c.innovation_id.in_(ids))
    agencies = select(Innovation.agency_id).where(Innovation.id.in_(ids))
    return _recipients(
        session,
        or_(
            User.id.in_(team),
            (User.role == Role.AGENCY_ADMIN) & User.agency_id.in_(agencies),
        ),
    )


def panel_judges(*, session: Session, competition_id: int) -> list[Recipient]:
    """The judges on a competition's panel."""
    members = select(PanelMember.user_id).where(PanelMember.competition_id == competition_id)
    return _recipients(session, User.id.in_(members))
