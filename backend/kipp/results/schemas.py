"""Request and response shapes of the nomination, the results manifest and the results."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from kipp.ranking.schemas import Method, RankingOut
from kipp.schemas import Id, Schema


class NominationIn(BaseModel):
    innovation_ids: list[Id] = Field(
        min_length=1, max_length=1000, description="The TOP N, in order (exactly top_n)"
    )
    honourable_mention_ids: list[Id] = Field(default_factory=list, max_length=1000)
    method: Method = Field(description="The ranking the decision is compared with")
    justification: str = Field(
        default="",
        max_length=10_000,
        description="Required where the decision departs from the computed ranking or a tie "
        "straddles the cut-off",
    )


class DecisionLine(BaseModel):
    position: int
    innovation_id: int
    title: str
    agency_code: str
    computed_rank: int
    computed_position: int


class DecisionTopLine(DecisionLine):
    change: Literal["same", "up", "down", "added"]


class DroppedLine(BaseModel):
    innovation_id: int
    title: str
    agency_code: str
    computed_rank: int
    computed_position: int


class NominationPreviewOut(BaseModel):
    method: Method
    top_n: int
    tie_at_cutoff: bool
    departs_from_ranking: bool
    justification_required: bool
    computed_top: list[int]
    top: list[DecisionTopLine]
    honourable_mentions: list[DecisionLine]
    moved_up: list[int]
    moved_down: list[int]
    added: list[int]
    dropped: list[DroppedLine]


class NominationOut(Schema):
    id: int
    competition_id: int
    innovation_ids: list[int]
    honourable_mention_ids: list[int]
    method: Method
    justification: str
    departs_from_ranking: bool
    tie_at_cutoff: bool
    manifest_sha256: str
    decided_by_id: int | None
    decided_at: datetime


class ManifestChecks(BaseModel):
    sha256_matches: bool
    ranking_matches: bool = Field(
        description="Recomputing from the manifest's own scores gives its ranking, in every "
        "part that could be re-checked"
    )
    not_rechecked: list[str] = Field(
        description="Parts of the ranking today's code cannot recompute honestly, each with "
        "why (a format-1 manifest computed p_top, z values and Kendall's W by older rules); "
        "empty when everything was re-checked"
    )


class ManifestPart(BaseModel):
    """Keeps keys it does not know: the manifest is shown exactly as it was hashed."""

    model_config = ConfigDict(extra="allow")


class ManifestCompetition(ManifestPart):
    id: int
    name: str
    year: int
    level: str
    region: str
    timezone: str
    top_n: int
    honourable_mentions: int
    min_judges: int
    aggregation_method: Method
    objection_days: int


class ManifestCriterion(ManifestPart):
    key: str
    name: str
    weight: float
    min_score: int
    max_score: int


class ManifestParameters(ManifestPart):
    seed: int
    bootstrap_samples: int
    min_judges: int
    top_n: int


class ManifestJudge(ManifestPart):
    id: int
    full_name: str


class ManifestInnovation(ManifestPart):
    id: int
    title: str
    agency_code: str


class ManifestDecider(ManifestPart):
    """Who decided, by name. Manifests saved before names-only held the e-mail instead (no
    ``full_name``); shown to anyone but an admin, that e-mail is left out (``redacted``)."""

    id: int
    full_name: str | None = None


class ManifestDecision(ManifestPart):
    innovation_ids: list[int]
    honourable_mention_ids: list[int]
    method: Method
    justification: str
    departs_from_ranking: bool
    tie_at_cutoff: bool
    decided_by: ManifestDecider
    decided_at: str = Field(description="ISO 8601, as hashed")


class ManifestRankingV1(ManifestPart):
    """A format-1 manifest's ranking, kept exactly as hashed (computed by older rules)."""

    method: Method
    top_n: int
    entries: list[ManifestPart]
    unranked: list[ManifestPart]
    judges: list[ManifestPart]


class Manifest(ManifestPart):
    """The frozen results manifest (format ``kipp.results-manifest/2``; ``/1`` before the
    judge-effects rules): its canonical JSON (sorted keys, no spaces) is what ``sha256``
    hashes."""

    format: str
    kipp_version: str
    created_at: str = Field(description="ISO 8601, as hashed")
    competition: ManifestCompetition
    rubric: list[ManifestCriterion]
    method: Method
    parameters: ManifestParameters
    panel_judge_ids: list[int]
    judges: list[ManifestJudge]
    innovations: list[ManifestInnovation]
    score_columns: list[str]
    scores: list[tuple[int, int, str, int]] = Field(
        description="One row per final score, in the order of score_columns"
    )
    ranking: RankingOut | ManifestRankingV1 = Field(union_mode="left_to_right")
    decision: ManifestDecision


class ManifestOut(BaseModel):
    sha256: str
    verified: bool = Field(
        description="The hash matches and recomputing the ranking from the manifest's own "
        "scores gives the manifest's ranking (in every part listed as re-checkable: see "
        "checks.not_rechecked)"
    )
    checks: ManifestChecks
    manifest: Manifest
    redacted: list[str] = Field(
        default_factory=list,
        description="Personal data left out of the manifest shown to you, by path (the "
        "admin's e-mail in manifests saved before names-only). `sha256` and `checks` are of "
        "the stored manifest, which still holds them.",
    )


class ResultLine(BaseModel):
    rank: int
    innovation_id: int
    title: str
    agency_code: str


class ObjectionPeriodOut(BaseModel):
    starts_at: datetime
    ends_at: datetime
    open: bool


class ResultsOut(BaseModel):
    competition_id: int
    final: bool
    announced_at: datetime
    finalised_at: datetime | None
    objection_period: ObjectionPeriodOut
    top: list[ResultLine]
    honourable_mentions: list[ResultLine]
    manifest_sha256: str = Field(
        description="SHA-256 of the frozen results manifest: the panel's commitment to every "
        "score behind this result (the manifest itself is for the admin and panel judges)."
    )


class ObjectionIn(BaseModel):
    innovation_id: Id
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    email: EmailStr
    text: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=20, max_length=5000)
    ] = Field(description="20 to 5000 characters")


class ObjectionReceipt(Schema):
    id: int
    innovation_id: int
    name: str
    created_at: datetime


class ObjectionOut(Schema):
    id: int
    innovation_id: int
    name: str
    email: str
    text: str
    client_address: str
    created_at: datetime
    answer: str | None = None
    answered_at: datetime | None = None


class ObjectionAnswerIn(BaseModel):
    answer: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)
    ] = Field(description="Sent to the objector's e-mail address, 1 to 5000 characters")
