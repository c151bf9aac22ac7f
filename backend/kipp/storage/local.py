"""Evidence files in a folder on this host: today's layout (``<folder>/attachments/<name>``)."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from kipp.storage.base import (
    CHUNK_SIZE,
    Blob,
    Missing,
    Reader,
    Storage,
    StorageError,
    resolve_range,
)

PARTIAL_SUFFIX = ".part"


class LocalStorage(Storage):
    """A folder: a file is written as a hidden ``.<name>.<random>.part`` beside its final name,
    then renamed, so readers never see half a file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.url = f"file://{root}"

    def _path(self, key: str) -> Path:
        parts = PurePosixPath(key).parts
        if not parts or PurePosixPath(key).is_absolute() or ".." in parts:
            raise StorageError(f"not a storage key: {key!r}")
        return self.root.joinpath(*parts)

    def local_path(self, key: str) -> Path | None:
        path = self._path(key)
        return path if path.is_file() else None

    def write(self, key: str, source: Reader) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}{PARTIAL_SUFFIX}")
        try:
            with partial.open("xb") as out:
                for chunk in iter(lambda: source.read(CHUNK_SIZE), b""):
                    out.write(chunk)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise

    def open(self, key: str, *, first: int | None = None, last: int | None = None) -> Blob:
        path = self._path(key)
        try:
            handle = path.open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise Missing(f"no file {key}") from exc
        size = os.fstat(handle.fileno()).st_size
        start, length = 0, size
        if first is not None or last is not None:
            try:
                start, length = resolve_range(first, last, size)
            except BaseException:
                handle.close()
                raise
            handle.seek(start)
        return Blob(
            chunks=_read(handle, length), size=size, start=start, length=length, close=handle.close
        )

    def size(self, key: str) -> int | None:
        path = self._path(key)
        return path.stat().st_size if path.is_file() else None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys(self, prefix: str = "") -> Iterator[str]:
        if not self.root.is_dir():
            return
        found = []
        for dirpath, _dirs, files in os.walk(self.root):
            for name in files:
                if name.startswith(".") and name.endswith(PARTIAL_SUFFIX):
                    continue  # a write under way (or one a crash cut short)
                key = Path(dirpath, name).relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    found.append(key)
        yield from sorted(found)

    def check(self) -> str:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.root, prefix=".readyz-"):
                pass
        except OSError as exc:
            return f"not writable ({exc.strerror or type(exc).__name__})"
        return "ok"


def _read(handle: BinaryIO, length: int) -> Iterator[bytes]:
    remaining = length
    try:
        while remaining > 0:
            chunk = handle.read(min(CHUNK_SIZE, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()
