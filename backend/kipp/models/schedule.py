"""The presentation schedule (Tahapan III): a competition's slots and whether it is published."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kipp.db import Base, UTCDateTime


class Schedule(Base):
    """One per competition that has a schedule: its optimistic-lock version and publication."""

    __tablename__ = "schedules"

    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ScheduleSlot(Base):
    """A presentation (``innovation_id`` set) or a break / free slot (``None``).

    ``sequence`` grows whenever the slot's time or place changes (the .ics SEQUENCE, so
    calendars replace the old event); ``announced`` is what the team and panel were last told
    (time, duration, place, link), so only a real move notifies anyone."""

    __tablename__ = "schedule_slots"
    __table_args__ = (UniqueConstraint("competition_id", "innovation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    innovation_id: Mapped[int | None] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE")
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    duration_minutes: Mapped[int] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(200), default="")
    online_url: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str] = mapped_column(String(300), default="")
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    announced: Mapped[str | None] = mapped_column(String(800))
