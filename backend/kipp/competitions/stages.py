"""The stage machine: five ordered stages, moved only forward, one step at a time.

Pure: no database. The service decides *whether* the preconditions hold; this module says
which moves exist and whether a window is open.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal, Protocol
from zoneinfo import ZoneInfo

from kipp.competitions.defaults import STAGE_KEYS
from kipp.i18n import Msg

# What people call each stage in a sentence (the SPA's names, in both languages).
LABELS: Final[dict[str, Msg]] = {
    "submission": Msg(id="Pengajuan proposal", en="Proposal submission"),
    "administrative": Msg(id="Seleksi administrasi", en="Administrative selection"),
    "presentation": Msg(id="Presentasi dan penilaian", en="Presentation and scoring"),
    "nomination": Msg(id="Penetapan nominasi", en="Nomination"),
    "announcement": Msg(id="Pengumuman", en="Announcement"),
}


def label(key: str) -> Msg:
    """A stage's name for a message; an unknown key (never stored) is shown as it is."""
    return LABELS.get(key, Msg(id=key, en=key))


# The transition table, explicit: each stage has exactly one next stage.
ALLOWED: Final[dict[str, str | None]] = {
    "submission": "administrative",
    "administrative": "presentation",
    "presentation": "nomination",
    "nomination": "announcement",
    "announcement": None,
}


# Leaving these stages may be forced past its blockers by an admin with a reason: a judge who
# cannot finish must not hold the competition hostage. Every other precondition is absolute.
FORCEABLE: Final = frozenset({"presentation"})

StageState = Literal["past", "current", "upcoming"]


class StageWindow(Protocol):
    key: str
    starts_at: datetime
    ends_at: datetime


def next_stage(current: str) -> str | None:
    """The stage after ``current`` (None after the last)."""
    if current not in ALLOWED:
        raise ValueError(f"unknown stage {current!r}")
    return ALLOWED[current]


def can_move(current: str, target: str) -> bool:
    return current in ALLOWED and ALLOWED[current] == target


def index(stage: str) -> int:
    return STAGE_KEYS.index(stage)


def reached(current: str, stage: str) -> bool:
    """Whether the competition has reached ``stage`` (it is current or behind us)."""
    return index(current) >= index(stage)


def stage_state(current: str, stage: str) -> StageState:
    """Where ``stage`` lies on the timeline of a competition whose current stage is ``current``."""
    position, now_at = index(stage), index(current)
    if position < now_at:
        return "past"
    return "current" if position == now_at else "upcoming"


def window_open(window: StageWindow, now: datetime) -> bool:
    """Windows are half-open: ``starts_at <= now < ends_at``."""
    return window.starts_at <= now < window.ends_at


def window_problems(windows: Sequence[StageWindow]) -> list[tuple[str, str, Msg]]:
    """(field, code, message) for every rule a set of windows breaks: all five stages, each
    ending after it starts, in stage order, not overlapping."""
    problems: list[tuple[str, str, Msg]] = []
    keys = [w.key for w in windows]
    if keys != list(STAGE_KEYS):
        message = Msg(
            id="Harus memuat kelima tahapan secara berurutan: {keys}.",
            en="Must list the five stages in order: {keys}.",
        ).format(keys=", ".join(STAGE_KEYS))
        problems.append(("stages", "stages_incomplete", message))
        return problems
    for i, window in enumerate(windows):
        if window.starts_at.tzinfo is None or window.ends_at.tzinfo is None:
            message = Msg(id="Waktu harus menyertakan zona waktu.", en="Times need an offset.")
            problems.append((f"stages.{i}", "timezone_aware", message))
            continue
        if window.ends_at <= window.starts_at:
            message = Msg(id="Harus sesudah waktu mulai.", en="Must be after the start.")
            problems.append((f"stages.{i}.ends_at", "window_ends_before_start", message))
        if i and windows[i - 1].ends_at.tzinfo and window.starts_at < windows[i - 1].ends_at:
            message = Msg(
                id="Bertumpang tindih dengan jadwal tahapan {stage}.",
                en="Overlaps the {stage} stage's window.",
            ).format(stage=label(windows[i - 1].key))
            problems.append((f"stages.{i}.starts_at", "window_overlap", message))
    return problems


def local_time(moment: datetime, timezone: str) -> str:
    """A moment as people in the competition's time zone read it: ``2021-10-31 23:59 WITA``."""
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


WindowAction = Literal["unchanged", "opens_now", "needs_end", "new_end"]


@dataclass(frozen=True)
class WindowPlan:
    """What a move into ``stage`` does to the windows, decided before anything moves.

    ``action``: ``unchanged`` (the window is open now), ``opens_now`` (it had not opened: it
    starts at the move), ``new_end`` (the admin gave a new end), ``needs_end`` (its end is past
    and no new one was given: the move is refused). ``starts_at``/``ends_at`` are the window
    after the move (``ends_at`` None when an end is needed); ``leaving_ends_at`` is the new end
    of the stage being left when the move cuts it short, so the windows never overlap.
    """

    stage: str
    action: WindowAction
    starts_at: datetime
    ends_at: datetime | None
    leaving_ends_at: datetime | None = None


def plan_window(
    *,
    leaving: StageWindow,
    entering: StageWindow,
    now: datetime,
    ends_at: datetime | None = None,
) -> WindowPlan:
    """How the window of the stage being entered follows the move made at ``now``.

    A window that has not opened opens now (its end kept); one whose end is past needs the
    admin's ``ends_at``; an open one stays as it is unless ``ends_at`` is given. The stage
    being left ends at the move when it would otherwise overlap."""
    starts_at = min(entering.starts_at, now)
    if ends_at is not None:
        action: WindowAction = "new_end"
        end: datetime | None = ends_at
    elif entering.ends_at <= now:
        action, end = "needs_end", None
    else:
        action = "opens_now" if entering.starts_at > now else "unchanged"
        end = entering.ends_at
    leaving_ends_at = starts_at if leaving.ends_at > starts_at else None
    return WindowPlan(entering.key, action, starts_at, end, leaving_ends_at)


def planned_windows(windows: Sequence[StageWindow], plan: WindowPlan) -> list[_Planned]:
    """The five windows as they will be after ``plan`` (to check them before writing)."""
    out: list[_Planned] = []
    keys = [w.key for w in windows]
    leaving_key = keys[keys.index(plan.stage) - 1] if plan.stage in keys[1:] else None
    for window in windows:
        starts_at, ends_at = window.starts_at, window.ends_at
        if window.key == plan.stage:
            starts_at, ends_at = plan.starts_at, plan.ends_at or ends_at
        elif window.key == leaving_key and plan.leaving_ends_at is not None:
            ends_at = plan.leaving_ends_at
        out.append(_Planned(window.key, starts_at, ends_at))
    return out


@dataclass
class _Planned:
    key: str
    starts_at: datetime
    ends_at: datetime
