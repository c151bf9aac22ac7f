"""The storage interface both backends implement."""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Protocol

CHUNK_SIZE: Final = 64 * 1024


class Reader(Protocol):
    """What a write reads from: an open file, an upload, or anything with ``read``."""

    def read(self, size: int = -1, /) -> bytes: ...


class ChunkReader:
    """Chunks (a blob being read) as a reader a write takes: ``read()`` hands out the next."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks

    def read(self, size: int = -1, /) -> bytes:
        return next(self._chunks, b"")


class StorageError(Exception):
    """The storage cannot do what was asked; the message says why, for the operator."""


class Missing(StorageError):
    """No file under that key."""


class RangeNotSatisfiable(StorageError):
    """The asked byte range lies outside the file (HTTP 416)."""

    def __init__(self, size: int) -> None:
        super().__init__(f"the range lies outside the file's {size} bytes")
        self.size = size


@dataclass
class Blob:
    """A stored file being read: its chunks (read lazily), and which bytes they are."""

    chunks: Iterator[bytes]
    size: int  # the whole file's
    start: int  # first byte sent
    length: int  # bytes sent
    close: Callable[[], None] | None = None  # releases the connection or the handle

    @property
    def partial(self) -> bool:
        return self.length != self.size

    def release(self) -> None:
        if self.close is not None:
            self.close()


class Storage(ABC):
    """Files by key (``attachments/3f2a….pdf``). Writes are all or nothing: a key appears only
    complete, and a write that fails (or whose source raises) leaves nothing behind."""

    #: Where the files are, for people (no secrets).
    url: str

    @abstractmethod
    def write(self, key: str, source: Reader) -> None:
        """Copy ``source`` (read in chunks until it is exhausted) to ``key``, replacing any
        file there. An exception from ``source.read`` aborts the write and propagates."""

    @abstractmethod
    def open(self, key: str, *, first: int | None = None, last: int | None = None) -> Blob:
        """Read ``key`` in chunks: all of it, or bytes ``first``..``last`` (inclusive; ``first``
        None means the last ``last`` bytes). :class:`Missing` when there is no such file."""

    @abstractmethod
    def size(self, key: str) -> int | None:
        """The file's size in bytes, or None when there is no such file."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove ``key``; nothing happens when it is already gone."""

    @abstractmethod
    def keys(self, prefix: str = "") -> Iterator[str]:
        """Every complete file's key under ``prefix``, in key order."""

    @abstractmethod
    def check(self) -> str:
        """``ok`` when the storage answers and takes files, else what is wrong (readiness)."""

    def exists(self, key: str) -> bool:
        return self.size(key) is not None

    def local_path(self, key: str) -> Path | None:
        """The file's path when it is on this host's disk (served with sendfile and ranges)."""
        return None

    def sha256(self, key: str) -> str:
        """The SHA-256 of the stored bytes, read through in chunks."""
        digest = hashlib.sha256()
        blob = self.open(key)
        try:
            for chunk in blob.chunks:
                digest.update(chunk)
        finally:
            blob.release()
        return digest.hexdigest()


def resolve_range(first: int | None, last: int | None, size: int) -> tuple[int, int]:
    """(start, length) of an inclusive byte range within ``size`` bytes, as HTTP reads it;
    :class:`RangeNotSatisfiable` when it lies outside."""
    if first is None:
        if last is None or last <= 0 or size == 0:
            raise RangeNotSatisfiable(size)
        start = max(size - last, 0)
        return start, size - start
    if first >= size or (last is not None and last < first):
        raise RangeNotSatisfiable(size)
    end = size - 1 if last is None else min(last, size - 1)
    return first, end - first + 1
