"""Request and response shapes of promotions."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from kipp.competitions.schemas import CompetitionParent
from kipp.innovations.schemas import Provenance


class PromotionIn(BaseModel):
    """Which of the announced TOP N to promote; left out: all of them."""

    model_config = ConfigDict(extra="forbid")

    innovation_ids: list[int] | None = Field(
        default=None,
        min_length=1,
        max_length=1000,
        description="Innovations of this competition's announced TOP N (default: the whole TOP N)",
    )


class PromotionCandidate(BaseModel):
    """One innovation of the announced TOP N, and where it went if it was promoted."""

    rank: int
    innovation_id: int
    title: str
    agency_code: str
    score: float | None
    promoted: bool
    target_competition_id: int | None
    target_innovation_id: int | None
    promoted_at: datetime | None


class PromotionBoard(BaseModel):
    """A competition's TOP N as candidates for the next level, and what was promoted where."""

    competition_id: int
    parent: CompetitionParent | None = Field(description="The next level; null: none named")
    announced: bool = Field(description="The results are announced: promotion is possible")
    manifest_sha256: str | None
    submission_open: bool = Field(
        description="The parent's submission window is open now (promotion lands there)"
    )
    candidates: list[PromotionCandidate]


class PromotionResult(BaseModel):
    """What a promotion did: the new proposals, and those promoted before (nothing new)."""

    created_innovation_ids: list[int]
    already_promoted_ids: list[int] = Field(
        description="Innovations of this competition promoted before: nothing new was made"
    )
    detail: str
    board: PromotionBoard


class PromotedProposal(BaseModel):
    """A proposal promoted into a competition whose panel the judge sits on."""

    innovation_id: int
    competition_id: int
    competition_name: str
    title: str
    agency_code: str
    status: str
    provenance: Provenance
