from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from kipp import clock
from kipp.field_errors import FieldValueError
from kipp.i18n import Msg
from kipp.models import Organisation, Role, User
from kipp.schemas import Schema


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    refresh_token: str


class RefreshIn(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=500)


class MyOrganisationOut(Schema):
    id: int
    slug: str
    name: str
    level: str


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    role: Role
    agency_id: int | None
    organisation_id: int
    organisation: MyOrganisationOut | None = Field(
        default=None, description="The organisation I belong to"
    )
    locale: Literal["id", "en"] = Field(
        default="id", description="The language of my messages and e-mails"
    )

    @classmethod
    def of(cls, user: User, organisation: Organisation | None) -> MeOut:
        me = cls.model_validate(user)
        if organisation is not None:
            me.organisation = MyOrganisationOut.model_validate(organisation)
        return me


class MeUpdate(BaseModel):
    locale: Literal["id", "en"] = Field(description="The language of my messages and e-mails")


class ApiTokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    expires_at: datetime | None = Field(
        default=None,
        description="When the token stops working; by default after KIPP_API_TOKEN_DEFAULT_DAYS "
        "(90), at most KIPP_API_TOKEN_MAX_DAYS (365) from now.",
    )

    @field_validator("expires_at")
    @classmethod
    def _future_with_offset(cls, value: datetime | None) -> datetime | None:
        if value is not None and (value.tzinfo is None or value <= clock.now()):
            raise FieldValueError(
                Msg(
                    id="Harus waktu di masa mendatang dengan zona waktu.",
                    en="Must be a future time with an offset.",
                ),
                code="future_time_required",
            )

        return value


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


class ApiTokenCreated(BaseModel):
    id: int
    name: str
    token: str = Field(description="Shown this once; store it now.")
    created_at: datetime
    expires_at: datetime | None
