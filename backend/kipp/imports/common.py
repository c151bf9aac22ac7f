"""What every import shares: the report, reading the table, checking rows with the API's own
models, duplicate keys and the one audit event per import.

Every import is idempotent by its natural key and all-or-nothing: the whole file is read and
checked first, and only a file without a single error is written. A row is checked by the same
pydantic model the API validates a request body with (``AgencyIn``, ``UserIn``,
``InnovationCreate``), so a file cannot hold what the API would refuse and no limit is copied
here; the model's errors are reported on the row and column they come from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy.orm import Session

from kipp.audit import service as audit_service
from kipp.field_errors import message_of
from kipp.i18n import Msg, Text
from kipp.imports import parsing
from kipp.imports.parsing import RowError, Table
from kipp.models import User

Model = TypeVar("Model", bound=BaseModel)


@dataclass
class ImportReport:
    """What an import did (or, on a dry run or with errors, would do)."""

    kind: str
    dry_run: bool
    created_keys: list[str] = field(default_factory=list)
    updated_keys: list[str] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def created(self) -> int:
        return len(self.created_keys)

    @property
    def updated(self) -> int:
        return len(self.updated_keys)

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.errors


REQUIRED = Msg(id="wajib diisi", en="required")


def _message(error: ErrorDetails, hints: Mapping[str, Msg], column: str) -> tuple[str, Msg]:
    """The model's complaint as a spreadsheet user reads it, with its code."""
    kind = error["type"]
    if kind == "missing" or (
        kind == "string_too_short" and error.get("ctx", {}).get("min_length") == 1
    ):
        return "missing", REQUIRED
    if kind == "string_pattern_mismatch" and column in hints:
        return kind, hints[column]
    return message_of(error)


class Rows:
    """Collects a file's row errors while the rows are checked.

    ``columns`` names the file's column for a model field where they differ (``agency_id`` is
    given as ``agency_code``); ``hints`` words a pattern a column must match.
    """

    def __init__(
        self,
        *,
        columns: Mapping[str, str] | None = None,
        hints: Mapping[str, Msg] | None = None,
    ) -> None:
        self.errors: list[RowError] = []
        self.columns = dict(columns or {})
        self.hints = dict(hints or {})

    def error(self, row: int, column: str, code: str, message: Text) -> None:
        self.errors.append(RowError(row, column, code, message))

    def required(self, row: int, values: Mapping[str, str], *columns: str) -> bool:
        """Whether every one of ``columns`` is given (an error on each one left blank)."""
        blank = [c for c in columns if not values.get(c)]
        for column in blank:
            self.error(row, column, "missing", REQUIRED)
        return not blank

    def column(self, loc: tuple[int | str, ...]) -> str:
        """The file's column of a model error location (``sections.x`` is ``section.x``)."""
        name = str(loc[0]) if loc else "row"
        if name == "sections" and len(loc) > 1:
            return f"section.{loc[1]}"
        return self.columns.get(name, name)

    def validate(self, model: type[Model], row: int, data: Mapping[str, Any]) -> Model | None:
        """``data`` as ``model``, or None with every problem reported on the row."""
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                column = self.column(error["loc"])
                self.error(row, column, *_message(error, self.hints, column))
            return None


def no_agency_with(code: str) -> Msg:
    return Msg(
        id="tidak ada perangkat daerah dengan kode {code!r}", en="no agency has the code {code!r}"
    ).format(code=code)


def given(values: Mapping[str, str], columns: Iterable[str]) -> dict[str, str]:
    """The cells of ``columns`` the row fills in: a blank cell is left to the model's default
    (or reported as required when the model has none)."""
    return {c: values[c] for c in columns if values.get(c)}


def read(body: bytes, fmt: str, *, required: Iterable[str], optional: Iterable[str]) -> Table:
    """Parse and check the columns; a ParseError carries every problem found."""
    table = parsing.parse(body, fmt=fmt)
    errors = parsing.column_errors(table.columns, required=list(required), optional=list(optional))
    if errors:
        raise parsing.ParseError(errors)
    if not table.rows:
        raise parsing.ParseError(
            [
                parsing.RowError(
                    0,
                    "body",
                    "no_rows",
                    Msg(id="berkas tidak memiliki baris data", en="the file has no data rows"),
                )
            ]
        )
    return table


def duplicates(
    rows: Iterable[tuple[int, str]], *, column: str, describe: Callable[[str], Msg]
) -> list[RowError]:
    """An error on every row whose key another row of the file also has, naming the others."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for number, key in rows:
        if key:
            by_key[key].append(number)
    errors: list[RowError] = []
    for key, numbers in by_key.items():
        if len(numbers) < 2:
            continue
        for number in numbers:
            others = ", ".join(str(n) for n in numbers if n != number)
            message = Msg(
                id="{what} ganda: juga ada di baris {others}",
                en="duplicate {what}: also on row {others}",
            ).format(what=describe(key), others=others)
            errors.append(RowError(number, column, "duplicate", message))

    return errors


def finish(report: ImportReport, checker: Rows, repeated: list[RowError]) -> None:
    """Every error of the file, in row order."""
    report.errors = sorted([*checker.errors, *repeated], key=lambda e: (e.row, e.field))


def audit(
    *,
    session: Session,
    actor: User,
    report: ImportReport,
    competition_id: int | None = None,
) -> None:
    """One audit event per import, naming every key it created or updated."""
    audit_service.record(
        session=session,
        actor=actor,
        action=f"import.{report.kind}",
        entity_type="import",
        entity_id=None,
        competition_id=competition_id,
        after={
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "created_keys": report.created_keys,
            "updated_keys": report.updated_keys,
        },
    )
