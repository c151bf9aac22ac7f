"""The stage machine and stage windows: pure, no database."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import get_args

import pytest

from kipp.competitions import defaults, stages
from kipp.competitions.schemas import AggregationMethod, Group, Level
from kipp.i18n import Msg

KEYS = defaults.STAGE_KEYS
T0 = datetime(2021, 10, 11, 0, 0, tzinfo=timezone(timedelta(hours=8)))
WEEK = timedelta(days=7)


@dataclass
class Window:
    key: str
    starts_at: datetime
    ends_at: datetime


def windows(**changes: tuple[datetime, datetime]) -> list[Window]:
    """The five stages, a week each, back to back from T0; ``changes`` replaces some."""
    out = []
    for i, key in enumerate(KEYS):
        starts_at, ends_at = changes.get(key, (T0 + WEEK * i, T0 + WEEK * (i + 1)))
        out.append(Window(key, starts_at, ends_at))
    return out


# --------------------------------------------------------------------------- transitions


def test_the_table_lists_every_stage_once_in_order() -> None:
    assert tuple(stages.ALLOWED) == KEYS
    assert [stages.next_stage(k) for k in KEYS] == [*KEYS[1:], None]


@pytest.mark.parametrize("current,target", list(itertools.pairwise(KEYS)))
def test_every_forward_step_is_allowed(current: str, target: str) -> None:
    assert stages.can_move(current, target)


@pytest.mark.parametrize(
    "current,target",
    [
        (a, b)
        for a, b in itertools.product(KEYS, KEYS)
        if KEYS.index(b) != KEYS.index(a) + 1  # backwards, the same stage, or skipping ahead
    ],
)
def test_every_other_move_is_refused(current: str, target: str) -> None:
    assert not stages.can_move(current, target)


@pytest.mark.parametrize("current,target", [("draft", "submission"), ("submission", "judging")])
def test_unknown_stages_are_refused(current: str, target: str) -> None:
    assert not stages.can_move(current, target)


def test_next_stage_of_an_unknown_stage_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown stage"):
        stages.next_stage("judging")


def test_only_leaving_presentation_may_be_forced() -> None:
    assert {"presentation"} == stages.FORCEABLE


def test_reached_and_state() -> None:
    assert stages.reached("presentation", "administrative")
    assert stages.reached("presentation", "presentation")
    assert not stages.reached("presentation", "nomination")
    assert [stages.stage_state("presentation", k) for k in KEYS] == [
        "past",
        "past",
        "current",
        "upcoming",
        "upcoming",
    ]


def test_schema_choices_match_the_defaults() -> None:
    assert set(get_args(Level)) == set(defaults.LEVELS)
    assert set(get_args(AggregationMethod)) == set(defaults.AGGREGATION_METHODS)
    assert set(get_args(Group)) == set(defaults.GROUPS)


# --------------------------------------------------------------------------- windows


def test_back_to_back_windows_are_valid() -> None:
    assert stages.window_problems(windows()) == []


def test_gaps_between_windows_are_allowed() -> None:
    later = (T0 + WEEK * 2 + timedelta(days=2), T0 + WEEK * 3)
    assert stages.window_problems(windows(presentation=later)) == []


def test_a_missing_stage_is_reported() -> None:
    assert stages.window_problems(windows()[:4]) == [
        (
            "stages",
            "stages_incomplete",
            Msg(
                id="Harus memuat kelima tahapan secara berurutan: " + ", ".join(KEYS) + ".",
                en="Must list the five stages in order: " + ", ".join(KEYS) + ".",
            ),
        )
    ]


def test_stages_out_of_order_are_reported() -> None:
    listed = windows()
    listed[0], listed[1] = listed[1], listed[0]
    assert [f for f, _c, _m in stages.window_problems(listed)] == ["stages"]


def test_an_unknown_or_repeated_stage_is_reported() -> None:
    listed = windows()
    listed[4] = Window("judging", listed[4].starts_at, listed[4].ends_at)
    assert [f for f, _c, _m in stages.window_problems(listed)] == ["stages"]
    listed[4] = Window("nomination", listed[4].starts_at, listed[4].ends_at)
    assert [f for f, _c, _m in stages.window_problems(listed)] == ["stages"]


def test_a_window_must_end_after_it_starts() -> None:
    empty = (T0 + WEEK, T0 + WEEK)
    assert stages.window_problems(windows(administrative=empty)) == [
        (
            "stages.1.ends_at",
            "window_ends_before_start",
            Msg(id="Harus sesudah waktu mulai.", en="Must be after the start."),
        )
    ]


def test_overlapping_windows_are_reported() -> None:
    overlapping = (T0 + WEEK - timedelta(hours=1), T0 + WEEK * 2)
    assert stages.window_problems(windows(administrative=overlapping)) == [
        (
            "stages.1.starts_at",
            "window_overlap",
            Msg(
                id="Bertumpang tindih dengan jadwal tahapan Pengajuan proposal.",
                en="Overlaps the Proposal submission stage's window.",
            ),
        )
    ]


def test_every_problem_is_reported_at_once() -> None:
    problems = stages.window_problems(
        windows(
            administrative=(T0 + WEEK - timedelta(hours=1), T0 + WEEK * 2),
            announcement=(T0 + WEEK * 5, T0 + WEEK * 4),
        )
    )
    assert [field for field, _c, _m in problems] == ["stages.1.starts_at", "stages.4.ends_at"]


def test_naive_times_are_reported() -> None:
    naive = (datetime(2021, 10, 18), datetime(2021, 10, 25))
    assert stages.window_problems(windows(administrative=naive)) == [
        (
            "stages.1",
            "timezone_aware",
            Msg(id="Waktu harus menyertakan zona waktu.", en="Times need an offset."),
        )
    ]


def test_windows_are_compared_as_moments_whatever_their_offset() -> None:
    # 16:00 UTC is midnight WITA: the administrative window starts exactly as submission ends.
    end_utc = (T0 + WEEK).astimezone(UTC)
    listed = windows(administrative=(end_utc, T0 + WEEK * 2))
    assert stages.window_problems(listed) == []
    listed = windows(administrative=(end_utc - timedelta(seconds=1), T0 + WEEK * 2))
    assert [f for f, _c, _m in stages.window_problems(listed)] == ["stages.1.starts_at"]


def test_windows_are_half_open() -> None:
    window = Window("submission", T0, T0 + WEEK)
    assert not stages.window_open(window, T0 - timedelta(microseconds=1))
    assert stages.window_open(window, T0)
    assert stages.window_open(window, T0 + WEEK - timedelta(microseconds=1))
    assert not stages.window_open(window, T0 + WEEK)


# --------------------------------------------------------------------------- local time


@pytest.mark.parametrize(
    "zone,expected",
    [
        ("Asia/Makassar", "2021-10-31 23:59 WITA"),
        ("Asia/Jakarta", "2021-10-31 22:59 WIB"),
        ("Asia/Jayapura", "2021-11-01 00:59 WIT"),
    ],
)
def test_local_time_in_indonesian_zones(zone: str, expected: str) -> None:
    deadline = datetime(2021, 10, 31, 15, 59, tzinfo=UTC)
    assert stages.local_time(deadline, zone) == expected


# --------------------------------------------------------------------------- windows follow


def test_a_window_not_yet_open_opens_at_the_move_and_the_left_one_ends_there() -> None:
    five = windows()
    now = T0 + WEEK // 2  # halfway through submission: early
    plan = stages.plan_window(leaving=five[0], entering=five[1], now=now)
    assert (plan.action, plan.starts_at, plan.ends_at) == ("opens_now", now, five[1].ends_at)
    assert plan.leaving_ends_at == now
    after = stages.planned_windows(five, plan)
    assert stages.window_problems(after) == []
    assert (after[0].ends_at, after[1].starts_at) == (now, now)


def test_an_open_window_is_left_as_it_is() -> None:
    five = windows()
    now = T0 + WEEK + WEEK // 2
    plan = stages.plan_window(leaving=five[0], entering=five[1], now=now)
    assert (plan.action, plan.starts_at, plan.ends_at) == (
        "unchanged",
        five[1].starts_at,
        five[1].ends_at,
    )
    assert plan.leaving_ends_at is None


def test_an_ended_window_needs_a_new_end_and_takes_the_one_given() -> None:
    five = windows()
    now = T0 + WEEK * 2 + WEEK // 2  # the administrative window is over
    needs = stages.plan_window(leaving=five[0], entering=five[1], now=now)
    assert (needs.action, needs.ends_at) == ("needs_end", None)
    given = stages.plan_window(leaving=five[0], entering=five[1], now=now, ends_at=now + WEEK)
    assert (given.action, given.starts_at, given.ends_at) == (
        "new_end",
        five[1].starts_at,
        now + WEEK,
    )
    # The presentation window has begun meanwhile: the new end overlaps it.
    assert [
        (field, code, message.en)
        for field, code, message in stages.window_problems(stages.planned_windows(five, given))
    ] == [
        (
            "stages.2.starts_at",
            "window_overlap",
            "Overlaps the Administrative selection stage's window.",
        )
    ]
