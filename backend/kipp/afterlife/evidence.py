"""The bytes of a report's evidence, through the evidence storage of ``kipp.innovations.storage``
(content-sniffed, size-limited, kept only when the request commits) on the configured backend
(a local folder or S3). Every storage call of this package is here."""

from __future__ import annotations

from typing import BinaryIO

from sqlalchemy.orm import Session

from kipp import storage as file_storage
from kipp.config import Settings
from kipp.errors import NotFound
from kipp.i18n import Msg
from kipp.innovations import storage
from kipp.innovations.attachments import storing


def store(*, session: Session, settings: Settings, source: BinaryIO) -> storage.StoredFile:
    """Store an uploaded file; it stays only if the request commits."""
    files = file_storage.for_settings(settings)
    stored = storing(
        lambda: storage.store(source=source, storage=files, max_bytes=settings.max_upload_bytes)
    )
    storage.keep_if_committed(session=session, storage=files, storage_name=stored.storage_name)
    return stored


def open_file(*, settings: Settings, storage_name: str, evidence_id: int) -> file_storage.Blob:
    """The file's bytes as a stream (404 when storage lost them)."""
    files = file_storage.for_settings(settings)
    try:
        return storing(lambda: files.open(storage.key(storage_name), first=None, last=None))
    except file_storage.Missing as exc:
        raise NotFound(
            Msg(
                id="Berkas bukti {id} tidak ada di penyimpanan.",
                en="The file of evidence {id} is missing from storage.",
            ).format(id=evidence_id)
        ) from exc


def remove_when_committed(*, session: Session, settings: Settings, storage_name: str) -> None:
    """Remove the file once the row's deletion is committed."""
    storage.remove_when_committed(
        session=session, storage=file_storage.for_settings(settings), storage_name=storage_name
    )
