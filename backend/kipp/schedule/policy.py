"""The schedule policy: who sees which schedule, and how much of it.

The schedule is the organising team's draft until it is published: publishing is the moment
the teams and the panel are told their slots (by letter, with the .ics), so nobody else sees a
slot before being told of it — not even the slot's own team, whose draft time could still move
without a word. Once published (on a published competition) everyone sees the day's order:
titles, agencies, times, places. The online link is for the people presenting and judging: the
organising team, the panel judges, and a slot's own team (its members and their agency admin).
Anything else is 404 (public routes, so the same answer for the anonymous caller); writing is
the admin's (``AdminUser``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kipp.i18n import Msg
from kipp.models import Competition, Innovation, Schedule, User, innovation_team
from kipp.panel import policy as panel_policy
from kipp.policy import is_agency_admin, manages, visible_or_404


@dataclass(frozen=True)
class Reader:
    """What one caller sees of a schedule."""

    all_links: bool  # the organising team and the panel: every slot's online link
    own: frozenset[int]  # innovation ids of the caller's team (their own link, "own" flag)


def ensure_visible(
    *, competition: Competition, schedule: Schedule | None, user: User | None
) -> None:
    """404 unless the caller may see the competition's schedule."""
    visible = manages(user, competition.organisation_id) or (
        competition.published and schedule is not None and schedule.published_at is not None
    )
    visible_or_404(
        visible,
        Msg(
            id="Kompetisi {cid} belum memiliki jadwal yang diumumkan.",
            en="Competition {cid} has no published schedule.",
        ).format(cid=competition.id),
    )


def is_pending(*, competition: Competition, schedule: Schedule | None, user: User | None) -> bool:
    """A published competition whose schedule is not published yet, asked by someone other than
    the organising team: "not yet" is an answer (an empty schedule), not an absence — the public
    page asks before it knows, and a browser logs every 404 as an error."""
    return (
        not manages(user, competition.organisation_id)
        and competition.published
        and (schedule is None or schedule.published_at is None)
    )


def reader(*, session: Session, competition: Competition, user: User | None) -> Reader:
    """How much ``user`` sees (after :func:`ensure_visible`)."""
    if user is None:
        return Reader(all_links=False, own=frozenset())
    all_links = manages(user, competition.organisation_id) or panel_policy.on_panel(
        session=session, competition_id=competition.id, user=user
    )
    mine = select(Innovation.id).where(Innovation.competition_id == competition.id)
    on_team = Innovation.id.in_(
        select(innovation_team.c.innovation_id).where(innovation_team.c.user_id == user.id)
    )
    if is_agency_admin(user) and user.agency_id is not None:
        mine = mine.where(or_(on_team, Innovation.agency_id == user.agency_id))
    else:
        mine = mine.where(on_team)
    return Reader(all_links=all_links, own=frozenset(session.scalars(mine)))
