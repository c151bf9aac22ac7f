from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kipp.db import Base
from kipp.models._common import Timestamped


class Agency(Timestamped, Base):
    """A regional government agency (perangkat daerah, OPD)."""

    __tablename__ = "agencies"
    # An agency's code is unique within its organisation (two regencies may both have "DINKES").
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
