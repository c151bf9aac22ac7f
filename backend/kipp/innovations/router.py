from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, Response, UploadFile, status
from fastapi.responses import FileResponse
from fastapi.routing import APIRoute

from kipp.competitions import service as competitions_service
from kipp.config import get_settings
from kipp.deps import (
    AdminUser,
    CurrentUser,
    OptionalUser,
    ProposerUser,
    SessionDep,
    SettingsDep,
    require_roles,
)
from kipp.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
    UnsupportedMediaType,
    ValidationFailed,
    responses_for,
)
from kipp.innovations import service
from kipp.innovations.schemas import (
    AdministrativeReviewIn,
    AttachmentOut,
    InnovationCreate,
    InnovationListItem,
    InnovationOut,
    InnovationPatch,
    PublicInnovationItem,
    ReadinessOut,
    ReadinessProblem,
)
from kipp.models import InnovationStatus, Role, User
from kipp.schemas import Page, Paging, paging

router = APIRouter(tags=["innovations"])
OwnerUser = Annotated[User, require_roles(Role.INNOVATOR, Role.AGENCY_ADMIN)]

_READ_ERRORS = responses_for(Unauthorized, NotFound)
_WRITE_ERRORS = responses_for(Unauthorized, Forbidden, NotFound, Conflict, ValidationFailed)
# Room for the multipart framing around the file itself.
_MULTIPART_OVERHEAD = 64 * 1024


