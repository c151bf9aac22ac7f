from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from kipp.models import Level
from kipp.schemas import Schema

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"


class OrganisationIn(BaseModel):
    slug: str = Field(
        pattern=SLUG_PATTERN,
        max_length=64,
        examples=["luwu-utara"],
        description="Short name in addresses and filters: lowercase letters, digits, dashes.",
    )
    name: str = Field(min_length=1, max_length=200, examples=["Pemerintah Kabupaten Luwu Utara"])
    level: Level = Field(examples=["kabupaten"])
    region: str = Field(default="", max_length=200, examples=["Kabupaten Luwu Utara"])


class OrganisationPatch(BaseModel):
    slug: str | None = Field(default=None, pattern=SLUG_PATTERN, max_length=64)
    name: str | None = Field(default=None, min_length=1, max_length=200)
    level: Level | None = None
    region: str | None = Field(default=None, max_length=200)


class PublicOrganisationOut(Schema):
    id: int
    slug: str
    name: str
    level: Level
    region: str


class OrganisationOut(PublicOrganisationOut):
    created_at: datetime
    updated_at: datetime
