"""Rubric, panel, conflicts of interest and scoresheets."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kipp.db import Base, UTCDateTime
from kipp.models._common import Timestamped, utcnow


class Criterion(Base):
    __tablename__ = "criteria"
    __table_args__ = (UniqueConstraint("competition_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # What the bottom and the top of the scale mean, shown to the judge beside the scale.
    low_means: Mapped[str] = mapped_column(Text, default="")
    high_means: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(Float)
    min_score: Mapped[int] = mapped_column(Integer, default=1)
    max_score: Mapped[int] = mapped_column(Integer, default=10)
    position: Mapped[int] = mapped_column(Integer, default=0)


class PanelMember(Base):
    __tablename__ = "panel_members"

    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ConflictSource(StrEnum):
    AGENCY = "agency"  # automatic: the judge's own agency
    DECLARED = "declared"  # declared by the judge
    ADMIN = "admin"  # recorded by the organising team


class ConflictOfInterest(Base):
    __tablename__ = "conflicts_of_interest"
    __table_args__ = (UniqueConstraint("innovation_id", "judge_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    innovation_id: Mapped[int] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE"), index=True
    )
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ScoresheetStatus(StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class Scoresheet(Timestamped, Base):
    """One judge's scores for one innovation: a draft until submitted, then final."""

    __tablename__ = "scoresheets"
    __table_args__ = (UniqueConstraint("innovation_id", "judge_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    innovation_id: Mapped[int] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE"), index=True
    )
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=ScoresheetStatus.DRAFT)
    comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    scores: Mapped[list[Score]] = relationship(
        back_populates="scoresheet", cascade="all, delete-orphan", lazy="raise"
    )

    def score_map(self) -> dict[str, int]:
        """The scores by criterion key (``scores`` must have been loaded)."""
        return {score.criterion_key: score.value for score in self.scores}

    def snapshot(self) -> dict[str, Any]:
        """What the audit log keeps of a scoresheet: its status, scores and comment."""
        return {"status": self.status, "scores": self.score_map(), "comment": self.comment}


class Score(Base):
    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("scoresheet_id", "criterion_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scoresheet_id: Mapped[int] = mapped_column(
        ForeignKey("scoresheets.id", ondelete="CASCADE"), index=True
    )
    criterion_key: Mapped[str] = mapped_column(String(50))
    value: Mapped[int] = mapped_column(Integer)

    scoresheet: Mapped[Scoresheet] = relationship(back_populates="scores", lazy="raise")
