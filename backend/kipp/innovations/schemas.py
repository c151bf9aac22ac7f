from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints, field_validator

from kipp.errors import FieldProblem
from kipp.field_errors import FieldValueError
from kipp.i18n import Msg
from kipp.schemas import Id, OneLineText, Schema

Group = Literal["umum", "replikasi", "khusus"]
Origin = Literal["latpim", "latsar", "other"]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), OneLineText
]
Url = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=500, pattern=r"^https?://\S+$")
]
SectionText = Annotated[str, StringConstraints(max_length=20_000)]


class InnovationCreate(BaseModel):
    """A new draft. ``agency_id`` defaults to the caller's agency; ``sections`` maps template
    section keys to their text."""

    model_config = ConfigDict(extra="forbid")

    title: Title = Field(examples=["Sistem Informasi Pelayanan Terpadu"])
    agency_id: Id | None = None
    group: Group = "umum"
    category: str = Field(default="", max_length=200)
    origin: Origin = "other"
    summary: str = Field(default="", max_length=20_000)
    sections: dict[str, SectionText] = Field(default_factory=dict)
    started_on: date | None = None
    replicated_from: str | None = Field(default=None, max_length=2000)
    video_url: Url | None = None
    links: list[Url] = Field(default_factory=list, max_length=20)
    external_ref: str | None = Field(default=None, min_length=1, max_length=100)
    team_user_ids: list[Id] | None = Field(
        default=None, description="Innovators of the agency on the team (agency admin, admin)."
    )


_NOT_NULL = ("title", "group", "category", "origin", "summary", "sections", "links")


class InnovationPatch(BaseModel):
    """Changed fields of a draft and the ``version`` they were read at. ``sections`` is merged
    by key (send ``""`` to empty one)."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, description="The version you read; a stale one gets 409.")
    title: Title | None = None
    group: Group | None = None
    category: str | None = Field(default=None, max_length=200)
    origin: Origin | None = None
    summary: str | None = Field(default=None, max_length=20_000)
    sections: dict[str, SectionText] | None = None
    started_on: date | None = None
    replicated_from: str | None = Field(default=None, max_length=2000)
    video_url: Url | None = None
    links: list[Url] | None = Field(default=None, max_length=20)
    external_ref: str | None = Field(default=None, min_length=1, max_length=100)
    team_user_ids: list[Id] | None = Field(
        default=None,
        max_length=50,
        description="Agency admin or admin only: the team becomes exactly these active "
        "innovators of the proposal's agency.",
    )

    @field_validator(*_NOT_NULL)
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise FieldValueError(
                Msg(
                    id="Boleh dihilangkan, tetapi tidak boleh null.",
                    en="May be left out, not null.",
                ),
                code="null_forbidden",
            )

        return value


class TeamMember(Schema):
    id: int
    full_name: str


class AdministrativeReviewOut(BaseModel):
    passed: bool
    checks: dict[str, bool]
    notes: str
    reviewed_at: datetime


class Provenance(BaseModel):
    """Where a promoted proposal came from: the competition of the level below that announced
    it, its place and score there, and the SHA-256 of the frozen results manifest."""

    competition_id: int
    competition_name: str
    organisation_name: str
    level: str
    year: int
    source_innovation_id: int
    rank: int
    score: float | None
    manifest_sha256: str
    promoted_at: datetime
    promoted_by_id: int | None


class InnovationOut(BaseModel):
    id: int
    competition_id: int
    agency_id: int
    agency_code: str
    title: str
    group: str
    category: str
    origin: str
    summary: str
    sections: dict[str, str]
    started_on: date | None
    replicated_from: str | None
    video_url: str | None
    links: list[str]
    external_ref: str | None
    status: str
    version: int
    submitted_at: datetime | None
    created_at: datetime
    updated_at: datetime
    team: list[TeamMember]
    administrative_review: AdministrativeReviewOut | None
    attachments_count: int
    duplicate_title_ids: list[int] | None = Field(
        default=None,
        description="Admins only: other innovations of the competition with the same title "
        "(case and spacing ignored).",
    )
    provenance: Provenance | None = Field(
        default=None,
        description="A proposal promoted from the level below, for the competition's "
        "organising team and panel: where it came from (null otherwise).",
    )


class PublicInnovationItem(BaseModel):
    """What the public sees of an eligible innovation after the administrative stage."""

    id: int
    title: str
    agency_id: int
    agency_code: str
    agency_name: str
    group: str
    category: str


class PublicSection(BaseModel):
    key: str
    title: str
    text: str


class PublicInnovationSummary(PublicInnovationItem):
    """The public summary of an eligible innovation: the sections its template marks public,
    so that an objection is informed."""

    competition_id: int
    sections: list[PublicSection]


class InnovationListItem(PublicInnovationItem):
    competition_id: int
    status: str
    version: int
    submitted_at: datetime | None
    updated_at: datetime


class ReadinessProblem(FieldProblem):
    """A readiness finding; `code` (empty, too_many_words, too_few_attachments, in_future,
    too_young) and `params` let the client word it in its own language."""

    code: str
    params: dict[str, Any]


class ReadinessOut(BaseModel):
    ready: bool
    problems: list[ReadinessProblem]


class AttachmentOut(Schema):
    id: int
    innovation_id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by_id: int | None
    created_at: datetime


class AdministrativeReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    passed: StrictBool
    checks: dict[str, StrictBool] = Field(
        description="A boolean for every key of the competition's administrative checklist."
    )
    notes: str = Field(default="", max_length=10_000, description="Required when not passed.")
