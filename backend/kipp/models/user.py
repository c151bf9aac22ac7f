from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kipp.db import Base
from kipp.models._common import Timestamped


class Role(StrEnum):
    # The platform admin: acts in every organisation (and creates organisations).
    ADMIN = "admin"
    # An organisation's organising team: everything the admin does, within its organisation.
    ORGANISER = "organiser"
    AGENCY_ADMIN = "agency_admin"
    JUDGE = "judge"
    INNOVATOR = "innovator"


class User(Timestamped, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    # Every user belongs to an organisation (the platform admin to the default one).
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agencies.id", ondelete="RESTRICT"), index=True
    )
    password_hash: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Carried in every access token and compared on every request: bumping it (new password,
    # deactivation, reactivation) ends every access token issued before, at once.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # The language of the user's e-mails and inbox ("id" or "en").
    locale: Mapped[str] = mapped_column(String(2), default="id", server_default="id")
