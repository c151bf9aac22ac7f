"""The ranking's inputs and a judge's total: rubric, scoresheets and scores as columns (pure).

A judge's total for one innovation rescales each criterion score to 0-100 on its own scale
and averages them with the criterion weights (docs/judging.md, section 1). ``ScoreTable``
holds final scores as four columns (innovation, judge, criterion, value): the database's
rows go straight into it, without an object per scoresheet (at national scale, 21,000
``Scoresheet`` objects with a dict each cost more than the whole ranking's arithmetic).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

DECIMALS = 9


@dataclass(frozen=True)
class Criterion:
    """One rubric criterion: ``weight`` in percent (the rubric totals 100), integer scale."""

    key: str
    weight: float
    min_score: int
    max_score: int


@dataclass(frozen=True)
class Scoresheet:
    """A judge's final scores for one innovation, one integer per criterion key."""

    innovation_id: int
    judge_id: int
    scores: Mapping[str, int]


def quantise(values: FloatArray) -> FloatArray:
    """Rounded to ``DECIMALS`` places (and -0.0 made 0.0), so float noise cannot decide ties."""
    rounded: FloatArray = np.round(values, DECIMALS) + 0.0
    return rounded


@dataclass(frozen=True)
class ScoreTable:
    """Final scores as columns, one row per (innovation, judge, criterion) score.

    ``keys`` names the criteria ``criterion`` indexes. Rows may come in any order; whether
    each sheet has exactly one integer per criterion is checked by ``Rubric.sheets``.
    """

    keys: tuple[str, ...]
    innovation: IntArray
    judge: IntArray
    criterion: IntArray
    value: IntArray

    @classmethod
    def from_sheets(cls, sheets: Sequence[Scoresheet], keys: Sequence[str]) -> ScoreTable:
        """Scoresheets to columns; a criterion key outside ``keys`` raises ``ValueError``."""
        index = {key: i for i, key in enumerate(keys)}
        innovation, judge, criterion, value = [], [], [], []
        for sheet in sheets:
            for key, score in sheet.scores.items():
                if key not in index:
                    raise ValueError(
                        f"scoresheet of judge {sheet.judge_id} for innovation "
                        f"{sheet.innovation_id}: unknown criterion {key!r}"
                    )
                innovation.append(sheet.innovation_id)
                judge.append(sheet.judge_id)
                criterion.append(index[key])
                value.append(score)
        return cls.of(tuple(keys), innovation, judge, criterion, value)

    @classmethod
    def of(
        cls,
        keys: tuple[str, ...],
        innovation: Sequence[int] | IntArray,
        judge: Sequence[int] | IntArray,
        criterion: Sequence[int] | IntArray,
        value: Sequence[object] | IntArray,
    ) -> ScoreTable:
        """Columns from sequences; non-integer scores raise ``ValueError``."""
        values = np.asarray(value)
        if values.size and values.dtype.kind not in "iu":
            raise ValueError("scores must be integers")
        return cls(
            keys=keys,
            innovation=np.asarray(innovation, dtype=np.int64).reshape(-1),
            judge=np.asarray(judge, dtype=np.int64).reshape(-1),
            criterion=np.asarray(criterion, dtype=np.int64).reshape(-1),
            value=values.astype(np.int64).reshape(-1),
        )

    def __len__(self) -> int:
        return len(self.value)

    def rows(self) -> Iterator[tuple[int, int, str, int]]:
        """(innovation_id, judge_id, criterion_key, value), in the table's order."""
        keys = self.keys
        for i, j, c, v in zip(
            self.innovation.tolist(),
            self.judge.tolist(),
            self.criterion.tolist(),
            self.value.tolist(),
            strict=True,
        ):
            yield i, j, keys[c], v


