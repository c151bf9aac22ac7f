"""Evidence files over HTTP: upload (size-checked before the body is read), list, download
and delete."""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, Final
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Request, Response, UploadFile, status
from fastapi.responses import FileResponse, StreamingResponse

from kipp import storage as file_storage
from kipp.config import get_settings
from kipp.deps import ApiRoute, CurrentUser, SessionDep, SettingsDep, api_router
from kipp.errors import (
    PayloadTooLarge,
    RangeNotSatisfiable,
    StorageUnavailable,
    UnsupportedMediaType,
    responses_for,
)
from kipp.i18n import Msg
from kipp.innovations import access, attachments, storage
from kipp.innovations.deps import READ_ERRORS, WRITE_ERRORS, OwnerUser
from kipp.innovations.schemas import AttachmentOut
from kipp.schemas import IdPath, Page, Paging, paging

router = api_router()  # tagged by the proposals router that includes it
# Room for the multipart framing around the file itself.
_MULTIPART_OVERHEAD = 64 * 1024
# Evidence a browser shows itself (the judge reads it on the phone): served inline with its
# real type. Anything else would stay a download.
INLINE_TYPES: Final = frozenset({"application/pdf", "image/png", "image/jpeg"})
# A file is a document of its own, never a page: no script, no framing; images and the PDF
# viewer only. The SPA fetches the file with its token and opens a blob: copy (PDF in a new
# tab, images in an <img>), so the SPA's own policy stays as strict as it is.
FILE_CSP: Final = (
    "default-src 'none'; img-src 'self'; object-src 'self'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'"
)


class _UploadRoute(ApiRoute):
    """Refuse an upload whose declared length is already too large, before reading the body."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            declared = request.headers.get("content-length", "")
            limit = get_settings().max_upload_bytes
            if declared.isdigit() and int(declared) > limit + _MULTIPART_OVERHEAD:
                raise PayloadTooLarge(storage.too_large(limit))

            return await handler(request)

        return guarded


_SINGLE_RANGE: Final = re.compile(r"bytes=(\d*)-(\d*)")


def byte_range(request: Request) -> tuple[int | None, int | None] | None:
    """The one byte range a ``Range`` header asks for, as (first, last); None to send the whole
    file: no header, several ranges, a malformed one, or an ``If-Range`` (which may be stale)."""
    header = request.headers.get("range")
    if header is None or "if-range" in request.headers:
        return None
    match = _SINGLE_RANGE.fullmatch(header.strip())
    if match is None or not (match[1] or match[2]):
        return None
    return (int(match[1]) if match[1] else None, int(match[2]) if match[2] else None)


def content_disposition(content_type: str, filename: str) -> str:
    """As Starlette's FileResponse writes it (RFC 6266: a non-ASCII name as filename*)."""
    kind = "inline" if content_type in INLINE_TYPES else "attachment"
    quoted = quote(filename)
    if quoted != filename:
        return f"{kind}; filename*=utf-8''{quoted}"
    return f'{kind}; filename="{filename}"'


uploads = APIRouter(tags=["innovations"], route_class=_UploadRoute)  # an ApiRoute


@uploads.post(
    "/innovations/{innovation_id}/attachments",
    response_model=AttachmentOut,
    status_code=status.HTTP_201_CREATED,
    responses={
        **WRITE_ERRORS,
        **responses_for(PayloadTooLarge, UnsupportedMediaType, StorageUnavailable),
    },
)
def upload_innovation_attachment(
    innovation_id: IdPath,
    file: Annotated[UploadFile, File(description="PDF, PNG or JPEG, recognised by content")],
    session: SessionDep,
    settings: SettingsDep,
    user: OwnerUser,
) -> AttachmentOut:
    """Add evidence to a draft within the submission window (≤ the upload limit, 10 MB)."""
    innovation = access.get_owned(session=session, innovation_id=innovation_id, user=user)
    attachment = attachments.add_attachment(
        session=session,
        settings=settings,
        actor=user,
        innovation=innovation,
        source=file.file,
        filename=file.filename,
    )
    return AttachmentOut.model_validate(attachment)


