"""Which organisation a new object belongs to."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp.models import Organisation, User


def default_id(session: Session) -> int:
    """The default organisation (the lowest id; migration 0009 creates it): where the platform
    admin, the CLI and the demo act when no organisation is named."""
    found = session.scalar(select(func.min(Organisation.id)))
    if found is None:  # only a database emptied by hand: migrations always leave one
        raise LookupError("no organisation exists: run `kipp db upgrade`")
    return int(found)


def of_actor(session: Session, actor: User | None) -> int:
    """The organisation a new object made by ``actor`` belongs to: theirs (the platform admin
    belongs to the default one), or the default one for the system itself."""
    return actor.organisation_id if actor is not None else default_id(session)
