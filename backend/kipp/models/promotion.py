from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kipp.db import Base, UTCDateTime
from kipp.models._common import utcnow


class Promotion(Base):
    """One innovation of an announced competition carried up to the next level: the proposal
    it became in the parent competition, and its provenance (where it came from, its rank and
    score there, the SHA-256 of the frozen results manifest that decided it).

    The provenance is copied when it is promoted, so it stays true if the competition below is
    later renamed or its organisation changes its name.
    """

    __tablename__ = "promotions"
    __table_args__ = (UniqueConstraint("source_innovation_id", "target_competition_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_innovation_id: Mapped[int] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE"), index=True
    )
    source_competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    target_competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    target_innovation_id: Mapped[int] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE"), unique=True
    )
    source_competition_name: Mapped[str] = mapped_column(String(200))
    source_organisation_name: Mapped[str] = mapped_column(String(200))
    source_level: Mapped[str] = mapped_column(String(20))
    source_year: Mapped[int] = mapped_column(Integer)
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    promoted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    promoted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
