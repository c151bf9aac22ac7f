"""A table for download, and text made safe for a spreadsheet cell (no web, no database).

Domains build ``Table``s; ``kipp.exports.tabular`` writes them as CSV or XLSX.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# A cell starting with one of these is run as a formula by Excel/LibreOffice.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    """An export: its header, its rows (any iterable, consumed once) and, optionally, a
    paragraph shown above the header. ``plain`` rows hold only defused ``str``, ``int``,
    ``float`` and ``None`` already, so the CSV writer skips the per-cell conversion."""

    header: list[str]
    rows: Iterable[Sequence[object]]
    preamble: str | None = None
    plain: bool = False


def defused(text: str | None) -> str | None:
    """Text made safe for a spreadsheet cell (``defuse``), None kept: for ``plain`` rows."""
    return None if text is None else defuse(text)


def defuse(text: str) -> str:
    """Prefix formula-looking text with an apostrophe so a spreadsheet shows it as text."""
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text
