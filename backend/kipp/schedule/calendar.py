"""Presentation slots as iCalendar (RFC 5545) text: one VEVENT per slot (pure).

Each event has a UID that never changes for the slot and a SEQUENCE that grows whenever the
slot moves, so a calendar that imported it replaces the old time instead of adding a second
event. Times carry the competition's time zone (DTSTART;TZID=Asia/Makassar) with its VTIMEZONE.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

PRODID = "-//KIPP//Jadwal Presentasi//ID"


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    uid: str
    sequence: int
    starts_at: datetime  # aware
    duration_minutes: int
    summary: str
    description: str = ""
    location: str = ""
    url: str | None = None


def slot_uid(*, slot_id: int, competition_id: int, domain: str) -> str:
    """A UID fixed for the slot's whole life."""
    return f"kipp-slot-{slot_id}-competition-{competition_id}@{domain}"


def calendar_text(
    events: Sequence[CalendarEvent], *, timezone: str, name: str, stamp: datetime
) -> str:
    """A VCALENDAR of ``events`` with times in ``timezone``; ``stamp`` is the DTSTAMP."""
    zone = ZoneInfo(timezone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("sequence", item.sequence)
        event.add("dtstamp", stamp.astimezone(UTC))
        start = item.starts_at.astimezone(zone)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=item.duration_minutes))
        event.add("summary", item.summary)
        if item.description:
            event.add("description", item.description)
        if item.location:
            event.add("location", item.location)
        if item.url:
            event.add("url", item.url)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    text: bytes = calendar.to_ical()
    return text.decode("utf-8")
