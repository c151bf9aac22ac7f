from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kipp.db import Base, UTCDateTime
from kipp.models._common import Timestamped, utcnow


class SustainabilityStatus(StrEnum):
    RUNNING = "running"
    STOPPED = "stopped"


class SustainabilityReport(Timestamped, Base):
    """A winner's yearly account of how the innovation lives on after the award: still running
    or stopped, who pays for it, the regulation behind it, how many people it served."""

    __tablename__ = "sustainability_reports"
    __table_args__ = (UniqueConstraint("innovation_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    innovation_id: Mapped[int] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    budget_source: Mapped[str] = mapped_column(String(200), default="")
    regulation: Mapped[str] = mapped_column(String(300), default="")
    people_served: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Replication(Timestamped, Base):
    """Another organisation took an innovation up (ANC Hipnoterapi → Hypnogreen): who, when,
    what changed; shown on the original and, when it is in KIPP too, on the replica."""

    __tablename__ = "replications"

    id: Mapped[int] = mapped_column(primary_key=True)
    innovation_id: Mapped[int] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    replica_innovation_id: Mapped[int | None] = mapped_column(
        ForeignKey("innovations.id", ondelete="SET NULL"), index=True
    )
    adopter: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300))
    started_on: Mapped[date | None] = mapped_column(Date)
    changes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class SustainabilityEvidence(Base):
    """A file backing a sustainability report (the regulation's scan, a budget document, a
    photo). Its own table, not ``attachments``: a proposal's evidence is frozen with the
    proposal and counted by its readiness; a report's evidence is added years later."""

    __tablename__ = "sustainability_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("sustainability_reports.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_name: Mapped[str] = mapped_column(String(100), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SustainabilityReminder(Base):
    """A reminder that a winner's report for ``year`` is due: one per innovation and year.

    The unique key is the guard (as ``scoring_reminders``): of two workers reminding at once,
    one insert fails and that worker sends nothing."""

    __tablename__ = "sustainability_reminders"
    __table_args__ = (UniqueConstraint("innovation_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    innovation_id: Mapped[int] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