router.include_router(uploads)


@router.get(
    "/innovations/{innovation_id}/attachments",
    response_model=Page[AttachmentOut],
    responses=READ_ERRORS,
)
def list_innovation_attachments(
    innovation_id: IdPath,
    session: SessionDep,
    user: CurrentUser,
    page: Annotated[Paging, Depends(paging)],
) -> Page[AttachmentOut]:
    """A proposal's evidence files."""
    innovation = access.get_readable(session=session, innovation_id=innovation_id, user=user)
    files, total = attachments.list_attachments(
        session=session, innovation=innovation, limit=page.limit, offset=page.offset
    )
    return Page(items=[AttachmentOut.model_validate(a) for a in files], total=total)


@router.get(
    "/innovations/{innovation_id}/attachments/{attachment_id}",
    response_class=FileResponse,
    responses={
        200: {
            "description": "The file with its stored content type: PDF and images inline "
            "(a browser shows them), anything else as an attachment",
            "content": {
                media_type: {"schema": {"type": "string", "format": "binary"}}
                for media_type in ("application/pdf", "image/png", "image/jpeg")
            },
        },
        206: {"description": "The asked byte range of the file (a single `Range: bytes=…`)"},
        **READ_ERRORS,
        **responses_for(RangeNotSatisfiable, StorageUnavailable),
    },
)
def download_innovation_attachment(
    innovation_id: IdPath,
    attachment_id: IdPath,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
) -> Response:
    """One evidence file: PDF and images inline with their real type (the judge reads them in
    the browser), anything else as an attachment; never sniffed. Streamed from the storage
    (a local folder or S3), a single byte range on request."""
    innovation = access.get_readable(session=session, innovation_id=innovation_id, user=user)
    attachment = attachments.get_attachment(
        session=session, innovation=innovation, attachment_id=attachment_id
    )
    headers = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": FILE_CSP}
    path = attachments.attachment_path(settings=settings, attachment=attachment)
    if path is not None:  # a local file: sendfile, and Starlette answers ranges
        return FileResponse(
            path,
            media_type=attachment.content_type,
            filename=attachment.filename,
            content_disposition_type=(
                "inline" if attachment.content_type in INLINE_TYPES else "attachment"
            ),
            headers=headers,
        )
    wanted = byte_range(request)
    try:
        blob = attachments.open_attachment(
            settings=settings,
            attachment=attachment,
            first=wanted[0] if wanted else None,
            last=wanted[1] if wanted else None,
        )
    except file_storage.RangeNotSatisfiable as exc:
        raise RangeNotSatisfiable(
            Msg(
                id="Berkas ini {size} bita; rentang yang diminta di luarnya.",
                en="This file has {size} bytes; the asked range lies outside it.",
            ).format(size=exc.size),
            headers={"Content-Range": f"bytes */{exc.size}"},
        ) from exc
    headers |= {
        "Content-Length": str(blob.length),
        "Accept-Ranges": "bytes",
        "Content-Disposition": content_disposition(attachment.content_type, attachment.filename),
    }
    if wanted is not None:
        headers["Content-Range"] = f"bytes {blob.start}-{blob.start + blob.length - 1}/{blob.size}"
    return StreamingResponse(
        blob.chunks,
        status_code=206 if wanted is not None else 200,
        media_type=attachment.content_type,
        headers=headers,
    )


@router.delete(
    "/innovations/{innovation_id}/attachments/{attachment_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=WRITE_ERRORS,
)
def delete_innovation_attachment(
    innovation_id: IdPath,
    attachment_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    user: OwnerUser,
) -> None:
    """Remove evidence from a draft within the submission window."""
    innovation = access.get_owned(session=session, innovation_id=innovation_id, user=user)
    attachment = attachments.get_attachment(
        session=session, innovation=innovation, attachment_id=attachment_id
    )
    attachments.delete_attachment(
        session=session, settings=settings, actor=user, innovation=innovation, attachment=attachment
    )
