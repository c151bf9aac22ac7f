from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from kipp.db import Base, JSONType
from kipp.models._common import Timestamped


class AdministrativeReview(Timestamped, Base):
    """The organising team's check of a submitted proposal against the checklist."""

    __tablename__ = "administrative_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    innovation_id: Mapped[int] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE"), unique=True
    )
    passed: Mapped[bool] = mapped_column(Boolean)
    checks: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    notes: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
