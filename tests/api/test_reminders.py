"""Judges with unfinished scoresheets are reminded once per window before scoring closes."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp import clock
from kipp.models import Notification, OutboxMessage, Role, ScoringReminder
from kipp.panel import reminders
from kipp.panel.reminders import send_due_reminders
from tests.factories import Factory


def _closing_in(factory: Factory, hours: float):  # type: ignore[no-untyped-def]
    competition = factory.competition(current_stage="presentation")
    window = next(s for s in competition.stages if s.key == "presentation")
    window.ends_at = clock.now() + timedelta(hours=hours)
    factory.session.flush()
    factory.add_default_criteria(competition)
    return competition, window


def test_unfinished_judges_are_reminded_once_per_window(session: Session, factory: Factory) -> None:
    competition, window = _closing_in(factory, 24)
    lagging, done, drafting = (factory.user(Role.JUDGE) for _ in range(3))
    drafting.locale = "en"
    factory.add_panel(competition, [lagging, done, drafting])
    innovation = factory.innovation(competition, status="eligible")
    factory.add_scoresheet(innovation, done, 7, status="final")
    factory.add_scoresheet(innovation, drafting, 7, status="draft")

    assert send_due_reminders(session, clock.now()) == 2
    mails = {m.to_address: m for m in session.scalars(select(OutboxMessage))}
    assert set(mails) == {lagging.email, drafting.email}
    assert mails[drafting.email].subject.startswith(f"Reminder: scoring for {competition.name}")
    assert "1 of your scoresheets" in mails[drafting.email].body
    assert mails[lagging.email].subject.startswith("Pengingat")
    assert {n.user_id for n in session.scalars(select(Notification))} == {
        lagging.id,
        drafting.id,
    }
    # The next run (or a second worker) sends nothing more for this window.
    assert send_due_reminders(session, clock.now()) == 0
    assert len(session.scalars(select(OutboxMessage)).all()) == 2
    # An extended window is a new window: a new reminder once it is close again.
    window.ends_at = window.ends_at + timedelta(hours=1)
    session.flush()
    assert send_due_reminders(session, clock.now()) == 2
    assert len(session.scalars(select(ScoringReminder)).all()) == 4


def test_a_second_worker_racing_on_the_same_row_sends_nothing(
    session: Session, factory: Factory
) -> None:
    competition, window = _closing_in(factory, 1)
    judge = factory.user(Role.JUDGE)
    factory.add_panel(competition, [judge])
    factory.innovation(competition, status="eligible")
    # Two workers inserting the same (competition, judge, window): the unique key lets one.
    first = reminders.remember(
        session=session,
        competition_id=competition.id,
        judge_id=judge.id,
        ends_at=window.ends_at,
        now=clock.now(),
    )
    second = reminders.remember(
        session=session,
        competition_id=competition.id,
        judge_id=judge.id,
        ends_at=window.ends_at,
        now=clock.now(),
    )
    assert (first, second) == (True, False)
    assert send_due_reminders(session, clock.now()) == 0


def test_nobody_is_reminded_too_early_or_outside_scoring(
    session: Session, factory: Factory
) -> None:
    far, _ = _closing_in(factory, 72)  # KIPP_REMINDER_HOURS is 48
    judge = factory.user(Role.JUDGE)
    factory.add_panel(far, [judge])
    factory.innovation(far, status="eligible")
    later = factory.competition(current_stage="nomination")
    factory.add_panel(later, [judge])
    assert send_due_reminders(session, clock.now()) == 0
    assert send_due_reminders(session, clock.now() + timedelta(hours=25)) == 1