class _UploadRoute(APIRoute):
    """Refuse an upload whose declared length is already too large, before reading the body."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            declared = request.headers.get("content-length", "")
            limit = get_settings().max_upload_bytes
            if declared.isdigit() and int(declared) > limit + _MULTIPART_OVERHEAD:
                raise PayloadTooLarge(f"The file is larger than {limit} bytes.")
            return await handler(request)

        return guarded


uploads = APIRouter(tags=["innovations"], route_class=_UploadRoute)


@router.get(
    "/competitions/{competition_id}/innovations",
    response_model=Page[InnovationListItem | PublicInnovationItem],
    responses=_READ_ERRORS,
)
def list_competition_innovations(
    competition_id: int,
    session: SessionDep,
    user: OptionalUser,
    page: Annotated[Paging, Depends(paging)],
    status: InnovationStatus | None = None,
    agency_id: int | None = None,
    public: bool = False,
) -> Page[InnovationListItem | PublicInnovationItem]:
    """A competition's innovations, as the caller's role sees them.

    Admin: all; agency admin: their agency's; innovator: their teams'; judge: those assigned
    to them. Anonymous callers, and anyone passing `public=true`, get the public list: the
    innovations that passed the administrative stage, once the presentation stage is reached,
    with public fields only.
    """
    competition = competitions_service.get_visible(
        session=session, competition_id=competition_id, user=user
    )
    items, total = service.list_innovations(
        session=session,
        competition=competition,
        user=user,
        public=public,
        status=status.value if status else None,
        agency_id=agency_id,
        limit=page.limit,
        offset=page.offset,
    )
    return Page[InnovationListItem | PublicInnovationItem](items=list(items), total=total)


@router.post(
    "/competitions/{competition_id}/innovations",
    response_model=InnovationOut,
    status_code=status.HTTP_201_CREATED,
    responses=_WRITE_ERRORS,
)
def create_competition_innovation(
    competition_id: int, body: InnovationCreate, session: SessionDep, actor: ProposerUser
) -> InnovationOut:
    """Start a draft proposal while the submission window is open.

    Innovators and agency admins propose for their own agency (the default) and join the
    team; an agency admin or the admin may name the team's innovators in `team_user_ids`.
    """
    competition = competitions_service.get_visible(
        session=session, competition_id=competition_id, user=actor
    )
    innovation = service.create(session=session, actor=actor, competition=competition, draft=body)
    return service.present(session=session, innovation=innovation, viewer=actor)


@router.get("/innovations/{innovation_id}", response_model=InnovationOut, responses=_READ_ERRORS)
def read_innovation(innovation_id: int, session: SessionDep, user: CurrentUser) -> InnovationOut:
    """One proposal: for its team, their agency admin, the admin and its assigned judges."""
    innovation = service.get_readable(session=session, innovation_id=innovation_id, user=user)
    return service.present(session=session, innovation=innovation, viewer=user)


@router.patch("/innovations/{innovation_id}", response_model=InnovationOut, responses=_WRITE_ERRORS)
def update_innovation(
    innovation_id: int, body: InnovationPatch, session: SessionDep, user: ProposerUser
) -> InnovationOut:
    """Change a draft within the submission window; `version` must be the one you read
    (409 when someone else saved first — nothing is overwritten)."""
    innovation = service.get_editable(session=session, innovation_id=innovation_id, user=user)
    innovation = service.update_draft(
        session=session, actor=user, innovation=innovation, patch=body
    )
    return service.present(session=session, innovation=innovation, viewer=user)


@router.get(
    "/innovations/{innovation_id}/readiness",
    response_model=ReadinessOut,
    # A finding has no import `row`: leave the key out, as the submit's 422 `errors` do.
    response_model_exclude_none=True,
    responses=responses_for(Unauthorized, Forbidden, NotFound),
)
def read_innovation_readiness(
    innovation_id: int, session: SessionDep, user: ProposerUser
) -> ReadinessOut:
    """What the administrative stage would find missing, before submitting."""
    innovation = service.get_editable(session=session, innovation_id=innovation_id, user=user)
    problems = service.readiness_problems(session=session, innovation=innovation)
    return ReadinessOut(
        ready=not problems,
        problems=[ReadinessProblem.model_validate(p.as_error()) for p in problems],
    )


@router.post(
    "/innovations/{innovation_id}/submit", response_model=InnovationOut, responses=_WRITE_ERRORS
)
def submit_innovation(innovation_id: int, session: SessionDep, user: OwnerUser) -> InnovationOut:
    """Submit a ready draft within the window (422 lists what is missing)."""
    innovation = service.get_owned(session=session, innovation_id=innovation_id, user=user)
    innovation = service.submit(session=session, actor=user, innovation=innovation)
    return service.present(session=session, innovation=innovation, viewer=user)


@router.post(
    "/innovations/{innovation_id}/withdraw", response_model=InnovationOut, responses=_WRITE_ERRORS
)
def withdraw_innovation(innovation_id: int, session: SessionDep, user: OwnerUser) -> InnovationOut:
    """Withdraw a draft or submitted proposal within the submission window."""
    innovation = service.get_owned(session=session, innovation_id=innovation_id, user=user)
    innovation = service.withdraw(session=session, actor=user, innovation=innovation)
    return service.present(session=session, innovation=innovation, viewer=user)


@router.post(
    "/innovations/{innovation_id}/administrative-review",
    response_model=InnovationOut,
    responses=_WRITE_ERRORS,
)
def review_innovation_administratively(
    innovation_id: int, body: AdministrativeReviewIn, session: SessionDep, admin: AdminUser
) -> InnovationOut:
    """Pass (eligible) or fail (ineligible, with the reasons in `notes`) a submitted proposal
    against the checklist; may be revised while the administrative stage is current."""
    innovation = service.get_readable(session=session, innovation_id=innovation_id, user=admin)
    innovation = service.review(
        session=session,
        actor=admin,
        innovation=innovation,
        passed=body.passed,
        checks=body.checks,
        notes=body.notes,
    )
    return service.present(session=session, innovation=innovation, viewer=admin)


@uploads.post(
    "/innovations/{innovation_id}/attachments",
    response_model=AttachmentOut,
    status_code=status.HTTP_201_CREATED,
    responses={**_WRITE_ERRORS, **responses_for(PayloadTooLarge, UnsupportedMediaType)},
)
def upload_innovation_attachment(
    innovation_id: int,
    file: Annotated[UploadFile, File(description="PDF, PNG or JPEG, recognised by content")],
    session: SessionDep,
    settings: SettingsDep,
    user: OwnerUser,
) -> AttachmentOut:
    """Add evidence to a draft within the submission window (≤ the upload limit, 10 MB)."""
    innovation = service.get_owned(session=session, innovation_id=innovation_id, user=user)
    attachment = service.add_attachment(
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
    responses=_READ_ERRORS,
)
def list_innovation_attachments(
    innovation_id: int,
    session: SessionDep,
    user: CurrentUser,
    page: Annotated[Paging, Depends(paging)],
) -> Page[AttachmentOut]:
    """A proposal's evidence files."""
    innovation = service.get_readable(session=session, innovation_id=innovation_id, user=user)
    attachments, total = service.list_attachments(
        session=session, innovation=innovation, limit=page.limit, offset=page.offset
    )
    return Page(items=[AttachmentOut.model_validate(a) for a in attachments], total=total)


@router.get(
    "/innovations/{innovation_id}/attachments/{attachment_id}",
    response_class=FileResponse,
    responses={
        200: {
            "description": "The file, as an attachment, with its stored content type",
            "content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}},
        },
        **_READ_ERRORS,
    },
)
def download_innovation_attachment(
    innovation_id: int,
    attachment_id: int,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
) -> FileResponse:
    """Download one evidence file."""
    innovation = service.get_readable(session=session, innovation_id=innovation_id, user=user)
    attachment = service.get_attachment(
        session=session, innovation=innovation, attachment_id=attachment_id
    )
    path = service.attachment_path(settings=settings, attachment=attachment)
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
    responses=_WRITE_ERRORS,
)
def delete_innovation_attachment(
    innovation_id: int,
    attachment_id: int,
    session: SessionDep,
    settings: SettingsDep,
    user: OwnerUser,
) -> None:
    """Remove evidence from a draft within the submission window."""
    innovation = service.get_owned(session=session, innovation_id=innovation_id, user=user)
    attachment = service.get_attachment(
        session=session, innovation=innovation, attachment_id=attachment_id
    )
    service.delete_attachment(
        session=session, settings=settings, actor=user, innovation=innovation, attachment=attachment
    )
