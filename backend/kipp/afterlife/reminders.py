"""Reminding winners that a yearly sustainability report is due.

A periodic job (the worker runs it hourly): for every winner of an announced competition, the
most recent year whose report is due (``kipp.afterlife.calendar``) and not filed earns its team
and agency admins one reminder. The ``sustainability_reminders`` row, unique per (innovation,
year), is written before the letter in the same transaction: of two workers reminding at once
only one insert succeeds, and the other sends nothing. Only the latest due year is reminded, so
a deployment that meets old winners does not send a letter for each year they missed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kipp.afterlife import calendar, policy, reports
from kipp.config import get_settings
from kipp.models import (
    Competition,
    Innovation,
    InnovationStatus,
    SustainabilityReminder,
    SustainabilityReport,
)
from kipp.notify import service as notify_service
from kipp.notify import templates


def remember(*, session: Session, innovation_id: int, year: int, now: datetime) -> bool:
    """Record the reminder; False when someone (another worker) already did."""
    try:
        with session.begin_nested():
            session.add(SustainabilityReminder(innovation_id=innovation_id, year=year, sent_at=now))
    except IntegrityError:
        return False
    return True


def send_due_reminders(session: Session, now: datetime) -> int:
    """Remind each winner whose latest due report is missing, once per year. Returns how
    many innovations were reminded; only flushes (the caller commits)."""
    due_month = get_settings().sustainability_due_month
    rows = session.execute(
        select(Innovation, Competition)
        .join(Competition, Competition.id == Innovation.competition_id)
        .where(
            Innovation.status == InnovationStatus.WINNER,
            Competition.announced_at.is_not(None),
        )
        .order_by(Innovation.id)
    ).all()
    due: list[tuple[Innovation, Competition, int]] = []
    for innovation, competition in rows:
        since = reports.announced_year(competition)
        year = calendar.latest_due_year(reports.local_today(competition, now), due_month=due_month)
        if since is not None and year > since:
            due.append((innovation, competition, year))
    if not due:
        return 0
    ids = [innovation.id for innovation, _, _ in due]
    filed = {
        (int(i), int(y))
        for i, y in session.execute(
            select(SustainabilityReport.innovation_id, SustainabilityReport.year).where(
                SustainabilityReport.innovation_id.in_(ids)
            )
        )
    }
    reminded_before = {
        (int(i), int(y))
        for i, y in session.execute(
            select(SustainabilityReminder.innovation_id, SustainabilityReminder.year).where(
                SustainabilityReminder.innovation_id.in_(ids)
            )
        )
    }
    reminded = 0
    for innovation, competition, year in due:
        key = (innovation.id, year)
        if key in filed or key in reminded_before:
            continue
        if not remember(session=session, innovation_id=innovation.id, year=year, now=now):
            continue
        notify_service.send(
            session,
            letter=templates.sustainability_report_due(
                innovation_id=innovation.id,
                title=innovation.title,
                competition_name=competition.name,
                year=year,
            ),
            recipients=policy.participants(session=session, innovation=innovation),
            now=now,
        )
        reminded += 1
    return reminded
