"""Tabular downloads: one header row and data rows, as CSV (Excel-friendly) or XLSX.

Every export of KIPP goes through these two functions, so every download looks the same:
UTF-8 with a BOM (Excel then shows Indonesian names right), ISO dates, ``None`` as an empty
cell, and text that a spreadsheet would run as a formula defused (CSV/formula injection).

Both stream: rows are consumed one at a time from the table's iterator (which may be a
database cursor), CSV written out in small batches, XLSX through openpyxl's write-only mode
(rows spooled to a temporary file, then sent in chunks), so memory does not grow with rows.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import IO
from urllib.parse import quote

from fastapi.responses import StreamingResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kipp.tables import Table, defuse

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_MAX_COLUMN_WIDTH = 60
_MIN_COLUMN_WIDTH = 8
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_CSV_BATCH = 2000  # rows per chunk sent: big enough to be fast, small enough to stay flat
_WIDTH_SAMPLE = 200  # XLSX column widths from the header and this many first rows
_FILE_CHUNK = 64 * 1024


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
        return defuse(plain)
    return plain


def _xlsx_cell(value: object) -> object:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value  # a real date cell; formatted ISO below
    plain = _plain(value)
    if isinstance(plain, str):
        return defuse(ILLEGAL_CHARACTERS_RE.sub("", plain))
    return plain


def _content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact UTF-8 name (RFC 6266)."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]", "_", ascii_name).strip() or "export"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def csv_chunks(table: Table) -> Iterator[bytes]:
    """The CSV's bytes, a batch of rows at a time: BOM, the preamble as a ``#`` comment row,
    the header, the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    if table.preamble:
        writer.writerow([f"# {table.preamble}"])
    writer.writerow(list(table.header))
    rows = iter(table.rows)
    while batch := list(itertools.islice(rows, _CSV_BATCH)):
        if table.plain:
            writer.writerows(batch)
        else:
            writer.writerows([_csv_cell(v) for v in row] for row in batch)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def csv_response(*, filename: str, table: Table) -> StreamingResponse:
    """A CSV download, streamed: UTF-8 with BOM, comma-separated, CRLF line ends."""
    return csv_download(filename=filename, chunks=csv_chunks(table))


def csv_download(*, filename: str, chunks: Iterator[bytes]) -> StreamingResponse:
    """A download of CSV bytes made as they are sent (:func:`csv_chunks`)."""
    return StreamingResponse(
        chunks,
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": _content_disposition(filename)},
    )


def _sheet_title(sheet: str) -> str:
    title = _SHEET_TITLE_FORBIDDEN.sub(" ", sheet).strip()[:31]
    return title or "Sheet1"


def _cell_length(value: object) -> int:
    return len(value.isoformat() if isinstance(value, date) else str(value or ""))


def write_xlsx(target: IO[bytes], *, sheet: str, table: Table) -> None:
    """The workbook, in openpyxl's write-only mode: one sheet, the preamble (if any) in the
    first row, a bold frozen header row, columns sized to the header and the first rows."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(_sheet_title(sheet))
    rows = iter(table.rows)
    sample = [[_xlsx_cell(v) for v in row] for row in itertools.islice(rows, _WIDTH_SAMPLE)]
    widths = [len(str(h)) for h in table.header]
    for values in sample:
        for index, value in enumerate(values):
            if index < len(widths):
                widths[index] = max(widths[index], _cell_length(value))
            else:
                widths.append(_cell_length(value))
    for index, width in enumerate(widths, start=1):  # before any row: write-only needs it
        clamped = min(max(width + 2, _MIN_COLUMN_WIDTH), _MAX_COLUMN_WIDTH)
        worksheet.column_dimensions[get_column_letter(index)].width = clamped
    header_row = 2 if table.preamble else 1
    worksheet.freeze_panes = f"A{header_row + 1}"
    if table.preamble:
        worksheet.append([table.preamble])
    bold = Font(bold=True)
    worksheet.append([_styled(worksheet, str(h), font=bold) for h in table.header])
    for values in itertools.chain(sample, ([_xlsx_cell(v) for v in row] for row in rows)):
        worksheet.append([_styled(worksheet, v) for v in values])
    workbook.save(target)


def _styled(worksheet: object, value: object, *, font: Font | None = None) -> object:
    """A write-only cell where it needs a style (bold header, ISO date); other values as
    they are (defused text never starts with "=", so openpyxl never reads a formula)."""
    is_date = isinstance(value, date) and not isinstance(value, datetime)
    if font is None and not is_date:
        return value
    cell = WriteOnlyCell(worksheet, value=value)  # type: ignore[arg-type]
    if font is not None:
        cell.font = font
    if is_date:
        cell.number_format = "yyyy-mm-dd"
    return cell


def _file_chunks(spool: IO[bytes]) -> Iterator[bytes]:
    try:
        spool.seek(0)
        while chunk := spool.read(_FILE_CHUNK):
            yield chunk
    finally:
        spool.close()


def xlsx_response(*, filename: str, sheet: str, table: Table) -> StreamingResponse:
    """An XLSX download: the workbook is written (rows streamed into openpyxl's write-only
    sheet) to a spooled temporary file, kept in memory up to 1 MiB, then sent in chunks."""
    spool = tempfile.SpooledTemporaryFile(max_size=2**20)  # noqa: SIM115 - closed by the stream
    try:
        write_xlsx(spool, sheet=sheet, table=table)
    except BaseException:
        spool.close()
        raise
    return StreamingResponse(
        _file_chunks(spool),
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": _content_disposition(filename)},
    )
