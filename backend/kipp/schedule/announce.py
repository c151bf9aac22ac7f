"""Telling the team and the panel about a set or moved slot of a published schedule.

What each slot's people were last told is kept on the slot (``announced``: time, length,
place, link); a slot is announced again only when that changes, so saving an unchanged
schedule notifies nobody. Recipients: the innovation's team members and the panel judges who
score it (conflicted judges are not involved)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC

from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp.models import Competition, ScheduleSlot, User, innovation_team
from kipp.notify import service as notify_service
from kipp.panel import assignments as assignments_service
from kipp.schedule import ics
from kipp.schedule.letters import SlotNews, slot_letter


def announced_key(slot: ScheduleSlot) -> str:
    return "|".join(
        [
            str(slot.innovation_id),
            slot.starts_at.astimezone(UTC).isoformat(),
            str(slot.duration_minutes),
            slot.place,
            slot.online_url or "",
        ]
    )


def _team_members(*, session: Session, innovation_ids: Sequence[int]) -> dict[int, list[User]]:
    rows = session.execute(
        select(innovation_team.c.innovation_id, User)
        .join(User, User.id == innovation_team.c.user_id)
        .where(innovation_team.c.innovation_id.in_(innovation_ids), User.is_active.is_(True))
        .order_by(User.id)
    )
    members: dict[int, list[User]] = {}
    for innovation_id, user in rows:
        members.setdefault(innovation_id, []).append(user)
    return members


def announce_changes(
    *,
    session: Session,
    competition: Competition,
    slots: Sequence[ScheduleSlot],
    known_titles: Mapping[int, ics.Titled],
) -> int:
    """Send a letter for each presentation slot whose time or place its people have not been
    told yet; returns how many slots were announced. Only flushes."""
    changed = [s for s in slots if s.innovation_id is not None and s.announced != announced_key(s)]
    if not changed:
        return 0
    innovation_ids = [s.innovation_id for s in changed if s.innovation_id is not None]
    teams = _team_members(session=session, innovation_ids=innovation_ids)
    judge_ids: dict[int, list[int]] = {}
    for pair in assignments_service.assignments(session=session, competition_id=competition.id):
        judge_ids.setdefault(pair.innovation_id, []).append(pair.judge_id)
    wanted = sorted({j for ids in judge_ids.values() for j in ids})
    judges = {
        u.id: u
        for u in session.scalars(select(User).where(User.id.in_(wanted), User.is_active.is_(True)))
    }
    for slot in changed:
        assert slot.innovation_id is not None
        entry = known_titles[slot.innovation_id]
        news = SlotNews(
            competition_name=competition.name,
            title=entry.title,
            agency_code=entry.agency_code,
            starts_at=slot.starts_at,
            duration_minutes=slot.duration_minutes,
            timezone=competition.timezone,
            place=slot.place,
            online_url=slot.online_url,
            moved=slot.announced is not None,
            ics=ics.slot_calendar(
                competition=competition, slot=slot, known=known_titles, with_link=True
            ),
            ics_filename=f"presentasi-{slot.id}.ics",
        )
        notify_service.send(
            session,
            letter=slot_letter(news, link=f"/innovator/proposals/{slot.innovation_id}"),
            recipients=[notify_service.recipient_of(u) for u in teams.get(slot.innovation_id, [])],
        )
        panel = [judges[j] for j in judge_ids.get(slot.innovation_id, []) if j in judges]
        notify_service.send(
            session,
            letter=slot_letter(news, link=f"/judge/innovations/{slot.innovation_id}"),
            recipients=[notify_service.recipient_of(u) for u in panel],
        )
        slot.announced = announced_key(slot)
    session.flush()
    return len(changed)
