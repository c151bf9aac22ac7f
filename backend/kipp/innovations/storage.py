"""Evidence files: recognised by content, streamed in chunks, tied to the transaction.

The bytes go to the deployment's storage (:mod:`kipp.storage`: a local folder or an
S3-compatible bucket) under ``attachments/<generated name>``, counted and hashed on the way.
A file is written before its row is flushed. Whether it stays is decided by the request's
transaction: a rollback removes the files written for it, and a deleted attachment's file goes
only after the commit — so no file outlives a failed request and no row points at a missing file.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from kipp.config import Settings
from kipp.errors import PayloadTooLarge, UnsupportedMediaType
from kipp.i18n import Msg
from kipp.storage import Storage, StorageError
from kipp.storage.base import ChunkReader

log = logging.getLogger(__name__)

CHUNK_SIZE: Final = 64 * 1024

# (magic bytes, content type, extension): the only kinds of evidence accepted.
SIGNATURES: Final = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
_HEAD_BYTES: Final = max(len(magic) for magic, _, _ in SIGNATURES)

_WRITTEN = "kipp.storage.written"  # files written in this transaction: removed on rollback
_DOOMED = "kipp.storage.doomed"  # files of deleted rows: removed after the commit
_LISTENING = "kipp.storage.listening"


@dataclass(frozen=True)
class StoredFile:
    storage_name: str
    content_type: str
    size: int
    sha256: str


def too_large(limit: int) -> Msg:
    """The 413's detail: the limit in bytes."""
    return Msg(
        id="Berkas lebih besar dari {limit} bita.", en="The file is larger than {limit} bytes."
    ).format(limit=limit)


FOLDER: Final = "attachments"


def directory(settings: Settings) -> Path:
    """The evidence folder of the local storage (when no S3 storage is configured)."""
    return settings.storage_path / FOLDER


def key(storage_name: str) -> str:
    """The storage key of an attachment's file."""
    return f"{FOLDER}/{storage_name}"


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) recognised from the first bytes, or None."""
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def _read_head(source: BinaryIO) -> bytes:
    head = b""
    while len(head) < _HEAD_BYTES:
        chunk = source.read(_HEAD_BYTES - len(head))
        if not chunk:
            break
        head += chunk
    return head


class _Metered:
    """The upload as the storage reads it: the sniffed head first, then the rest; counted,
    hashed, and cut off with a 413 as soon as more than ``max_bytes`` passed."""

    def __init__(self, head: bytes, source: BinaryIO, max_bytes: int) -> None:
        self._head = head
        self._source = source
        self._max_bytes = max_bytes
        self.size = 0
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        if self._head:
            chunk, self._head = self._head, b""
        else:
            chunk = self._source.read(size if 0 < size <= CHUNK_SIZE else CHUNK_SIZE)
        self.size += len(chunk)
        if self.size > self._max_bytes:
            raise PayloadTooLarge(too_large(self._max_bytes))
        self.digest.update(chunk)
        return chunk


def store(*, source: BinaryIO, storage: Storage, max_bytes: int) -> StoredFile:
    """Copy ``source`` into the storage under a generated name, in chunks.

    415 unless the content is PDF, PNG or JPEG (the name and the declared type are ignored);
    413 as soon as more than ``max_bytes`` arrived. A refused or broken copy leaves nothing.
    """
    head = _read_head(source)
    kind = sniff(head)
    if kind is None:
        raise UnsupportedMediaType(
            Msg(
                id="Unggah berkas PDF, PNG, atau JPEG (dikenali dari isinya).",
                en="Upload a PDF, PNG or JPEG file (recognised by its content).",
            )
        )
    content_type, extension = kind
    storage_name = f"{uuid.uuid4().hex}{extension}"
    metered = _Metered(head, source, max_bytes)
    storage.write(key(storage_name), metered)
    return StoredFile(storage_name, content_type, metered.size, metered.digest.hexdigest())


def copy(*, storage: Storage, storage_name: str) -> str:
    """A copy of a stored file under a new generated name (evidence carried into another
    proposal); the copy's name. Streamed: the file never sits whole in memory. Tie the copy to
    the request with :func:`keep_if_committed`, like an upload."""
    copy_name = f"{uuid.uuid4().hex}{Path(storage_name).suffix}"
    blob = storage.open(key(storage_name))
    try:
        storage.write(key(copy_name), ChunkReader(blob.chunks))
    finally:
        blob.release()
    return copy_name


def _listen(session: Session) -> None:
    if session.info.get(_LISTENING):
        return
    session.info[_LISTENING] = True
    event.listen(session, "after_commit", _after_commit)
    event.listen(session, "after_soft_rollback", _after_soft_rollback)


_Stored = tuple[Storage, str]  # (where, key)


def _take(session: Session, slot: str) -> list[_Stored]:
    files: list[_Stored] = session.info.pop(slot, [])
    return files


def _unlink_all(files: list[_Stored]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except StorageError:
            # The row is already gone (or never was): a file left behind is only unused bytes.
            log.warning("could not remove %s from %s", name, storage.url, exc_info=True)


def _after_commit(session: Session) -> None:
    _take(session, _WRITTEN)
    _unlink_all(_take(session, _DOOMED))


def _after_soft_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.nested:
        return  # a savepoint inside the request: the request's own outcome decides
    _take(session, _DOOMED)
    _unlink_all(_take(session, _WRITTEN))


def _remember(session: Session, slot: str, storage: Storage, storage_name: str) -> None:
    _listen(session)
    session.info.setdefault(slot, []).append((storage, key(storage_name)))


def keep_if_committed(*, session: Session, storage: Storage, storage_name: str) -> None:
    """The stored file stays only if the session's transaction commits."""
    _remember(session, _WRITTEN, storage, storage_name)


def remove_when_committed(*, session: Session, storage: Storage, storage_name: str) -> None:
    """Remove the stored file once the session's transaction commits (never before)."""
    _remember(session, _DOOMED, storage, storage_name)
