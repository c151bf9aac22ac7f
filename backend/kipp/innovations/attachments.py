"""Evidence files of a proposal: upload, list, download and delete.

The bytes live in :mod:`kipp.innovations.storage` (content-sniffed, size-limited, kept only when
the request commits); this module owns the rows, the rules (a draft, within the submission
window) and the audit trail.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp import clock
from kipp import storage as file_storage
from kipp.audit import service as audit_service
from kipp.competitions import service as competitions_service
from kipp.config import Settings
from kipp.errors import NotFound, StorageUnavailable
from kipp.i18n import Msg
from kipp.innovations import storage
from kipp.innovations.drafts import require_draft
from kipp.models import Attachment, Innovation, SustainabilityEvidence, User
from kipp.storage.local import LocalStorage

log = logging.getLogger(__name__)
_T = TypeVar("_T")


def attachments_count(*, session: Session, innovation_id: int) -> int:
    """How many evidence files the proposal has."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Attachment)
            .where(Attachment.innovation_id == innovation_id)
        )
        or 0
    )


def _safe_filename(filename: str | None, extension: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:255] or f"attachment{extension}"


def attachment_snapshot(attachment: Attachment) -> dict[str, Any]:
    """What the audit log keeps of an evidence file."""
    return {
        "innovation_id": attachment.innovation_id,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
    }


def add_attachment(
    *,
    session: Session,
    settings: Settings,
    actor: User,
    innovation: Innovation,
    source: BinaryIO,
    filename: str | None,
) -> Attachment:
    """Store an evidence file for a draft, within the submission window."""
    competition = competitions_service.get(
        session=session, competition_id=innovation.competition_id
    )
    require_draft(innovation, Msg(id="diberi bukti dukung", en="given evidence"))
    competitions_service.require_stage_open(competition=competition, stage_key="submission")
    files = file_storage.for_settings(settings)
    stored = storing(
        lambda: storage.store(source=source, storage=files, max_bytes=settings.max_upload_bytes)
    )
    storage.keep_if_committed(session=session, storage=files, storage_name=stored.storage_name)
    attachment = Attachment(
        innovation_id=innovation.id,
        filename=_safe_filename(filename, Path(stored.storage_name).suffix),
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        storage_name=stored.storage_name,
        uploaded_by_id=actor.id,
        created_at=clock.now(),
    )
    session.add(attachment)
    session.flush()
    audit_service.record(
        session=session,
        actor=actor,
        action="attachment.create",
        entity_type="attachment",
        entity_id=attachment.id,
        competition_id=innovation.competition_id,
        after=attachment_snapshot(attachment),
    )
    return attachment


def list_attachments(
    *, session: Session, innovation: Innovation, limit: int, offset: int
) -> tuple[list[Attachment], int]:
    """A page of the proposal's evidence files, oldest first, and their total."""
    total = attachments_count(session=session, innovation_id=innovation.id)
    items = session.scalars(
        select(Attachment)
        .where(Attachment.innovation_id == innovation.id)
        .order_by(Attachment.id)
        .limit(limit)
        .offset(offset)
    )
    return list(items), total


def get_attachment(*, session: Session, innovation: Innovation, attachment_id: int) -> Attachment:
    """One evidence file of this proposal (404 when it belongs to another)."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or attachment.innovation_id != innovation.id:
        raise NotFound(
            Msg(id="Lampiran {id} tidak ada.", en="Attachment {id} does not exist.").format(
                id=attachment_id
            )
        )
    return attachment


def _missing(attachment: Attachment) -> NotFound:
    return NotFound(
        Msg(
            id="Berkas lampiran {id} tidak ada di penyimpanan.",
            en="The file of attachment {id} is missing from storage.",
        ).format(id=attachment.id)
    )


def storing(action: Callable[[], _T]) -> _T:
    """Run a storage action; a storage that does not answer is a 503, for the operator."""
    try:
        return action()
    except (file_storage.Missing, file_storage.RangeNotSatisfiable):
        raise
    except file_storage.StorageError as exc:
        log.error("evidence storage failed: %s", exc)
        raise StorageUnavailable(
            Msg(
                id="Penyimpanan berkas bukti sedang tidak dapat dijangkau. Coba lagi sebentar.",
                en="The evidence storage cannot be reached. Try again in a moment.",
            ),
            headers={"Retry-After": "5"},
        ) from exc


def attachment_path(*, settings: Settings, attachment: Attachment) -> Path | None:
    """The file's path when the storage is a local folder (404 when storage lost it); None when
    the file lives elsewhere (S3) and is read with :func:`open_attachment`."""
    files = file_storage.for_settings(settings)
    name = storage.key(attachment.storage_name)
    if not isinstance(files, LocalStorage):
        return None
    path = files.local_path(name)
    if path is None:
        raise _missing(attachment)
    return path


def open_attachment(
    *, settings: Settings, attachment: Attachment, first: int | None, last: int | None
) -> file_storage.Blob:
    """The file's bytes as a stream (all, or one byte range); 404 when storage lost them,
    :class:`kipp.storage.RangeNotSatisfiable` when the range lies outside the file."""
    files = file_storage.for_settings(settings)
    name = storage.key(attachment.storage_name)
    try:
        return storing(lambda: files.open(name, first=first, last=last))
    except file_storage.Missing as exc:
        raise _missing(attachment) from exc


def delete_attachment(
    *,
    session: Session,
    settings: Settings,
    actor: User,
    innovation: Innovation,
    attachment: Attachment,
) -> None:
    """Remove evidence from a draft within the window; the file goes once the row is gone."""
    competition = competitions_service.get(
        session=session, competition_id=innovation.competition_id
    )
    require_draft(innovation, Msg(id="diubah", en="changed"))

    competitions_service.require_stage_open(competition=competition, stage_key="submission")
    audit_service.record(
        session=session,
        actor=actor,
        action="attachment.delete",
        entity_type="attachment",
        entity_id=attachment.id,
        competition_id=innovation.competition_id,
        before=attachment_snapshot(attachment),
    )
    session.delete(attachment)
    session.flush()
    storage.remove_when_committed(
        session=session,
        storage=file_storage.for_settings(settings),
        storage_name=attachment.storage_name,
    )


def stored_files(*, session: Session) -> list[tuple[str, str]]:
    """(storage key, SHA-256) of every evidence file the database knows (a proposal's, then a
    sustainability report's), in id order: what ``kipp storage migrate`` copies and checks."""
    proposals = session.execute(
        select(Attachment.storage_name, Attachment.sha256).order_by(Attachment.id)
    )
    reports = session.execute(
        select(SustainabilityEvidence.storage_name, SustainabilityEvidence.sha256).order_by(
            SustainabilityEvidence.id
        )
    )
    return [(storage.key(name), sha256) for name, sha256 in [*proposals, *reports]]
