"""The one place that reads the clock, so tests can move time (time-machine patches it)."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)
