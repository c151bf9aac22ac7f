"""Copy evidence files from one storage to another, checking every copy against the SHA-256
the database recorded (``kipp storage migrate``).

Resumable and idempotent: a file already in the target with the right checksum is skipped, so
an interrupted run is simply started again. A copy whose checksum differs is removed from the
target (it holds only verified files) and reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kipp.storage.base import ChunkReader, Missing, Storage


@dataclass
class CopyReport:
    total: int = 0
    copied: int = 0
    present: int = 0  # already in the target with the right checksum
    missing: list[str] = field(default_factory=list)  # not in the source
    mismatched: list[str] = field(default_factory=list)  # copied bytes differ from the record

    @property
    def ok(self) -> bool:
        return not self.missing and not self.mismatched


def copy_files(
    *,
    source: Storage,
    target: Storage,
    files: Iterable[tuple[str, str]],
    progress: Callable[[str, str], None] | None = None,
) -> CopyReport:
    """Copy every (key, expected SHA-256) of ``files`` from ``source`` to ``target``, streamed,
    and read each copy back to check it. ``progress(key, outcome)`` hears of every file
    (``copied``, ``present``, ``missing``, ``mismatch``)."""
    report = CopyReport()
    for key, expected in files:
        report.total += 1
        outcome = _copy_one(source=source, target=target, key=key, expected=expected)
        if outcome == "copied":
            report.copied += 1
        elif outcome == "present":
            report.present += 1
        elif outcome == "missing":
            report.missing.append(key)
        else:
            report.mismatched.append(key)
        if progress is not None:
            progress(key, outcome)
    return report


def _copy_one(*, source: Storage, target: Storage, key: str, expected: str) -> str:
    if target.exists(key) and target.sha256(key) == expected:
        return "present"
    try:
        blob = source.open(key)
    except Missing:
        return "missing"
    try:
        target.write(key, ChunkReader(blob.chunks))
    finally:
        blob.release()
    if target.sha256(key) != expected:
        target.delete(key)
        return "mismatch"
    return "copied"
