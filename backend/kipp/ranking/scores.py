"""The competition's final scores from the database, as integer columns (no ORM, no object
per score): packed by the database into one value when every score fits
(``packed_score_columns``), else the driver's plain integer tuples."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import (
    BigInteger,
    Connection,
    Executable,
    Select,
    case,
    cast,
    func,
    literal_column,
    select,
)

from kipp.models import Innovation, Score, Scoresheet, ScoresheetStatus, User
from kipp.ranking.totals import IntArray

if TYPE_CHECKING:
    import psycopg


def driver_rows(connection: Connection, statement: Executable) -> Sequence[Any]:
    """A SELECT of plain columns (no type processing needed) as the driver's tuples.

    SQLAlchemy compiles the statement and binds its parameters; the rows are then fetched
    straight from the driver's cursor (``CursorResult.cursor``), so neither ORM objects nor
    SQLAlchemy ``Row``s are built: at 126,000 rows they cost more than the ranking itself.
    """
    result = connection.execute(statement)
    try:
        rows = result.cursor.fetchall()  # row-by-row iteration costs more
    finally:
        result.close()
    return rows


def _binary_rows(connection: Connection, statement: Select[Any]) -> Sequence[Any]:
    """A PostgreSQL SELECT fetched in psycopg's binary format, in the session's transaction:
    a bytea comes as its bytes, not as hexadecimal text to decode (a megabyte of scores
    decoded took a few milliseconds). Its parameters must need no type processing (ints,
    strings)."""
    compiled = statement.compile(dialect=connection.dialect)
    driver: psycopg.Connection[Any] | None = connection.connection.driver_connection
    assert driver is not None  # the session's connection is checked out
    with driver.cursor(binary=True) as cursor:
        cursor.execute(compiled.string, compiled.params)
        rows: list[Any] = cursor.fetchall()
    return rows


def fetch_int_rows(connection: Connection, statement: Executable, width: int) -> IntArray:
    """An all-integer SELECT as an (rows x ``width``) int64 array (``driver_rows``)."""
    rows = driver_rows(connection, statement)
    flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=width * len(rows))
    return flat.reshape(len(rows), width)


def score_columns(
    connection: Connection, *, competition_id: int, keys: tuple[str, ...], scale: tuple[int, int]
) -> IntArray:
    """The competition's final scores as (rows x 4) int64: innovation id, judge id, criterion
    index in ``keys`` (-1: a key outside the rubric), value. Packed on the server when every
    score fits (``packed_score_columns``), else as plain integer tuples."""
    packed = packed_score_columns(connection, competition_id=competition_id, keys=keys, scale=scale)
    if packed is not None:
        return packed
    return plain_score_columns(connection, competition_id=competition_id, keys=keys)


def plain_score_columns(
    connection: Connection, *, competition_id: int, keys: tuple[str, ...]
) -> IntArray:
    """``_score_columns`` as the driver's integer tuples, one per score."""
    # One query for the scores, no join to innovations and no ORDER BY (grouping and the
    # eligibility filter are cheap in numpy); a criterion outside the rubric comes as -1 and
    # is refused by the ranking (409) rather than dropped.
    criterion = case(
        {key: index for index, key in enumerate(keys)}, value=Score.criterion_key, else_=-1
    )
    return fetch_int_rows(
        connection,
        select(Scoresheet.innovation_id, Scoresheet.judge_id, criterion, Score.value)
        .join(Score, Score.scoresheet_id == Scoresheet.id)
        .where(
            Scoresheet.competition_id == competition_id,
            Scoresheet.status == ScoresheetStatus.FINAL,
        ),
        4,
    )


@dataclass(frozen=True)
class _Packing:
    """Where each field of a packed score lies: the value in the lowest ``value_bits``, then
    the criterion (1 + its index, 0 for a key outside the rubric; none when grouped by
    criterion), the judge id, and the innovation id in the highest."""

    value_bits: int
    criterion_bits: int
    judge_bits: int
    innovation_bits: int

    @property
    def criterion_shift(self) -> int:
        return self.value_bits

    @property
    def judge_shift(self) -> int:
        return self.value_bits + self.criterion_bits

    @property
    def innovation_shift(self) -> int:
        return self.judge_shift + self.judge_bits

    def fits(self, innovations: int, judges: int, values: int) -> bool:
        """Whether scores whose innovation ids, judge ids and values OR to these were
        packed exactly: none negative, none wider than its field."""
        return all(
            ored >= 0 and ored.bit_length() <= bits
            for ored, bits in (
                (innovations, self.innovation_bits),
                (judges, self.judge_bits),
                (values, self.value_bits),
            )
        )

    def unpack(self, packed: IntArray, criterion: IntArray | int) -> IntArray:
        """(rows x 4): innovation id, judge id, criterion index, value; column-major, so
        each column is contiguous for the ranking."""
        columns = np.empty((len(packed), 4), dtype=np.int64, order="F")
        columns[:, 0] = packed >> self.innovation_shift
        columns[:, 1] = (packed >> self.judge_shift) & (2**self.judge_bits - 1)
        columns[:, 2] = criterion
        columns[:, 3] = packed & (2**self.value_bits - 1)
        return columns


