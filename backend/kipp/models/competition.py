from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kipp.db import Base, JSONType, UTCDateTime
from kipp.models._common import Timestamped


class Competition(Timestamped, Base):
    __tablename__ = "competitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    # The competition of the next level that this one feeds (kabupaten → provinsi → nasional):
    # its TOP N may be promoted there after the announcement.
    parent_competition_id: Mapped[int | None] = mapped_column(
        ForeignKey("competitions.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(20))
    region: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Makassar")
    top_n: Mapped[int] = mapped_column(Integer, default=7)
    honourable_mentions: Mapped[int] = mapped_column(Integer, default=0)
    min_judges: Mapped[int] = mapped_column(Integer, default=1)
    aggregation_method: Mapped[str] = mapped_column(String(20), default="judge_effects")
    objection_days: Mapped[int] = mapped_column(Integer, default=5)
    agency_quota: Mapped[int | None] = mapped_column(Integer)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    proposal_template: Mapped[dict[str, Any]] = mapped_column(JSONType)
    admin_checklist: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)
    current_stage: Mapped[str] = mapped_column(String(20), default="submission")
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    stages: Mapped[list[Stage]] = relationship(
        back_populates="competition",
        order_by="Stage.position",
        cascade="all, delete-orphan",
        lazy="raise",
    )


class Stage(Base):
    """One of the five ordered stages of a competition, with its window."""

    __tablename__ = "stages"
    __table_args__ = (UniqueConstraint("competition_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())

    competition: Mapped[Competition] = relationship(back_populates="stages", lazy="raise")
