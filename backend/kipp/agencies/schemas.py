from __future__ import annotations

from pydantic import BaseModel, Field

from kipp.schemas import Id, Schema

AGENCY_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"


class AgencyIn(BaseModel):
    code: str = Field(pattern=AGENCY_CODE_PATTERN, examples=["DLH"])
    name: str = Field(min_length=1, max_length=200, examples=["Dinas Lingkungan Hidup"])
    organisation_id: Id | None = Field(
        default=None,
        description="The organisation it belongs to: only the platform admin names one; left "
        "out, the caller's own.",
    )


class AgencyPatch(BaseModel):
    code: str | None = Field(default=None, pattern=AGENCY_CODE_PATTERN)
    name: str | None = Field(default=None, min_length=1, max_length=200)


class AgencyOut(Schema):
    id: int
    code: str
    name: str
    organisation_id: int
