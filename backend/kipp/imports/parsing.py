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

from kipp.i18n import Msg, Text

CSV = "csv"
JSON = "json"
_BOM = "\ufeff"


@dataclass(frozen=True)
class RowError:
    """One problem: the 1-based data row (0 for the file or its header), the column, a
    stable code and why (in both languages)."""

    row: int
    field: str
    code: str
    message: Text

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "code": self.code, "message": self.message}


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
                    "not_utf8",
                    Msg(
                        id="Berkas bukan UTF-8: bita 0x{byte} pada posisi bita {offset} (baris "
                        "{line}) tidak dapat dibaca; simpan sebagai “CSV UTF-8” atau teks UTF-8",
                        en="the file is not UTF-8: byte 0x{byte} at byte offset {offset} (line "
                        "{line}) cannot be decoded; save it as “CSV UTF-8” or UTF-8 text",
                    ).format(byte=f"{body[exc.start]:02x}", offset=exc.start, line=line + 1),
                )
            ]
        ) from None
    return text.removeprefix(_BOM)


_EMPTY_CSV = Msg(
    id="berkas kosong: diharapkan baris judul", en="the file is empty: expected a header row"
)


def _delimiter(header_line: str) -> str:
    """Excel in an Indonesian locale saves CSV with ";" (the comma is the decimal mark)."""
    if "," not in header_line and ";" in header_line:
        return ";"
    return ","


def parse_csv(body: bytes) -> Table:
    """A CSV table: header row first, comma- (or semicolon-) separated, UTF-8."""
    text = decode_utf8(body)
    if not text.strip():
        raise ParseError([RowError(0, "body", "empty", _EMPTY_CSV)])
    first_line = text.lstrip("\r\n").splitlines()[0]
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
        records = list(reader)
    except csv.Error as exc:
        raise ParseError(
            [
                RowError(
                    0,
                    "body",
                    "csv_invalid",
                    Msg(
                        id="CSV tidak dapat dibaca: {why}", en="the CSV cannot be read: {why}"
                    ).format(why=exc),
                )
            ]
        ) from None
    while records and not any(cell.strip() for cell in records[0]):
        records.pop(0)  # blank lines before the header
    if not records:  # only separators and blanks, e.g. ",,\n"
        raise ParseError([RowError(0, "body", "empty", _EMPTY_CSV)])
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
                    "cell_count",
                    Msg(
                        id="berisi {cells} sel, sedangkan baris judul memiliki {columns} kolom",
                        en="has {cells} cells but the header has {columns} columns",
                    ).format(cells=len(record), columns=len(header)),
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
            errors.append(
                RowError(
                    0,
                    f"column {position}",
                    "header_empty",
                    Msg(id="sel judul kolom kosong", en="the header cell is empty"),
                )
            )
        elif name in seen:
            errors.append(
                RowError(
                    0,
                    name,
                    "column_twice",
                    Msg(
                        id="kolom ini muncul dua kali di baris judul",
                        en="the column appears twice in the header",
                    ),
                )
            )
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
        raise ParseError(
            [
                RowError(
                    0,
                    "body",
                    "empty",
                    Msg(
                        id="isi permintaan kosong: diharapkan larik JSON",
                        en="the body is empty: expected a JSON array",
                    ),
                )
            ]
        )
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            [
                RowError(
                    0,
                    "body",
                    "json_invalid",
                    Msg(
                        id="bukan JSON yang sah: {why} pada baris {line}, kolom {column}",
                        en="not valid JSON: {why} at line {line}, column {column}",
                    ).format(why=exc.msg, line=exc.lineno, column=exc.colno),
                )
            ]
        ) from None
    if not isinstance(document, list):
        raise ParseError(
            [
                RowError(
                    0,
                    "body",
                    "json_not_array",
                    Msg(
                        id="diharapkan larik objek JSON, yang diterima {kind}",
                        en="expected a JSON array of objects, got {kind}",
                    ).format(kind=_kind(document)),
                )
            ]
        )
    columns: dict[str, None] = {}
    table = Table(columns=[])
    errors: list[RowError] = []
    for number, item in enumerate(document, start=1):
        if not isinstance(item, dict):
            errors.append(
                RowError(
                    number,
                    "row",
                    "json_not_object",
                    Msg(
                        id="diharapkan objek, yang diterima {kind}",
                        en="expected an object, got {kind}",
                    ).format(kind=_kind(item)),
                )
            )
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
        errors.append(
            RowError(
                number,
                key,
                "json_not_text",
                Msg(
                    id="diharapkan teks, yang diterima {kind}", en="expected text, got {kind}"
                ).format(kind=_kind(value)),
            )
        )
    else:
        values[key] = text


_KINDS: dict[type, Msg] = {
    dict: Msg(id="objek", en="an object"),
    list: Msg(id="larik", en="an array"),
    str: Msg(id="teks", en="a string"),
    bool: Msg(id="nilai boolean", en="a boolean"),
    int: Msg(id="angka", en="a number"),
    float: Msg(id="angka", en="a number"),
}


def _kind(value: Any) -> Msg:
    if value is None:
        return Msg(id="null", en="null")
    name = type(value).__name__
    return _KINDS.get(type(value), Msg(id=name, en=name))


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
        RowError(
            0,
            name,
            "column_missing",
            Msg(id="kolom wajib tidak ada", en="required column is missing"),
        )
        for name in required
        if name not in columns
    ]
    known = set(required) | set(optional)
    for name in columns:
        if name not in known:
            message = Msg(
                id="kolom tidak dikenal; kolomnya adalah {columns}",
                en="unknown column; the columns are {columns}",
            ).format(columns=", ".join([*required, *optional]))
            errors.append(RowError(0, name, "column_unknown", message))
    return errors
