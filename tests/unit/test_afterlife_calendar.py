"""When sustainability reports may be filed and when they are due."""

from __future__ import annotations

from datetime import date

from kipp.afterlife import calendar


def test_a_winner_reports_on_each_year_after_the_announcement() -> None:
    assert calendar.reporting_years(2024, date(2026, 3, 1)) == [2025, 2026]
    assert calendar.reporting_years(2024, date(2024, 12, 31)) == []


def test_a_year_is_due_from_the_configured_month_of_the_next() -> None:
    assert calendar.due_on(2025, due_month=1) == date(2026, 1, 1)
    assert calendar.due_on(2025, due_month=3) == date(2026, 3, 1)
    assert calendar.latest_due_year(date(2026, 1, 1), due_month=1) == 2025
    assert calendar.latest_due_year(date(2026, 2, 28), due_month=3) == 2024
    assert calendar.latest_due_year(date(2026, 3, 1), due_month=3) == 2025


def test_each_year_is_filed_missing_or_not_due() -> None:
    today = date(2026, 3, 10)
    assert calendar.year_state(2025, filed=True, today=today, due_month=1) == "filed"
    assert calendar.year_state(2025, filed=False, today=today, due_month=1) == "missing"
    assert calendar.year_state(2025, filed=False, today=today, due_month=4) == "not_due"
    assert calendar.year_state(2026, filed=False, today=today, due_month=1) == "not_due"


def test_years_before_the_award_or_in_the_future_are_refused_in_both_languages() -> None:
    today = date(2026, 3, 10)
    early = calendar.year_problem(2024, announced_year=2024, today=today)
    assert early is not None
    assert early.en == "Reports start with the year after the announcement (2025)."
    assert early.id == "Laporan dimulai dari tahun setelah pengumuman (2025)."
    late = calendar.year_problem(2027, announced_year=2024, today=today)
    assert late is not None and late.en == "The year 2027 has not come yet."
    assert calendar.year_problem(2026, announced_year=2024, today=today) is None
