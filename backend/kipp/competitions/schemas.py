"""Request and response shapes of competitions and their stages."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from kipp.competitions import defaults, stages
from kipp.competitions.levels import LevelName
from kipp.field_errors import FieldValueError
from kipp.i18n import Msg
from kipp.models import Competition
from kipp.schemas import Id, OneLineText

Level = LevelName
AggregationMethod = Literal["mean", "trimmed_mean", "median", "zscore", "judge_effects"]
Group = Literal["umum", "replikasi", "khusus"]

KEY_PATTERN = r"^[a-z][a-z0-9_]{0,49}$"


def _valid_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise FieldValueError(
            Msg(
                id="Bukan zona waktu IANA (contoh: Asia/Makassar, Asia/Jakarta).",
                en="Not an IANA time zone (e.g. Asia/Makassar, Asia/Jakarta).",
            ),
            code="timezone_unknown",
        ) from None
    return name


Timezone = Annotated[
    str,
    Field(min_length=1, max_length=64, examples=["Asia/Makassar"]),
    AfterValidator(_valid_timezone),
]


def _unique_keys(items: list[Any], what: str) -> None:
    keys = [item.key for item in items]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise FieldValueError(
            Msg(
                id="Kunci {what} harus unik; yang berulang: {keys}.",
                en="{what} keys must be unique; repeated: {keys}.",
            ).format(what=what, keys=", ".join(duplicates)),
            code="duplicate_key",
        )


class Strict(BaseModel):
    """Input shapes refuse unknown fields, so a typo is an error rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")


class TemplateSection(Strict):
    key: str = Field(pattern=KEY_PATTERN, examples=["ringkasan"])
    title: Annotated[str, OneLineText] = Field(min_length=1, max_length=200)
    max_words: int = Field(ge=1, le=10_000)
    required: bool = True
    groups: list[Group] = Field(min_length=1)
    public: bool = Field(
        default=False,
        description="Shown in the public summary of an eligible innovation, so that an "
        "objection is informed.",
    )


class MinAgeYears(Strict):
    umum: int = Field(default=2, ge=0, le=50)
    replikasi: int = Field(default=1, ge=0, le=50)
    khusus: int = Field(default=2, ge=0, le=50)


class ProposalTemplate(Strict):
    """Sections of the proposal per group, the minimum age of an innovation, attachments."""

    sections: list[TemplateSection] = Field(min_length=1)
    min_age_years: MinAgeYears = Field(default_factory=MinAgeYears)
    required_attachments: int = Field(default=0, ge=0, le=50)

    @model_validator(mode="after")
    def _sections_unique(self) -> Self:
        _unique_keys(self.sections, "section")
        return self


class ChecklistItem(Strict):
    key: str = Field(pattern=KEY_PATTERN, examples=["proposal_complete"])
    label: str = Field(min_length=1, max_length=300)


def _unique_checklist(items: list[ChecklistItem]) -> list[ChecklistItem]:
    _unique_keys(items, "checklist")
    return items


AdminChecklist = Annotated[list[ChecklistItem], AfterValidator(_unique_checklist)]


class StageIn(Strict):
    """One stage window; times need an offset (``2021-10-11T00:00:00+08:00``)."""

    key: str = Field(max_length=20, examples=["submission"])
    name: str | None = Field(default=None, min_length=1, max_length=100)
    starts_at: AwareDatetime
    ends_at: AwareDatetime


class StagePatch(Strict):
    """A change to one stage, named by key; what is left out stays as it is."""

    key: str = Field(max_length=20, examples=["submission"])
    name: str | None = Field(default=None, min_length=1, max_length=100)
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None


class CompetitionIn(Strict):
    name: Annotated[str, OneLineText] = Field(
        min_length=1, max_length=200, examples=["KIPP Kabupaten Luwu Utara 2021"]
    )
    year: int = Field(ge=2000, le=2100)
    level: Level = "kabupaten"
    region: str = Field(min_length=1, max_length=200, examples=["Kabupaten Luwu Utara"])
    description: str = Field(default="", max_length=10_000)
    timezone: Timezone = "Asia/Makassar"
    top_n: int = Field(default=7, ge=1, le=1000)
    honourable_mentions: int = Field(default=0, ge=0, le=1000)
    min_judges: int = Field(default=1, ge=1, le=100)
    aggregation_method: AggregationMethod = "judge_effects"  # new competitions
    objection_days: int = Field(default=5, ge=0, le=365)
    agency_quota: int | None = Field(default=None, ge=1, le=10_000)
    published: bool = False
    parent_competition_id: int | None = Field(
        default=None,
        ge=1,
        description="The competition of the next level that this one feeds (published, of a "
        "higher level: kabupaten/kota → provinsi/kementerian → nasional); its TOP N may be "
        "promoted there after the announcement.",
    )
    proposal_template: ProposalTemplate = Field(
        default_factory=lambda: ProposalTemplate.model_validate(
            defaults.default_proposal_template()
        )
    )
    admin_checklist: AdminChecklist = Field(
        default_factory=lambda: [
            ChecklistItem.model_validate(item) for item in defaults.default_admin_checklist()
        ]
    )
    stages: list[StageIn] = Field(min_length=1, max_length=len(defaults.STAGE_KEYS))
    organisation_id: Id | None = Field(
        default=None,
        description="The organisation holding it: only the platform admin names one; left "
        "out, the caller's own.",
    )


