from __future__ import annotations

from enum import StrEnum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from kipp.db import Base
from kipp.models._common import Timestamped


class Level(StrEnum):
    """The level of government an organisation is, and a competition is held at."""

    KABUPATEN = "kabupaten"
    KOTA = "kota"
    PROVINSI = "provinsi"
    KEMENTERIAN = "kementerian"
    NASIONAL = "nasional"


class Organisation(Timestamped, Base):
    """An organiser on the deployment: a regency/city government, a province, a ministry or the
    national organiser. It owns its agencies, users and competitions; nothing of one is visible
    to another's users. The one with the lowest id is the default organisation: where a call
    names none, the platform admin acts there."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    region: Mapped[str] = mapped_column(String(200), default="")
