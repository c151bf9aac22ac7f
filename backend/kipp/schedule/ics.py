"""A competition's slots as calendars: the whole published schedule, or one slot."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol
from urllib.parse import urlsplit

from kipp import clock
from kipp.config import get_settings
from kipp.models import Competition, ScheduleSlot
from kipp.schedule.calendar import CalendarEvent, calendar_text, slot_uid


class Titled(Protocol):
    @property
    def title(self) -> str: ...

    @property
    def agency_code(self) -> str: ...


def domain() -> str:
    """The UID's domain: the host the app is served from."""
    return urlsplit(get_settings().public_url).hostname or "kipp.invalid"


def event_of(
    slot: ScheduleSlot,
    *,
    competition: Competition,
    known: Mapping[int, Titled],
    with_link: bool,
) -> CalendarEvent:
    entry = known.get(slot.innovation_id) if slot.innovation_id is not None else None
    summary = f"{entry.title} ({entry.agency_code})" if entry else (slot.note or "Istirahat")
    return CalendarEvent(
        uid=slot_uid(slot_id=slot.id, competition_id=competition.id, domain=domain()),
        sequence=slot.sequence,
        starts_at=slot.starts_at,
        duration_minutes=slot.duration_minutes,
        summary=summary,
        description=f"{competition.name}" + (f"\n{slot.note}" if slot.note and entry else ""),
        location=slot.place,
        url=slot.online_url if with_link else None,
    )


def schedule_calendar(
    *,
    competition: Competition,
    slots: Sequence[ScheduleSlot],
    known: Mapping[int, Titled],
    with_link: bool,
) -> str:
    """Every presentation of the schedule (breaks are left out of a calendar)."""
    events = [
        event_of(s, competition=competition, known=known, with_link=with_link)
        for s in slots
        if s.innovation_id is not None
    ]
    return calendar_text(
        events,
        timezone=competition.timezone,
        name=f"Jadwal presentasi {competition.name}",
        stamp=clock.now(),
    )


def slot_calendar(
    *,
    competition: Competition,
    slot: ScheduleSlot,
    known: Mapping[int, Titled],
    with_link: bool,
) -> str:
    """One slot's calendar (an e-mail's attachment, the per-slot download)."""
    return calendar_text(
        [event_of(slot, competition=competition, known=known, with_link=with_link)],
        timezone=competition.timezone,
        name=f"Jadwal presentasi {competition.name}",
        stamp=clock.now(),
    )
