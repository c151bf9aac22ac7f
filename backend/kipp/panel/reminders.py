"""Reminding judges before the scoring window closes.

A periodic job (the delivery worker runs it): every judge with scoresheets that are not final
in a competition whose presentation stage is current and closes within ``reminder_hours`` gets
one reminder per window. The ``scoring_reminders`` row, unique per (competition, judge, window
end), is written before the letter in the same transaction: of two workers reminding at once
only one insert succeeds, and the other sends nothing. Extending the window earns a new one.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from kipp.config import get_settings
from kipp.models import Competition, ScoringReminder, Stage
from kipp.notify import audiences, templates
from kipp.notify import service as notify_service
from kipp.panel import assignments as assignments_service


def remember(
    *, session: Session, competition_id: int, judge_id: int, ends_at: datetime, now: datetime
) -> bool:
    """Record the reminder; False when someone (another worker) already did."""
    try:
        with session.begin_nested():
            session.add(
                ScoringReminder(
                    competition_id=competition_id,
                    judge_id=judge_id,
                    window_ends_at=ends_at,
                    sent_at=now,
                )
            )
    except IntegrityError:
        return False
    return True


def send_due_reminders(session: Session, now: datetime) -> int:
    """Remind every judge whose scoring window closes within the reminder time and who still
    has unfinished scoresheets, once per window. Returns how many judges were reminded; only
    flushes (the caller commits)."""
    lead = timedelta(hours=get_settings().reminder_hours)
    competitions = session.scalars(
        select(Competition)
        .join(Stage, Stage.competition_id == Competition.id)
        .where(
            Competition.current_stage == "presentation",
            Stage.key == "presentation",
            Stage.ends_at > now,
            Stage.ends_at <= now + lead,
        )
        .options(selectinload(Competition.stages))
        .order_by(Competition.id)
    ).all()
    reminded = 0
    for competition in competitions:
        window = next(s for s in competition.stages if s.key == "presentation")
        unfinished = Counter(
            a.judge_id
            for a in assignments_service.missing_final(
                session=session, competition_id=competition.id
            )
        )
        already = set(
            session.scalars(
                select(ScoringReminder.judge_id).where(
                    ScoringReminder.competition_id == competition.id,
                    ScoringReminder.window_ends_at == window.ends_at,
                )
            )
        )
        due = [judge_id for judge_id in unfinished if judge_id not in already]
        for recipient in audiences.users(session=session, user_ids=due):
            assert recipient.user_id is not None
            if not remember(
                session=session,
                competition_id=competition.id,
                judge_id=recipient.user_id,
                ends_at=window.ends_at,
                now=now,
            ):
                continue
            notify_service.send(
                session,
                letter=templates.scoring_reminder(
                    competition_name=competition.name,
                    closes_at=window.ends_at,
                    timezone=competition.timezone,
                    unfinished=unfinished[recipient.user_id],
                ),
                recipients=[recipient],
                now=now,
            )
            reminded += 1
    return reminded
