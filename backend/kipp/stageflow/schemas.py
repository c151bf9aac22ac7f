"""Request and response shapes of the stage flow."""

from __future__ import annotations

from pydantic import BaseModel, Field

from kipp.competitions.schemas import Strict
from kipp.errors import BlockerOut


class AdvanceIn(Strict):
    reason: str | None = Field(default=None, max_length=2000)
    force: bool = False


class AdvanceCheck(BaseModel):
    """What would happen on `POST …/advance` now, without moving anything."""

    current_stage: str
    next_stage: str | None
    can_advance: bool
    blockers: list[BlockerOut]
