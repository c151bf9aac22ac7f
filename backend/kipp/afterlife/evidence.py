"""The bytes of a report's evidence, through the evidence storage of ``kipp.innovations.storage``
(content-sniffed, size-limited, kept only when the request commits). Every storage call of this
package is here, so a new storage backend is wired in one place."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session

from kipp.config import Settings
from kipp.errors import NotFound
from kipp.i18n import Msg
from kipp.innovations import storage


def store(*, session: Session, settings: Settings, source: BinaryIO) -> storage.StoredFile:
    """Store an uploaded file; it stays only if the request commits."""
    target_dir = storage.directory(settings)
    stored = storage.store(
        source=source, target_dir=target_dir, max_bytes=settings.max_upload_bytes
    )
    storage.keep_if_committed(session=session, path=target_dir / stored.storage_name)
    return stored


def path_of(*, settings: Settings, storage_name: str, evidence_id: int) -> Path:
    """Where the file's bytes are (404 when storage lost them)."""
    path = storage.directory(settings) / storage_name
    if not path.is_file():
        raise NotFound(
            Msg(
                id="Berkas bukti {id} tidak ada di penyimpanan.",
                en="The file of evidence {id} is missing from storage.",
            ).format(id=evidence_id)
        )
    return path


def remove_when_committed(*, session: Session, settings: Settings, storage_name: str) -> None:
    """Remove the file once the row's deletion is committed."""
    storage.remove_when_committed(session=session, path=storage.directory(settings) / storage_name)
