"""Evidence files of a proposal: upload, list, download and delete.

The bytes live in :mod:`kipp.innovations.storage` (content-sniffed, size-limited, kept only when
the request commits); this module owns the rows, the rules (a draft, within the submission
window) and the audit trail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp import clock
from kipp.audit import service as audit_service
from kipp.competitions import service as competitions_service
from kipp.config import Settings
from kipp.errors import NotFound
from kipp.i18n import Msg
from kipp.innovations import storage
from kipp.innovations.drafts import require_draft
from kipp.models import Attachment, Innovation, User


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
    target_dir = storage.directory(settings)
    stored = storage.store(
        source=source, target_dir=target_dir, max_bytes=settings.max_upload_bytes
    )
    storage.keep_if_committed(session=session, path=target_dir / stored.storage_name)
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


def attachment_path(*, settings: Settings, attachment: Attachment) -> Path:
    """Where the file's bytes are (404 when storage lost them)."""
    path = storage.directory(settings) / attachment.storage_name
    if not path.is_file():
        raise NotFound(
            Msg(
                id="Berkas lampiran {id} tidak ada di penyimpanan.",
                en="The file of attachment {id} is missing from storage.",
            ).format(id=attachment.id)
        )
    return path


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
        session=session, path=storage.directory(settings) / attachment.storage_name
    )
