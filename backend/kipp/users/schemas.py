from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, EmailStr, Field

from kipp.models import Role
from kipp.schemas import Id, Schema

PASSWORD_MIN_LENGTH = 8


class UserIn(BaseModel):
    email: EmailStr
    full_name: str = Field(min_length=1, max_length=200)
    role: Role
    agency_id: Id | None = None
    organisation_id: Id | None = Field(
        default=None,
        description="The organisation the account belongs to: only the platform admin names "
        "one; left out, the agency's organisation, else the caller's own.",
    )
    password: str | None = Field(
        default=None,
        min_length=PASSWORD_MIN_LENGTH,
        max_length=200,
        description="Leave out to let the person set their own from the invitation e-mail "
        "(the account cannot log in until then).",
    )
    invite: bool | None = Field(
        default=None,
        description="E-mail an invitation link to set the password; default: true when no "
        "password is given, false otherwise.",
    )


class UserPatch(BaseModel):
    email: EmailStr | None = None
    full_name: str | None = Field(default=None, min_length=1, max_length=200)
    role: Role | None = None
    agency_id: Id | None = None
    password: str | None = Field(default=None, min_length=PASSWORD_MIN_LENGTH, max_length=200)
    is_active: bool | None = None


class UserOut(Schema):
    id: int
    email: str
    full_name: str
    role: Role
    agency_id: int | None
    organisation_id: int
    is_active: bool
    created_at: datetime


class PasswordResetIn(BaseModel):
    email: str = Field(min_length=1, max_length=254)


class PasswordResetConfirmIn(BaseModel):
    token: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=PASSWORD_MIN_LENGTH, max_length=200)


class PasswordResetAccepted(BaseModel):
    detail: str = Field(description="The same answer whether or not the address has an account")