@dataclass(frozen=True)
class Rubric:
    keys: tuple[str, ...]  # sorted by key: the order every computation uses
    weights: FloatArray
    mins: FloatArray
    spans: FloatArray
    tiebreak: tuple[int, ...]  # column indices by descending weight, then key

    @classmethod
    def of(cls, criteria: Sequence[Criterion]) -> Rubric:
        """The rubric in key order; ``ValueError`` for an empty or inconsistent one."""
        if not criteria:
            raise ValueError("the rubric has no criteria")
        ordered = sorted(criteria, key=lambda c: c.key)
        keys = tuple(c.key for c in ordered)
        if len(set(keys)) != len(keys):
            raise ValueError("criterion keys must be unique")
        for c in ordered:
            if not c.min_score < c.max_score:
                raise ValueError(f"criterion {c.key!r}: min_score must be below max_score")
            if not (math.isfinite(c.weight) and c.weight >= 0):
                raise ValueError(f"criterion {c.key!r}: weight must be a finite number >= 0")
        weights = np.array([c.weight for c in ordered], dtype=np.float64)
        if weights.sum() <= 0:
            raise ValueError("criterion weights must not all be 0")
        tiebreak = tuple(sorted(range(len(ordered)), key=lambda i: (-ordered[i].weight, keys[i])))
        return cls(
            keys=keys,
            weights=weights,
            mins=np.array([c.min_score for c in ordered], dtype=np.float64),
            spans=np.array([c.max_score - c.min_score for c in ordered], dtype=np.float64),
            tiebreak=tiebreak,
        )

    def rescale(self, raw: IntArray) -> FloatArray:
        """Scores (sheets x criteria, key order) -> 0..100, checking the scale."""
        rescaled: FloatArray = (raw - self.mins) / self.spans * 100.0
        if rescaled.size and (rescaled.min() < 0.0 or rescaled.max() > 100.0):
            raise ValueError("a score lies outside its criterion's scale")
        return rescaled

    def totals(self, rescaled: FloatArray) -> FloatArray:
        """Each sheet's weighted total, 0..100, quantised."""
        weighted: FloatArray = (rescaled * self.weights).sum(axis=1) / self.weights.sum()
        return quantise(weighted)

    def sheets(self, table: ScoreTable) -> tuple[IntArray, IntArray, IntArray]:
        """The table as sheets sorted by (innovation, judge): their innovation and judge ids
        and the (sheets x criteria) score matrix in key order.

        Every sheet must have exactly one score per criterion of the rubric; a missing,
        doubled or unknown criterion raises ``ValueError``.
        """
        position = {key: i for i, key in enumerate(self.keys)}
        unknown = [key for key in table.keys if key not in position]
        remap = np.array([position.get(key, -1) for key in table.keys], dtype=np.int64)
        column = remap[table.criterion] if len(table) else table.criterion
        width = len(self.keys)
        order = _sheet_order(table.innovation, table.judge, column, width)
        innovation, judge, column = table.innovation[order], table.judge[order], column[order]
        starts = np.flatnonzero(
            np.concatenate(
                ([True], (np.diff(innovation) != 0) | (np.diff(judge) != 0))
                if len(order)
                else ([],)
            )
        )
        sizes = np.diff(np.append(starts, len(order)))
        expected = np.tile(np.arange(width, dtype=np.int64), len(starts))
        if (sizes != width).any() or not np.array_equal(column, expected):
            bad = self._first_bad_sheet(starts, sizes, column, width)
            start, size = int(starts[bad]), int(sizes[bad])
            i, j = int(innovation[start]), int(judge[start])
            named = [table.keys[c] for c in table.criterion[order][start : start + size]]
            repeated = sorted(self.keys * (size // width))
            if size > width and size % width == 0 and sorted(named) == repeated:
                raise ValueError(f"judge {j} has two scoresheets for innovation {i}")
            missing = sorted(set(self.keys) - set(named))
            extra = sorted({key for key in named if key in unknown})
            doubled = sorted({key for key in named if named.count(key) > 1})
            raise ValueError(
                f"scoresheet of judge {j} for innovation {i}: missing criteria {missing}, "
                f"unknown criteria {extra}" + (f", doubled criteria {doubled}" if doubled else "")
            )
        raw = table.value[order].reshape(len(starts), width)
        return innovation[starts], judge[starts], raw

    @staticmethod
    def _first_bad_sheet(starts: IntArray, sizes: IntArray, column: IntArray, width: int) -> int:
        for s, (start, size) in enumerate(zip(starts.tolist(), sizes.tolist(), strict=True)):
            if size != width or column[start : start + size].tolist() != list(range(width)):
                return s
        raise AssertionError("no bad sheet")  # pragma: no cover - called only when one is


def _sheet_order(innovation: IntArray, judge: IntArray, column: IntArray, width: int) -> IntArray:
    """The stable sort by (innovation, judge, column): ``np.lexsort``'s permutation. When the
    three fit in one int64 key (always, for real ids), one stable sort of the packed key,
    which is a few times faster than three (and nearly free when the rows come grouped)."""
    if not len(innovation):
        return np.zeros(0, dtype=np.int64)
    i_low, j_low = int(innovation.min()), int(judge.min())
    i_span = int(innovation.max()) - i_low + 1
    j_span = int(judge.max()) - j_low + 1
    c_span = width + 1  # column -1 is an unknown criterion
    if i_span * j_span * c_span >= 2**62:
        order: IntArray = np.lexsort((column, judge, innovation))
        return order
    key = ((innovation - i_low) * j_span + (judge - j_low)) * c_span + (column + 1)
    packed: IntArray = np.argsort(key, kind="stable")
    return packed


def judge_total(scores: Mapping[str, int], criteria: Sequence[Criterion]) -> float:
    """One judge's total for one innovation, 0..100.

    Each criterion score is rescaled to 0..100, ``(s - min) / (max - min) * 100``, then
    averaged with the criterion weights; rounded to ``DECIMALS`` places.
    """
    rubric = Rubric.of(criteria)
    sheet = Scoresheet(innovation_id=0, judge_id=0, scores=scores)
    _, _, raw = rubric.sheets(ScoreTable.from_sheets([sheet], tuple(sheet.scores)))
    return float(rubric.totals(rubric.rescale(raw))[0])
