"""Request and response shapes of the presentation schedule."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, Field, HttpUrl, StrictBool, StrictInt

from kipp.schemas import Id, OneLineText

FillOrder = Literal["ranking", "agency", "title", "submitted"]
Place = Annotated[str, Field(max_length=200, examples=["Aula Kantor Bupati"]), OneLineText]
Note = Annotated[str, Field(max_length=300), OneLineText]
Minutes = Annotated[StrictInt, Field(ge=5, le=480, examples=[30])]
OnlineUrl = Annotated[HttpUrl, Field(max_length=500, examples=["https://meet.example.id/kipp"])]


class SlotIn(BaseModel):
    id: Id | None = Field(
        default=None, description="An existing slot's id: it keeps its calendar UID"
    )
    innovation_id: Id | None = Field(default=None, description="null: a break or a free slot")
    starts_at: AwareDatetime = Field(examples=["2021-11-15T09:00:00+08:00"])
    duration_minutes: Minutes
    place: Place = ""
    online_url: OnlineUrl | None = None
    note: Note = ""


class ScheduleIn(BaseModel):
    version: StrictInt = Field(
        ge=0, description="The version read (0 while the competition has no schedule)"
    )
    published: StrictBool = False
    slots: list[SlotIn] = Field(max_length=2000)


class SlotOut(BaseModel):
    id: int | None = Field(description="null in a proposed (unsaved) schedule's new slots")
    innovation_id: int | None
    title: str | None
    agency_code: str | None
    starts_at: datetime = Field(description="In the competition's time zone")
    ends_at: datetime
    duration_minutes: int
    place: str
    online_url: str | None = Field(
        description="Shown to the organising team, the panel and the slot's own team"
    )
    note: str
    sequence: int
    own: bool = Field(description="The caller's team presents in this slot")


class ScheduleOut(BaseModel):
    competition_id: int
    timezone: str
    version: int
    published: bool
    published_at: datetime | None
    items: list[SlotOut]
    total: int


class FillIn(BaseModel):
    days: list[date] = Field(min_length=1, max_length=31, examples=[["2021-11-15", "2021-11-16"]])
    day_start: time = Field(examples=["08:00"])
    day_end: time = Field(examples=["16:00"])
    duration_minutes: Minutes
    break_after_n: StrictInt = Field(default=0, ge=0, le=100, description="0: no breaks")
    break_minutes: StrictInt = Field(default=0, ge=0, le=240)
    order: FillOrder = "title"
    place: Place = ""
    online_url: OnlineUrl | None = None
