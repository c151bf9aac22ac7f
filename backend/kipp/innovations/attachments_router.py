"""Evidence files over HTTP: upload (size-checked before the body is read), list, download
and delete."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, Response, UploadFile, status
from fastapi.responses import FileResponse

from kipp.config import get_settings
from kipp.deps import ApiRoute, CurrentUser, SessionDep, SettingsDep, api_router
from kipp.errors import PayloadTooLarge, UnsupportedMediaType, responses_for
from kipp.innovations import access, attachments, storage
from kipp.innovations.deps import READ_ERRORS, WRITE_ERRORS, OwnerUser
from kipp.innovations.schemas import AttachmentOut
from kipp.schemas import IdPath, Page, Paging, paging

router = api_router()  # tagged by the proposals router that includes it
# Room for the multipart framing around the file itself.
_MULTIPART_OVERHEAD = 64 * 1024


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


uploads = APIRouter(tags=["innovations"], route_class=_UploadRoute)  # an ApiRoute


@uploads.post(
    "/innovations/{innovation_id}/attachments",
    response_model=AttachmentOut,
    status_code=status.HTTP_201_CREATED,
    responses={**WRITE_ERRORS, **responses_for(PayloadTooLarge, UnsupportedMediaType)},
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
            "description": "The file, as an attachment, with its stored content type",
            "content": {
                media_type: {"schema": {"type": "string", "format": "binary"}}
                for media_type in ("application/pdf", "image/png", "image/jpeg")
            },
        },
        **READ_ERRORS,
    },
)
def download_innovation_attachment(
    innovation_id: IdPath,
    attachment_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
) -> FileResponse:
    """Download one evidence file."""
    innovation = access.get_readable(session=session, innovation_id=innovation_id, user=user)
    attachment = attachments.get_attachment(
        session=session, innovation=innovation, attachment_id=attachment_id
    )
    path = attachments.attachment_path(settings=settings, attachment=attachment)
    return FileResponse(
        path,
        media_type=attachment.content_type,
        filename=attachment.filename,
        content_disposition_type="attachment",
        headers={"X-Content-Type-Options": "nosniff"},
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
