"""Competitions: settings, stage windows, the forward-only stage machine."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kipp import clock
from kipp.competitions import stages
from kipp.errors import InvalidTransition, NotFound, WindowClosed
from kipp.models import Competition, Role, Stage, User


def get(*, session: Session, competition_id: int, with_stages: bool = True) -> Competition:
    """A competition (with its stages loaded), or 404."""
    query = select(Competition).where(Competition.id == competition_id)
    if with_stages:
        query = query.options(selectinload(Competition.stages))
    competition = session.scalar(query)
    if competition is None:
        raise NotFound(f"Competition {competition_id} does not exist.")
    return competition


def get_visible(*, session: Session, competition_id: int, user: User | None) -> Competition:
    """A competition the caller may see: admins see all; everyone else only published ones."""
    competition = get(session=session, competition_id=competition_id)
    if not competition.published and (user is None or user.role != Role.ADMIN):
        raise NotFound(f"Competition {competition_id} does not exist.")
    return competition


def stage_window(competition: Competition, stage_key: str) -> Stage:
    for stage in competition.stages:
        if stage.key == stage_key:
            return stage
    raise NotFound(f"Stage {stage_key} does not exist.")


def require_stage_open(*, competition: Competition, stage_key: str) -> None:
    """Refuse (409) unless ``stage_key`` is the current stage and its window is open now.

    The message names the window in the competition's time zone, so the user knows why.
    """
    window = stage_window(competition, stage_key)
    if competition.current_stage != stage_key:
        raise InvalidTransition(
            f"This is allowed only in the {stage_key} stage; the competition is in the "
            f"{competition.current_stage} stage."
        )
    now = clock.now()
    if now < window.starts_at:
        opens = stages.local_time(window.starts_at, competition.timezone)
        raise WindowClosed(f"The {stage_key} window opens at {opens}.")
    if now >= window.ends_at:
        closed = stages.local_time(window.ends_at, competition.timezone)
        raise WindowClosed(f"The {stage_key} window closed at {closed} (deadline).")
