"""Evidence files on disk: recognised by content, streamed in chunks, tied to the transaction.

A file is written under a generated name before its row is flushed. Whether it stays is decided
by the request's transaction: a rollback removes the files written for it, and a deleted
attachment's file goes only after the commit — so no file outlives a failed request and no row
points at a missing file.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from kipp.config import Settings
from kipp.errors import PayloadTooLarge, UnsupportedMediaType
from kipp.i18n import Msg

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


def directory(settings: Settings) -> Path:
    return settings.storage_path / "attachments"


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


def store(*, source: BinaryIO, target_dir: Path, max_bytes: int) -> StoredFile:
    """Copy ``source`` into ``target_dir`` under a generated name, in chunks.

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
    target_dir.mkdir(parents=True, exist_ok=True)
    storage_name = f"{uuid.uuid4().hex}{extension}"
    partial = target_dir / f".{storage_name}.part"
    digest = hashlib.sha256()
    size = 0
    try:
        with partial.open("xb") as out:
            chunk = head
            while chunk:
                size += len(chunk)
                if size > max_bytes:
                    raise PayloadTooLarge(too_large(max_bytes))
                digest.update(chunk)
                out.write(chunk)
                chunk = source.read(CHUNK_SIZE)
        os.replace(partial, target_dir / storage_name)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return StoredFile(storage_name, content_type, size, digest.hexdigest())


def _listen(session: Session) -> None:
    if session.info.get(_LISTENING):
        return
    session.info[_LISTENING] = True
    event.listen(session, "after_commit", _after_commit)
    event.listen(session, "after_soft_rollback", _after_soft_rollback)


def _take(session: Session, key: str) -> list[Path]:
    paths: list[Path] = session.info.pop(key, [])
    return paths


def _unlink_all(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _after_commit(session: Session) -> None:
    _take(session, _WRITTEN)
    _unlink_all(_take(session, _DOOMED))


def _after_soft_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.nested:
        return  # a savepoint inside the request: the request's own outcome decides
    _take(session, _DOOMED)
    _unlink_all(_take(session, _WRITTEN))


def _remember(session: Session, key: str, path: Path) -> None:
    _listen(session)
    session.info.setdefault(key, []).append(path)


def keep_if_committed(*, session: Session, path: Path) -> None:
    """The file at ``path`` stays only if the session's transaction commits."""
    _remember(session, _WRITTEN, path)


def remove_when_committed(*, session: Session, path: Path) -> None:
    """Remove the file at ``path`` once the session's transaction commits (never before)."""
    _remember(session, _DOOMED, path)
