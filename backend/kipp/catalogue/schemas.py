"""What the public catalogue shows: search results and one innovation's public page."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from kipp.innovations.schemas import PublicSection


class CatalogueOrganisation(BaseModel):
    id: int
    slug: str
    name: str
    level: str


class CatalogueCompetition(BaseModel):
    id: int
    name: str
    year: int
    level: str


class CatalogueAgency(BaseModel):
    id: int
    code: str
    name: str


class CatalogueItem(BaseModel):
    """One innovation in the catalogue's results."""

    id: int
    title: str
    group: str
    category: str
    status: str = Field(
        description="As the public sees it: `eligible` until the competition's TOP N is "
        "announced, then `nominated`, `not_nominated` or `winner`."
    )
    award: str | None = Field(
        description="`winner` (final), `nominee` (announced TOP N, objection period not over), "
        "`honourable_mention`, or null."
    )
    promoted_to: list[CatalogueCompetition] = Field(
        description="The next level's competitions it was promoted into (published ones), "
        "oldest first; the `award=promoted` filter finds these."
    )
    sustainability: str = Field(
        description="The status of the latest sustainability report: `running`, `stopped`, "
        "or `unreported`."
    )
    excerpt: str = Field(description="The start of its first public section.")
    organisation: CatalogueOrganisation
    competition: CatalogueCompetition
    agency: CatalogueAgency


class CataloguePage(BaseModel):
    items: list[CatalogueItem]
    total: int
    limit: int
    offset: int
    sort: str = Field(description="The order applied: `relevance`, `newest` or `title`.")


class SustainabilityYear(BaseModel):
    year: int
    status: str = Field(description="`running` or `stopped`.")


class CatalogueLink(BaseModel):
    """The other innovation of a replication, when it is in the catalogue itself."""

    id: int
    title: str
    organisation: CatalogueOrganisation


class CatalogueReplicationOut(BaseModel):
    """A replication seen from one side: `replicated_by` (others took this innovation up) or
    `replicated_from` (this innovation replicates another)."""

    organisation: CatalogueOrganisation = Field(description="Who replicated it.")
    adopter: str = Field(description="The agency or unit that runs the replica.")
    name: str = Field(description="The replica's name.")
    started_on: date | None
    changes: str = Field(description="What the replica changed.")
    innovation: CatalogueLink | None = Field(
        description="The innovation at the other end, when it is in the catalogue."
    )


class CatalogueInnovation(CatalogueItem):
    """An innovation's public page: what its template marks public, its award, its yearly
    sustainability and its replications both ways."""

    sections: list[PublicSection]
    sustainability_years: list[SustainabilityYear] = Field(
        description="The latest status of each reported year, newest first."
    )
    replicated_by: list[CatalogueReplicationOut]
    replicated_from: list[CatalogueReplicationOut]
