from __future__ import annotations

from pydantic import BaseModel, Field


class ImportRowError(BaseModel):
    row: int = Field(description="1-based data row; 0 is the header or the file as a whole")
    field: str = Field(description="the column (or `body` for the file as a whole)")
    message: str


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
