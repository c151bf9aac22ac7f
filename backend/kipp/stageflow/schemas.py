"""Request and response shapes of the stage flow."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, Field

from kipp.competitions.schemas import Strict
from kipp.errors import BlockerOut


class AdvanceIn(Strict):
    reason: str | None = Field(default=None, max_length=2000)
    force: bool = False
    ends_at: AwareDatetime | None = Field(
        default=None,
        description="The new end of the next stage's window: needed when its end is past "
        "(blocker `window_end_past`); it must be ahead and before the stage after it starts.",
    )


class WindowChangeOut(BaseModel):
    """What the move does to the next stage's window (times in the competition's offset)."""

    stage: str
    action: Literal["unchanged", "opens_now", "needs_end", "new_end"] = Field(
        description="`unchanged`: open now; `opens_now`: it had not opened, it starts at the "
        "move; `needs_end`: its end is past, the move needs `ends_at`; `new_end`: `ends_at` given"
    )
    starts_at: datetime
    ends_at: datetime | None = Field(description="null while a new end is needed")
    leaving_ends_at: datetime | None = Field(
        description="The stage being left now ends at the move (it would overlap otherwise)"
    )


class AdvanceCheck(BaseModel):
    """What would happen on `POST …/advance` now, without moving anything."""

    current_stage: str
    next_stage: str | None
    can_advance: bool
    blockers: list[BlockerOut]
    window: WindowChangeOut | None = Field(description="null after the last stage")
