"""Where evidence files live: one interface (:class:`Storage`), two backends.

- :class:`~kipp.storage.local.LocalStorage`: a folder on this host (the default, ``KIPP_STORAGE_DIR``
  or ``KIPP_STORAGE_URL=file:///folder``);
- :class:`~kipp.storage.s3.S3Storage`: a bucket of any S3-compatible service (AWS S3, MinIO,
  Ceph, …; ``KIPP_STORAGE_URL=s3://bucket/prefix?endpoint=…``), so several hosts can serve one
  deployment.

Both stream both ways (the bytes pass in chunks, never a whole file in memory) and lay files out
alike: ``attachments/<generated name>`` under the folder or the bucket's prefix, so
``kipp storage migrate`` copies key for key.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kipp.config import Settings, StorageLocation, parse_storage_url
from kipp.storage.base import Blob, Missing, RangeNotSatisfiable, Reader, Storage, StorageError
from kipp.storage.local import LocalStorage
from kipp.storage.s3 import S3Storage

__all__ = [
    "Blob",
    "Missing",
    "RangeNotSatisfiable",
    "Reader",
    "Storage",
    "StorageError",
    "for_settings",
    "open_location",
    "open_url",
]


@lru_cache(maxsize=16)
def open_location(location: StorageLocation) -> Storage:
    """The storage at ``location`` (one per location and process: an S3 client is reused)."""
    if location.kind == "s3":
        return S3Storage(location)
    assert location.path is not None
    return LocalStorage(location.path)


def for_settings(settings: Settings) -> Storage:
    """The deployment's evidence storage."""
    return open_location(settings.storage_location)


def open_url(url: str, *, default_dir: Path) -> Storage:
    """The storage a URL names (``kipp storage migrate --from/--to``)."""
    return open_location(parse_storage_url(url, default_dir=default_dir))
