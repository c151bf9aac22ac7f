"""The automatic fill and the overlap rule of a presentation schedule (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from kipp.schedule import layout
from kipp.schedule.layout import FillPlan, SlotTimes

WITA = "Asia/Makassar"


def plan(**overrides: object) -> FillPlan:
    fields: dict[str, object] = {
        "days": [date(2021, 11, 15)],
        "day_start": time(8, 0),
        "day_end": time(12, 0),
        "duration_minutes": 30,
        "timezone": WITA,
    }
    fields.update(overrides)
    return FillPlan(**fields)  # type: ignore[arg-type]


def test_presentations_follow_each_other_from_the_day_start_in_the_competition_zone() -> None:
    slots = layout.fill([11, 12, 13], plan())
    assert [s.innovation_id for s in slots] == [11, 12, 13]
    assert slots[0].starts_at.astimezone(UTC) == datetime(2021, 11, 15, 0, 0, tzinfo=UTC)
    assert [s.starts_at.strftime("%H:%M %Z") for s in slots] == [
        "08:00 WITA",
        "08:30 WITA",
        "09:00 WITA",
    ]


def test_a_break_after_every_n_presentations_but_never_at_the_end() -> None:
    slots = layout.fill([1, 2, 3, 4], plan(break_after_n=2, break_minutes=15))
    assert [s.innovation_id for s in slots] == [1, 2, None, 3, 4]
    assert slots[2].duration_minutes == 15
    assert slots[3].starts_at - slots[2].starts_at == timedelta(minutes=15)


def test_the_next_day_takes_what_does_not_fit_and_the_breaks_restart() -> None:
    days = [date(2021, 11, 16), date(2021, 11, 15)]  # any order: laid out by date
    slots = layout.fill(
        list(range(1, 8)),
        plan(days=days, day_end=time(11, 0), break_after_n=3, break_minutes=30),
    )
    first_day = [s for s in slots if s.starts_at.date() == date(2021, 11, 15)]
    second_day = [s for s in slots if s.starts_at.date() == date(2021, 11, 16)]
    assert [s.innovation_id for s in first_day] == [1, 2, 3, None, 4, 5]
    assert [s.innovation_id for s in second_day] == [6, 7]
    assert all(s.ends_at.time() <= time(11, 0) for s in slots)


def test_a_break_that_would_push_the_next_presentation_off_the_day_is_left_out() -> None:
    slots = layout.fill([1, 2, 3, 4], plan(day_end=time(10, 0), break_after_n=3, break_minutes=30))
    assert [s.innovation_id for s in slots] == [1, 2, 3, 4]


def test_too_few_days_say_how_many_fit() -> None:
    with pytest.raises(layout.DoesNotFit) as caught:
        layout.fill(list(range(10)), plan(day_end=time(9, 0)))
    assert (caught.value.placed, caught.value.total) == (2, 10)


def test_nothing_to_place_is_an_empty_schedule() -> None:
    assert layout.fill([], plan()) == []


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2021, 11, 15, hour, minute, tzinfo=UTC)


def test_overlaps_only_count_in_the_same_place() -> None:
    slots = [
        SlotTimes(0, layout.place_key("Aula  Bupati", None), at(1), 30),
        SlotTimes(1, layout.place_key("aula bupati", None), at(1, 15), 30),
        SlotTimes(2, layout.place_key("Ruang Rapat", None), at(1, 15), 30),
        SlotTimes(3, layout.place_key("Aula Bupati", None), at(1, 45), 30),  # touches: fine
        SlotTimes(4, "", at(1), 30),  # no place: never clashes
        SlotTimes(5, "", at(1), 30),
    ]
    assert layout.overlaps(slots) == [(0, 1)]


def test_a_long_slot_clashes_with_every_slot_inside_it() -> None:
    slots = [
        SlotTimes(0, "https://meet.example/x", at(1), 120),
        SlotTimes(1, "https://meet.example/x", at(1, 30), 30),
        SlotTimes(2, "https://meet.example/x", at(2), 30),
    ]
    assert layout.overlaps(slots) == [(0, 1), (0, 2)]
