from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kipp.db import Base
from kipp.models._common import Timestamped


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
