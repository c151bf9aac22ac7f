"""Sustainability reports, their evidence, the organiser's overview and replications."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from kipp.afterlife.calendar import YearState
from kipp.schemas import Id, OneLineText, Schema

ReportStatus = Literal["running", "stopped"]
Line = Annotated[str, StringConstraints(strip_whitespace=True), OneLineText]
LongText = Annotated[str, StringConstraints(max_length=5000)]


class ReportFields(BaseModel):
    """What a report says about one year."""

    model_config = ConfigDict(extra="forbid")

    status: ReportStatus = Field(description="`running`: still in use; `stopped`: no longer.")
    budget_source: Annotated[Line, StringConstraints(max_length=200)] = Field(
        default="", examples=["APBD"], description="Who pays: APBD, APBDes, CSR, none, …"
    )
    regulation: Annotated[Line, StringConstraints(max_length=300)] = Field(
        default="", examples=["Perbup No. 12/2022"], description="The regulation behind it."
    )
    people_served: int | None = Field(default=None, ge=0, le=1_000_000_000)
    notes: LongText = ""


class ReportIn(ReportFields):
    """A new report: the year it is about, after the announcement's year and not in the
    future; one per year."""

    year: int = Field(ge=1900, le=9999, examples=[2023])


class EvidenceOut(Schema):
    id: int
    report_id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by_id: int | None
    created_at: datetime


class ReportOut(BaseModel):
    id: int
    innovation_id: int
    year: int
    status: ReportStatus
    budget_source: str
    regulation: str
    people_served: int | None
    notes: str
    submitted_by_id: int | None
    submitted_by_name: str | None
    created_at: datetime
    updated_at: datetime
    evidence: list[EvidenceOut]


class ReportsOut(BaseModel):
    """An innovation's reports, newest year first, and what is still open to report."""

    items: list[ReportOut]
    total: int
    reporting: bool = Field(
        description="Whether the innovation reports at all (a winner of an announced competition)."
    )
    first_year: int | None = Field(description="The first year to report on (null: none).")
    open_years: list[int] = Field(description="Years that may still be filed (not yet filed).")
    missing_years: list[int] = Field(description="Years due and not filed.")
    due_month: int = Field(description="The month of the next year from which a report is due.")


class YearCell(BaseModel):
    year: int
    state: YearState
    status: ReportStatus | None = None
    people_served: int | None = None


class WinnerSustainability(BaseModel):
    innovation_id: int
    title: str
    agency_code: str
    agency_name: str
    years: list[YearCell]


class CompetitionSustainabilityOut(BaseModel):
    """The winners of a competition and, per year since the award, filed or missing."""

    competition_id: int
    announced_year: int | None
    due_month: int
    years: list[int]
    winners: list[WinnerSustainability]


class ReplicationIn(BaseModel):
    """Another organisation took the innovation up. ``adopter`` defaults to the recorder's
    agency (or organisation); ``name`` to the replica's title when ``replica_innovation_id``
    names it."""

    model_config = ConfigDict(extra="forbid")

    adopter: Annotated[Line, StringConstraints(max_length=200)] | None = Field(
        default=None, examples=["Dinas Kesehatan Kabupaten Luwu Timur"]
    )
    name: Annotated[Line, StringConstraints(max_length=300)] | None = Field(
        default=None, examples=["Hypnogreen"]
    )
    started_on: date | None = None
    changes: LongText = ""
    replica_innovation_id: Id | None = None


class ReplicationOut(BaseModel):
    id: int
    innovation_id: int
    innovation_title: str
    organisation_id: int
    organisation_name: str
    adopter: str
    name: str
    started_on: date | None
    changes: str
    replica_innovation_id: int | None = Field(
        description="The replica in KIPP, when the reader may see it."
    )
    replica_title: str | None
    recorded_by_id: int | None
    created_at: datetime
    can_delete: bool


class ReplicationsOut(BaseModel):
    """The replications of an innovation, and what it is itself a replication of."""

    items: list[ReplicationOut]
    total: int
    replica_of: list[ReplicationOut]
