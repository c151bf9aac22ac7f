"""The automatic fill of a presentation schedule, and the rules every schedule keeps (pure).

The admin gives the days, the working hours of a day, a presentation's length, and how often a
break comes; the presentations are laid out in the chosen order, day after day, a break after
every ``break_after_n`` presentations of a day. Times are wall-clock times in the competition's
time zone (``Asia/Makassar`` = WITA), turned into aware datetimes here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class FillPlan:
    days: Sequence[date]
    day_start: time
    day_end: time
    duration_minutes: int
    break_after_n: int = 0  # 0: no breaks
    break_minutes: int = 0
    timezone: str = "Asia/Makassar"


@dataclass(frozen=True, slots=True)
class PlannedSlot:
    innovation_id: int | None  # None: a break
    starts_at: datetime  # aware, in the plan's time zone
    duration_minutes: int

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class DoesNotFit(ValueError):
    """The presentations do not fit in the days given: ``placed`` of ``total`` would."""

    def __init__(self, placed: int, total: int) -> None:
        super().__init__(f"only {placed} of {total} presentations fit in the days given")
        self.placed = placed
        self.total = total


def fill(innovation_ids: Sequence[int], plan: FillPlan) -> list[PlannedSlot]:
    """Lay ``innovation_ids`` out in order over ``plan``'s days; :class:`DoesNotFit` when the
    days are too few. A break never starts or ends a day."""
    zone = ZoneInfo(plan.timezone)
    length = timedelta(minutes=plan.duration_minutes)
    pause = timedelta(minutes=plan.break_minutes)
    slots: list[PlannedSlot] = []
    queue = list(innovation_ids)
    for day in sorted(set(plan.days)):
        cursor = datetime.combine(day, plan.day_start, tzinfo=zone)
        day_end = datetime.combine(day, plan.day_end, tzinfo=zone)
        in_a_row = 0
        while queue and cursor + length <= day_end:
            slots.append(PlannedSlot(queue.pop(0), cursor, plan.duration_minutes))
            cursor += length
            in_a_row += 1
            wants_break = plan.break_after_n > 0 and in_a_row == plan.break_after_n and pause
            if wants_break and queue and cursor + pause + length <= day_end:
                slots.append(PlannedSlot(None, cursor, plan.break_minutes))
                cursor += pause
                in_a_row = 0
        if not queue:
            break
    if queue:
        raise DoesNotFit(len(innovation_ids) - len(queue), len(innovation_ids))
    return slots


@dataclass(frozen=True, slots=True)
class SlotTimes:
    """What the overlap rule needs of a slot: its index in the request, place, time."""

    index: int
    place_key: str
    starts_at: datetime
    duration_minutes: int


def place_key(place: str, online_url: str | None) -> str:
    """Where a slot happens, for the overlap rule: the place (case and spacing ignored), else
    the online link; empty when neither is given (such slots never clash)."""
    text = " ".join(place.split()).casefold()
    return text or (online_url or "").strip()


def overlaps(slots: Sequence[SlotTimes]) -> list[tuple[int, int]]:
    """Pairs ``(earlier index, later index)`` of slots in the same place whose times overlap
    (a slot ending exactly when the next starts does not overlap)."""
    by_place: dict[str, list[SlotTimes]] = {}
    for slot in slots:
        if slot.place_key:
            by_place.setdefault(slot.place_key, []).append(slot)
    clashes: list[tuple[int, int]] = []
    for group in by_place.values():
        group.sort(key=lambda s: (s.starts_at, s.index))
        latest_end: datetime | None = None
        latest: SlotTimes | None = None
        for slot in group:
            if latest is not None and latest_end is not None and slot.starts_at < latest_end:
                clashes.append((latest.index, slot.index))
            end = slot.starts_at + timedelta(minutes=slot.duration_minutes)
            if latest_end is None or end > latest_end:
                latest_end, latest = end, slot
    return sorted(clashes, key=lambda pair: pair[1])
