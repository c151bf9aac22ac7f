"""The levels of government a competition is held at, and which level feeds which.

Pure: a regency's or city's competition (kabupaten, kota) feeds a province's or a ministry's
(provinsi, kementerian), which feeds the national one (nasional). A competition may name as
its parent only a competition of a strictly higher tier.
"""

from __future__ import annotations

from typing import Final, Literal

LevelName = Literal["kabupaten", "kota", "provinsi", "kementerian", "nasional"]

TIERS: Final[dict[str, int]] = {
    "kabupaten": 1,
    "kota": 1,
    "provinsi": 2,
    "kementerian": 2,
    "nasional": 3,
}


def tier(level: str) -> int:
    """How high ``level`` stands (1 regency/city, 2 province/ministry, 3 national); an unknown
    level (from before levels were checked) counts as the lowest."""
    return TIERS.get(level, 1)


def may_feed(child_level: str, parent_level: str) -> bool:
    """Whether a competition at ``child_level`` may feed one at ``parent_level``."""
    return tier(parent_level) > tier(child_level)


def forms_cycle(child_id: int, parent_chain: list[int]) -> bool:
    """Whether naming a parent whose chain of parents (the parent first, then its parent, …)
    is ``parent_chain`` would make ``child_id`` its own ancestor."""
    return child_id in parent_chain