# Fields a PATCH may set to null; every other field left out stays, and null is refused.
NULLABLE_FIELDS = frozenset({"agency_quota", "parent_competition_id"})


class CompetitionPatch(Strict):
    """Any field of a competition (not ``current_stage``: that moves only by ``advance``).

    ``stages`` lists only the stages that change; the five windows that result must still be
    in order and not overlap. ``version``, when given, refuses (409) a change made on a stale copy.
    """

    name: Annotated[str, OneLineText] | None = Field(default=None, min_length=1, max_length=200)
    year: int | None = Field(default=None, ge=2000, le=2100)
    level: Level | None = None
    region: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=10_000)
    timezone: Timezone | None = None
    top_n: int | None = Field(default=None, ge=1, le=1000)
    honourable_mentions: int | None = Field(default=None, ge=0, le=1000)
    min_judges: int | None = Field(default=None, ge=1, le=100)
    aggregation_method: AggregationMethod | None = None
    objection_days: int | None = Field(default=None, ge=0, le=365)
    agency_quota: int | None = Field(default=None, ge=1, le=10_000)
    published: bool | None = None
    parent_competition_id: int | None = Field(
        default=None, ge=1, description="The next-level competition this one feeds; null: none."
    )
    proposal_template: ProposalTemplate | None = None
    admin_checklist: AdminChecklist | None = None
    stages: list[StagePatch] | None = Field(default=None, min_length=1)
    version: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _no_null_for_required_fields(self) -> Self:
        nulled = sorted(
            name for name in self.model_fields_set - NULLABLE_FIELDS if getattr(self, name) is None
        )
        if nulled:
            raise FieldValueError(
                Msg(id="Tidak boleh null: {names}.", en="May not be null: {names}.").format(
                    names=", ".join(nulled)
                ),
                code="null_forbidden",
            )

        return self


class StageOut(BaseModel):
    key: str
    name: str
    position: int
    starts_at: datetime
    ends_at: datetime
    state: stages.StageState
    open: bool = Field(description="The window is open now (starts_at <= now < ends_at).")


class CompetitionParent(BaseModel):
    """The competition of the next level that a competition feeds."""

    id: int
    name: str
    year: int
    level: str
    organisation_name: str


class CompetitionOut(BaseModel):
    id: int
    organisation_id: int
    name: str
    year: int
    level: str
    region: str
    description: str
    timezone: str
    top_n: int
    honourable_mentions: int
    min_judges: int
    aggregation_method: str
    objection_days: int
    agency_quota: int | None
    published: bool
    parent: CompetitionParent | None = Field(
        description="The next-level competition this one feeds (its TOP N may be promoted "
        "there), or null"
    )
    proposal_template: ProposalTemplate
    admin_checklist: list[ChecklistItem]
    current_stage: str
    next_stage: str | None
    stages: list[StageOut]
    announced_at: datetime | None
    finalised_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(
        cls, competition: Competition, *, now: datetime, parent: CompetitionParent | None = None
    ) -> CompetitionOut:
        """Render times in the competition's own offset (``+08:00`` for WITA)."""
        zone = ZoneInfo(competition.timezone)

        def local(moment: datetime) -> datetime:
            return moment.astimezone(zone)

        return cls(
            id=competition.id,
            organisation_id=competition.organisation_id,
            name=competition.name,
            year=competition.year,
            level=competition.level,
            region=competition.region,
            description=competition.description,
            timezone=competition.timezone,
            top_n=competition.top_n,
            honourable_mentions=competition.honourable_mentions,
            min_judges=competition.min_judges,
            aggregation_method=competition.aggregation_method,
            objection_days=competition.objection_days,
            agency_quota=competition.agency_quota,
            published=competition.published,
            parent=parent,
            proposal_template=ProposalTemplate.model_validate(competition.proposal_template),
            admin_checklist=[
                ChecklistItem.model_validate(item) for item in competition.admin_checklist
            ],
            current_stage=competition.current_stage,
            next_stage=stages.next_stage(competition.current_stage),
            stages=[
                StageOut(
                    key=stage.key,
                    name=stage.name,
                    position=stage.position,
                    starts_at=local(stage.starts_at),
                    ends_at=local(stage.ends_at),
                    state=stages.stage_state(competition.current_stage, stage.key),
                    open=stages.window_open(stage, now),
                )
                for stage in competition.stages
            ],
            announced_at=local(competition.announced_at) if competition.announced_at else None,
            finalised_at=local(competition.finalised_at) if competition.finalised_at else None,
            version=competition.version,
            created_at=local(competition.created_at),
            updated_at=local(competition.updated_at),
        )