def packed_score_columns(
    connection: Connection, *, competition_id: int, keys: tuple[str, ...], scale: tuple[int, int]
) -> IntArray | None:
    """The final scores packed on the server: one 63-bit integer per score (innovation id,
    judge id, criterion, value, each in as many bits as the largest one needs, see
    ``_Packing``; ``scale``: the rubric's lowest minimum and highest maximum), aggregated into ONE value and read by numpy in one call. At 126,000 scores
    this takes about half the time of fetching the same rows with the plain driver (a Python
    tuple and int objects per row).

    - PostgreSQL: one row per criterion key (``GROUP BY``: no ``CASE`` per row), its scores
      as a bytea of big-endian int8 (``string_agg(int8send(…))``) beside their count and one
      ``bit_or`` of each column (native aggregates, cheaper than min and max);
    - SQLite (where a GROUP BY sorts): one row, the criterion packed too, the scores as a
      comma-separated text (``group_concat``), their count and whether any did not fit.

    Exact or nothing: the widths come from the largest innovation and user ids and the
    rubric's scale; a score that does not fit them (a negative value or one too wide for
    the rubric's largest maximum after a rubric edit, an id created since) or a rubric with a
    negative minimum makes this return ``None`` and the caller
    fetches the plain rows (which the ranking then checks and refuses with its usual
    message). ``None`` too on another database."""
    dialect = connection.dialect.name
    if dialect not in ("postgresql", "sqlite"):
        return None
    bounds = connection.execute(
        select(
            select(func.max(Innovation.id)).scalar_subquery(),
            select(func.max(User.id)).scalar_subquery(),
        )
    ).one()
    if scale[0] < 0:  # a value's sign would need a bit of its own
        return None
    packing = _Packing(
        value_bits=scale[1].bit_length(),
        criterion_bits=0 if dialect == "postgresql" else len(keys).bit_length(),
        judge_bits=int(bounds[1] or 0).bit_length(),
        innovation_bits=int(bounds[0] or 0).bit_length(),
    )
    if packing.innovation_shift + packing.innovation_bits > 63:
        return None

    def int8(column: Any) -> Any:  # PostgreSQL shifts an int4 modulo 32; SQLite's are int8
        return cast(column, BigInteger) if dialect == "postgresql" else column

    def shift(column: Any, operator: str, bits: int) -> Any:
        return int8(column).op(operator)(literal_column(str(bits)))

    value = int8(Score.value)
    # Shifts and ORs never raise (a product could overflow, on PostgreSQL, in the middle of
    # a request); a field too wide for its bits is caught by the extremes instead.
    packed = (
        shift(Scoresheet.innovation_id, "<<", packing.innovation_shift)
        .op("|")(shift(Scoresheet.judge_id, "<<", packing.judge_shift))
        .op("|")(value)
    )
    final = (
        Scoresheet.competition_id == competition_id,
        Scoresheet.status == ScoresheetStatus.FINAL,
    )
    if dialect == "postgresql":
        groups = _binary_rows(
            connection,
            select(
                Score.criterion_key,
                func.string_agg(func.int8send(packed), literal_column("''::bytea")),
                func.count(),
                # One OR of each column: negative if any is, else as wide as the widest.
                func.bit_or(Scoresheet.innovation_id),
                func.bit_or(Scoresheet.judge_id),
                func.bit_or(Score.value),
            )
            .select_from(Scoresheet)
            .join(Score, Score.scoresheet_id == Scoresheet.id)
            .where(*final)
            .group_by(Score.criterion_key),
        )
        index = {key: i for i, key in enumerate(keys)}
        parts = []
        for key, data, count, innovations, judges, values in groups:
            scores = np.frombuffer(data, dtype=">i8").astype(np.int64)
            if len(scores) != count or not packing.fits(innovations, judges, values):
                return None
            parts.append(packing.unpack(scores, index.get(key, -1)))
        if not parts:
            return np.zeros((0, 4), dtype=np.int64)
        return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=0, dtype=np.int64)

    criterion = case(
        {key: index + 1 for index, key in enumerate(keys)}, value=Score.criterion_key, else_=0
    )
    misfit = (
        shift(Scoresheet.innovation_id, ">>", packing.innovation_bits)
        .op("|")(shift(Scoresheet.judge_id, ">>", packing.judge_bits))
        .op("|")(value.op(">>")(literal_column(str(packing.value_bits))))
    ) != 0
    data, count, misfits = connection.execute(
        select(
            func.group_concat(packed.op("|")(shift(criterion, "<<", packing.criterion_shift))),
            func.count(),
            func.max(misfit),
        )
        .select_from(Scoresheet)
        .join(Score, Score.scoresheet_id == Scoresheet.id)
        .where(*final)
    ).one()
    if count == 0:
        return np.zeros((0, 4), dtype=np.int64)
    scores = np.fromstring(data, dtype=np.int64, sep=",")
    if misfits or len(scores) != count:
        return None
    criteria = (scores >> packing.criterion_shift) & (2**packing.criterion_bits - 1)
    return packing.unpack(scores, criteria - 1)
