from __future__ import annotations

from pydantic import BaseModel, Field


class ImportRowError(BaseModel):
    row: int = Field(description="1-based data row; 0 is the header or the file as a whole")
    field: str = Field(description="the column (or `body` for the file as a whole)")
    code: str = Field(
        description="a stable machine code: pydantic's error type (`missing`, "
        "`string_too_long`, …) or the importer's (`duplicate`, `no_such_agency`, "
        "`column_unknown`, `not_utf8`, …)"
    )
    message: str = Field(description="what is wrong, in the language of Accept-Language")


class ImportReport(BaseModel):
    created: int
    updated: int
    unchanged: int
    errors: list[ImportRowError]
    dry_run: bool


class ImportProblem(ImportReport):
    """problem+json of a refused import: every row error, and the counts of the valid rows."""

    type: str
    title: str
    status: int
    detail: str | None = None
