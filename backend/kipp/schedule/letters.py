"""What a set or moved presentation slot tells the team and the panel (pure texts).

Times are written in the competition's time zone with its abbreviation (WITA), the day in
words in each language, so an e-mail read on a phone needs no conversion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kipp.i18n import Msg
from kipp.notify.letters import Attachment, Letter

DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def when(starts_at: datetime, duration_minutes: int, timezone: str) -> Msg:
    """``Senin, 15 November 2021, 09.00–09.30 WITA`` / ``Monday, 15 November 2021, …``."""
    start = starts_at.astimezone(ZoneInfo(timezone))
    end = start + timedelta(minutes=duration_minutes)
    zone = start.strftime("%Z")
    day = start.weekday()
    month = start.month - 1
    return Msg(
        id=f"{DAYS_ID[day]}, {start.day} {MONTHS_ID[month]} {start.year}, "
        f"{start:%H.%M}–{end:%H.%M} {zone}",
        en=f"{DAYS_EN[day]}, {start.day} {MONTHS_EN[month]} {start.year}, "
        f"{start:%H:%M}–{end:%H:%M} {zone}",
    )


@dataclass(frozen=True, slots=True)
class SlotNews:
    """One slot as a letter tells it."""

    competition_name: str
    title: str
    agency_code: str
    starts_at: datetime
    duration_minutes: int
    timezone: str
    place: str
    online_url: str | None
    moved: bool
    ics: str
    ics_filename: str


SUBJECT_SET = Msg(id="Jadwal presentasi: {title}", en="Presentation slot: {title}")
SUBJECT_MOVED = Msg(id="Jadwal presentasi diubah: {title}", en="Presentation moved: {title}")
BODY_SET = Msg(
    id="Presentasi (pemaparan) inovasi “{title}” ({agency}) pada {competition} dijadwalkan:",
    en="The presentation (pemaparan) of “{title}” ({agency}) in {competition} is scheduled:",
)
BODY_MOVED = Msg(
    id="Jadwal presentasi inovasi “{title}” ({agency}) pada {competition} diubah. Jadwal baru:",
    en="The presentation of “{title}” ({agency}) in {competition} has moved. The new slot:",
)
PLACE = Msg(id="Tempat: {place}", en="Place: {place}")
ONLINE = Msg(id="Tautan daring: {url}", en="Online link: {url}")
CALENDAR = Msg(
    id="Berkas kalender (.ics) terlampir untuk dimasukkan ke kalender Anda.",
    en="A calendar file (.ics) is attached for your calendar.",
)


def slot_letter(news: SlotNews, *, link: str) -> Letter:
    """The letter of one set or moved slot, with its .ics attached."""
    params = {
        "title": news.title,
        "agency": news.agency_code,
        "competition": news.competition_name,
    }
    lines = [
        (BODY_MOVED if news.moved else BODY_SET).format(**params),
        when(news.starts_at, news.duration_minutes, news.timezone),
    ]
    if news.place:
        lines.append(PLACE.format(place=news.place))
    if news.online_url:
        lines.append(ONLINE.format(url=news.online_url))
    lines.append(CALENDAR)
    body = Msg(id="\n\n".join(line.id for line in lines), en="\n\n".join(line.en for line in lines))
    return Letter(
        kind="slot_moved" if news.moved else "slot_set",
        subject=(SUBJECT_MOVED if news.moved else SUBJECT_SET).format(**params),
        body=body,
        link=link,
        attachments=(Attachment(news.ics_filename, "text/calendar", news.ics),),
    )
