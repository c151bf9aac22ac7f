"""Tabular downloads: one header row and data rows, as CSV (Excel-friendly) or XLSX.

Every export of KIPP goes through these two functions, so every download looks the same:
UTF-8 with a BOM (Excel then shows Indonesian names right), ISO dates, ``None`` as an empty
cell, and text that a spreadsheet would run as a formula defused (CSV/formula injection).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from urllib.parse import quote

from fastapi import Response
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A cell starting with one of these is run as a formula by Excel/LibreOffice.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_MAX_COLUMN_WIDTH = 60
_MIN_COLUMN_WIDTH = 8
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _defuse(text: str) -> str:
    """Prefix formula-looking text with an apostrophe so a spreadsheet shows it as text."""
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def _plain(value: object) -> object:
    """A cell value reduced to str/int/float/bool/None; dates and times as ISO 8601."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Enum):
        return _plain(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(_plain(v)) for v in value)
    return str(value)


def _csv_cell(value: object) -> object:
    plain = _plain(value)
    if plain is None:
        return ""
    if isinstance(plain, bool):
        return "true" if plain else "false"
    if isinstance(plain, str):
        return _defuse(plain)
    return plain


def _xlsx_cell(value: object) -> object:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value  # a real date cell; formatted ISO below
    plain = _plain(value)
    if isinstance(plain, str):
        return _defuse(ILLEGAL_CHARACTERS_RE.sub("", plain))
    return plain


def _content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact UTF-8 name (RFC 6266)."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]", "_", ascii_name).strip() or "export"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def csv_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> Response:
    """A CSV download: UTF-8 with BOM, comma-separated, CRLF line ends, header row first."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(list(header))
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return Response(
        content=buffer.getvalue().encode("utf-8"),
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": _content_disposition(filename)},
    )


def _sheet_title(sheet: str) -> str:
    title = _SHEET_TITLE_FORBIDDEN.sub(" ", sheet).strip()[:31]
    return title or "Sheet1"


def xlsx_response(
    *, filename: str, sheet: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> Response:
    """An XLSX download: one sheet, bold frozen header row, columns sized to their content."""
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None  # a new Workbook always has one sheet
    worksheet.title = _sheet_title(sheet)
    widths = [len(str(h)) for h in header]
    worksheet.append([str(h) for h in header])
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        values = [_xlsx_cell(v) for v in row]
        worksheet.append(values)
        for index, value in enumerate(values):
            length = len(value.isoformat() if isinstance(value, date) else str(value or ""))
            if index < len(widths):
                widths[index] = max(widths[index], length)
            else:
                widths.append(length)
    for row_cells in worksheet.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, date) and not isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd"
            elif cell.data_type == "f":  # defused text never starts with "=", but be sure
                cell.data_type = "s"
    for index, width in enumerate(widths, start=1):
        clamped = min(max(width + 2, _MIN_COLUMN_WIDTH), _MAX_COLUMN_WIDTH)
        worksheet.column_dimensions[get_column_letter(index)].width = clamped
    worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Response(
        content=buffer.getvalue(),
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": _content_disposition(filename)},
    )
