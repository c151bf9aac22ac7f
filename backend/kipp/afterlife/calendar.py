"""When sustainability reports are due: pure date arithmetic, no database.

A competition announced in year A has winners that report on every year after it: A+1, A+2, …
The report on year Y may be filed from Y itself (the year in progress) and is *due* from the
first day of the configured month of Y+1 (``KIPP_SUSTAINABILITY_DUE_MONTH``, default January):
from then on it counts as missing, and its team is reminded once.
"""

from __future__ import annotations

from datetime import date
from typing import Final, Literal

from kipp.i18n import Msg

YearState = Literal["filed", "missing", "not_due"]
FILED: Final = "filed"
MISSING: Final = "missing"
NOT_DUE: Final = "not_due"


def due_on(year: int, *, due_month: int) -> date:
    """The day the report on ``year`` becomes due."""
    return date(year + 1, due_month, 1)


def reporting_years(announced_year: int, today: date) -> list[int]:
    """The years a winner announced in ``announced_year`` may report on by ``today``."""
    return list(range(announced_year + 1, today.year + 1))


def latest_due_year(today: date, *, due_month: int) -> int:
    """The most recent year whose report is due by ``today``."""
    return today.year - 1 if today.month >= due_month else today.year - 2


def year_state(year: int, *, filed: bool, today: date, due_month: int) -> YearState:
    """Filed; else missing once due; else not due yet."""
    if filed:
        return FILED
    return MISSING if due_on(year, due_month=due_month) <= today else NOT_DUE


def year_problem(year: int, *, announced_year: int, today: date) -> Msg | None:
    """Why a report cannot be on ``year`` (before or in the award's year, or in the future)."""
    if year <= announced_year:
        return Msg(
            id="Laporan dimulai dari tahun setelah pengumuman ({first}).",
            en="Reports start with the year after the announcement ({first}).",
        ).format(first=announced_year + 1)
    if year > today.year:
        return Msg(
            id="Tahun {year} belum tiba.",
            en="The year {year} has not come yet.",
        ).format(year=year)
    return None
