"""Turn an uploaded CSV or JSON body into rows of text, or say precisely what is wrong with it.

Pure: no database. Rows are numbered as a spreadsheet user counts them: the header is row 0
and the first data row is row 1 (in a JSON array, the first object is row 1). A problem with
the file as a whole (encoding, empty body, header) is reported on row 0.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

CSV = "csv"
JSON = "json"
_BOM = "\ufeff"


@dataclass(frozen=True)
class RowError:
    """One problem: the 1-based data row (0 for the file or its header), the column, why."""

    row: int
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


class ParseError(Exception):
    """The body cannot be read as a table at all; carries every problem found."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__("; ".join(f"row {e.row} {e.field}: {e.message}" for e in errors))
        self.errors = list(errors)


@dataclass
class Table:
    """The body as rows of stripped text, keyed by column name.

    A CSV row has every column of the header; a JSON object only the keys it has, so a field
    it leaves out can mean "leave as it is". ``rows`` holds (row number, values) pairs; blank
    CSV lines are skipped but still counted, so row numbers match the spreadsheet.
    """

    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def decode_utf8(body: bytes) -> str:
    """The body as text; a UTF-8 BOM is dropped. Not UTF-8 → ParseError with the byte offset."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n")
        raise ParseError(
            [
                RowError(
                    line,
                    "body",
                    f"the file is not UTF-8: byte 0x{body[exc.start]:02x} at byte offset "
                    f"{exc.start} (line {line + 1}) cannot be decoded; save it as "
                    "“CSV UTF-8” or UTF-8 text",
                )
            ]
        ) from None
    return text.removeprefix(_BOM)


def _delimiter(header_line: str) -> str:
    """Excel in an Indonesian locale saves CSV with ";" (the comma is the decimal mark)."""
    if "," not in header_line and ";" in header_line:
        return ";"
    return ","


def parse_csv(body: bytes) -> Table:
    """A CSV table: header row first, comma- (or semicolon-) separated, UTF-8."""
    text = decode_utf8(body)
    if not text.strip():
        raise ParseError([RowError(0, "body", "the file is empty: expected a header row")])
    first_line = text.lstrip("\r\n").splitlines()[0]
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
        records = list(reader)
    except csv.Error as exc:
        raise ParseError([RowError(0, "body", f"the CSV cannot be read: {exc}")]) from None
    while records and not any(cell.strip() for cell in records[0]):
        records.pop(0)  # blank lines before the header
    if not records:  # only separators and blanks, e.g. ",,\n"
        raise ParseError([RowError(0, "body", "the file is empty: expected a header row")])
    header = [cell.strip() for cell in records[0]]
    errors = _header_errors(header)
    if errors:
        raise ParseError(errors)
    table = Table(columns=header)
    for number, record in enumerate(records[1:], start=1):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            errors.append(
                RowError(
                    number,
                    "row",
                    f"has {len(record)} cells but the header has {len(header)} columns",
                )
            )
            continue
        table.rows.append((number, {c: v.strip() for c, v in zip(header, record, strict=True)}))
    if errors:
        raise ParseError(errors)
    return table


def _header_errors(header: Sequence[str]) -> list[RowError]:
    errors: list[RowError] = []
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if not name:
            errors.append(RowError(0, f"column {position}", "the header cell is empty"))
        elif name in seen:
            errors.append(RowError(0, name, "the column appears twice in the header"))
        seen.add(name)
    return errors


def _json_text(value: Any) -> str | None:
    """A JSON value as cell text: strings as they are, numbers as written, lists joined by ";"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(v.strip() for v in value)
    return None


def parse_json(body: bytes, *, nested: Collection[str] = ("section",)) -> Table:
    """A JSON array of objects. An object under a key in ``nested`` (plural accepted:
    ``"sections": {"ringkasan": …}``) is flattened to ``section.ringkasan`` columns."""
    text = decode_utf8(body)
    if not text.strip():
        raise ParseError([RowError(0, "body", "the body is empty: expected a JSON array")])
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            [
                RowError(
                    0, "body", f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
                )
            ]
        ) from None
    if not isinstance(document, list):
        raise ParseError(
            [RowError(0, "body", f"expected a JSON array of objects, got {_kind(document)}")]
        )
    columns: dict[str, None] = {}
    table = Table(columns=[])
    errors: list[RowError] = []
    for number, item in enumerate(document, start=1):
        if not isinstance(item, dict):
            errors.append(RowError(number, "row", f"expected an object, got {_kind(item)}"))
            continue
        values: dict[str, str] = {}
        for key, value in item.items():
            prefix = key[:-1] if key.endswith("s") and key[:-1] in nested else key
            if prefix in nested and isinstance(value, dict):
                for sub_key, sub_value in value.items():
                    _json_cell(values, errors, number, f"{prefix}.{sub_key}", sub_value)
                continue
            _json_cell(values, errors, number, key, value)
        columns.update(dict.fromkeys(values))
        table.rows.append((number, values))
    if errors:
        raise ParseError(errors)
    table.columns = list(columns)
    return table


def _json_cell(
    values: dict[str, str], errors: list[RowError], number: int, key: str, value: Any
) -> None:
    text = _json_text(value)
    if text is None:
        errors.append(RowError(number, key, f"expected text, got {_kind(value)}"))
    else:
        values[key] = text


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


def parse(body: bytes, *, fmt: str) -> Table:
    """Parse ``body`` as ``fmt`` (``csv`` or ``json``)."""
    return parse_csv(body) if fmt == CSV else parse_json(body)


def column_errors(
    columns: Sequence[str],
    *,
    required: Collection[str],
    optional: Collection[str],
) -> list[RowError]:
    """Header problems (row 0): every required column missing and every unknown one, named."""
    errors = [
        RowError(0, name, "required column is missing") for name in required if name not in columns
    ]
    known = set(required) | set(optional)
    for name in columns:
        if name not in known:
            hint = f"; the columns are {', '.join([*required, *optional])}"
            errors.append(RowError(0, name, "unknown column" + hint))
    return errors
