from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kipp.db import Base, JSONType, UTCDateTime
from kipp.models._common import Timestamped
from kipp.models.user import User


class InnovationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    NOMINATED = "nominated"
    NOT_NOMINATED = "not_nominated"
    WINNER = "winner"
    WITHDRAWN = "withdrawn"


innovation_team = Table(
    "innovation_team",
    Base.metadata,
    Column("innovation_id", ForeignKey("innovations.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Innovation(Timestamped, Base):
    __tablename__ = "innovations"
    __table_args__ = (UniqueConstraint("competition_id", "external_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    group: Mapped[str] = mapped_column(String(20), default="umum")
    category: Mapped[str] = mapped_column(String(200), default="")
    origin: Mapped[str] = mapped_column(String(20), default="other")
    started_on: Mapped[date | None] = mapped_column(Date)
    replicated_from: Mapped[str | None] = mapped_column(Text)
    replicated_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("innovations.id", ondelete="SET NULL")
    )
    summary: Mapped[str] = mapped_column(Text, default="")
    sections: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    video_url: Mapped[str | None] = mapped_column(String(500))
    links: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    external_ref: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default=InnovationStatus.DRAFT, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    team: Mapped[list[User]] = relationship(secondary=innovation_team, lazy="raise")
