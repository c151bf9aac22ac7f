"""Life after the award over HTTP: a winner's yearly sustainability reports and their
evidence, the organiser's overview, and replications of an innovation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Path, UploadFile, status
from fastapi.responses import StreamingResponse

from kipp import clock
from kipp.afterlife import replications, reports
from kipp.afterlife.schemas import (
    CompetitionSustainabilityOut,
    EvidenceOut,
    ReplicationIn,
    ReplicationOut,
    ReplicationsOut,
    ReportFields,
    ReportIn,
    ReportOut,
    ReportsOut,
)
from kipp.deps import PUBLIC, CurrentUser, OptionalUser, SessionDep, SettingsDep, api_router
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
from kipp.innovations.attachments_router import (
    FILE_CSP,
    INLINE_TYPES,
    _UploadRoute,
    content_disposition,
)
from kipp.schemas import IdPath

router = api_router(tags=["afterlife"])
uploads = APIRouter(tags=["afterlife"], route_class=_UploadRoute)  # an ApiRoute

YearPath = Annotated[int, Path(ge=1900, le=9999, description="The year the report is on.")]
READ_ERRORS = responses_for(Unauthorized, NotFound)
WRITE_ERRORS = responses_for(Unauthorized, Forbidden, NotFound, Conflict, ValidationFailed)


# --------------------------------------------------------------------------- reports


@router.get(
    "/innovations/{innovation_id}/sustainability-reports",
    response_model=ReportsOut,
    responses=READ_ERRORS,
)
def list_sustainability_reports(
    innovation_id: IdPath, session: SessionDep, user: CurrentUser
) -> ReportsOut:
    """A winner's yearly reports and the years still open or missing: for its team, its
    agency's admins and the organising team (404 for everyone else)."""
    innovation, competition = reports.get_reporting(
        session=session, innovation_id=innovation_id, user=user
    )
    return reports.list_reports(
        session=session, innovation=innovation, competition=competition, now=clock.now()
    )


@router.post(
    "/innovations/{innovation_id}/sustainability-reports",
    response_model=ReportOut,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
)
def file_sustainability_report(
    innovation_id: IdPath, body: ReportIn, session: SessionDep, user: CurrentUser
) -> ReportOut:
    """File the report on one year after the announcement's (not a future one): the team,
    its agency's admins, or the organising team on their behalf. 409 when that year is filed
    already or the innovation is not a winner. The organising team is told."""
    innovation, competition = reports.get_reporting(
        session=session, innovation_id=innovation_id, user=user
    )
    report = reports.create_report(
        session=session, actor=user, innovation=innovation, competition=competition, report_in=body
    )
    [out] = reports.present(session=session, reports=[report])
    return out


@router.get(
    "/innovations/{innovation_id}/sustainability-reports/{year}",
    response_model=ReportOut,
    responses=READ_ERRORS,
)
def read_sustainability_report(
    innovation_id: IdPath, year: YearPath, session: SessionDep, user: CurrentUser
) -> ReportOut:
    """The report on one year, with its evidence."""
    innovation, _ = reports.get_reporting(session=session, innovation_id=innovation_id, user=user)
    report = reports.get_report(session=session, innovation=innovation, year=year)
    [out] = reports.present(session=session, reports=[report])
    return out


@router.put(
    "/innovations/{innovation_id}/sustainability-reports/{year}",
    response_model=ReportOut,
    responses=WRITE_ERRORS,
)
def amend_sustainability_report(
    innovation_id: IdPath,
    year: YearPath,
    body: ReportFields,
    session: SessionDep,
    user: CurrentUser,
) -> ReportOut:
    """Replace what a filed report says (404 when that year is not filed yet: POST it)."""
    innovation, competition = reports.get_reporting(
        session=session, innovation_id=innovation_id, user=user
    )
    report = reports.get_report(session=session, innovation=innovation, year=year)
    report = reports.update_report(
        session=session,
        actor=user,
        innovation=innovation,
        competition=competition,
        report=report,
        fields=body,
    )
    [out] = reports.present(session=session, reports=[report])
    return out


@uploads.post(
    "/innovations/{innovation_id}/sustainability-reports/{year}/evidence",
    response_model=EvidenceOut,
    status_code=status.HTTP_201_CREATED,
    responses={**WRITE_ERRORS, **responses_for(PayloadTooLarge, UnsupportedMediaType)},
)
def upload_sustainability_evidence(
    innovation_id: IdPath,
    year: YearPath,
    file: Annotated[UploadFile, File(description="PDF, PNG or JPEG, recognised by content")],
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
) -> EvidenceOut:
    """Attach evidence to a filed report (≤ the upload limit, 10 MB)."""
    innovation, competition = reports.get_reporting(
        session=session, innovation_id=innovation_id, user=user
    )
    report = reports.get_report(session=session, innovation=innovation, year=year)
    row = reports.add_evidence(
        session=session,
        settings=settings,
        actor=user,
        innovation=innovation,
        competition=competition,
        report=report,
        source=file.file,
        filename=file.filename,
    )
    return EvidenceOut.model_validate(row)


router.include_router(uploads)


@router.get(
    "/innovations/{innovation_id}/sustainability-reports/{year}/evidence/{evidence_id}",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The file with its stored content type",
            "content": {
                media_type: {"schema": {"type": "string", "format": "binary"}}
                for media_type in sorted(INLINE_TYPES)
            },
        },
        **READ_ERRORS,
    },
)
def download_sustainability_evidence(
    innovation_id: IdPath,
    year: YearPath,
    evidence_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
) -> StreamingResponse:
    """One evidence file of a report, inline with its real type; never sniffed; streamed from
    the storage (a local folder or S3)."""
    innovation, _ = reports.get_reporting(session=session, innovation_id=innovation_id, user=user)
    report = reports.get_report(session=session, innovation=innovation, year=year)
    row = reports.get_evidence(session=session, report=report, evidence_id=evidence_id)
    blob = reports.evidence_file(settings=settings, row=row)
    return StreamingResponse(
        blob.chunks,
        media_type=row.content_type,
        headers={
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": FILE_CSP,
            "Content-Length": str(blob.length),
            "Content-Disposition": content_disposition(row.content_type, row.filename),
        },
    )


@router.delete(
    "/innovations/{innovation_id}/sustainability-reports/{year}/evidence/{evidence_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=WRITE_ERRORS,
)
def delete_sustainability_evidence(
    innovation_id: IdPath,
    year: YearPath,
    evidence_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
) -> None:
    """Remove an evidence file from a report."""
    innovation, competition = reports.get_reporting(
        session=session, innovation_id=innovation_id, user=user
    )
    report = reports.get_report(session=session, innovation=innovation, year=year)
    row = reports.get_evidence(session=session, report=report, evidence_id=evidence_id)
    reports.delete_evidence(
        session=session,
        settings=settings,
        actor=user,
        innovation=innovation,
        competition=competition,
        report=report,
        row=row,
    )


@router.get(
    "/competitions/{competition_id}/sustainability",
    response_model=CompetitionSustainabilityOut,
    responses=responses_for(Unauthorized, Forbidden, NotFound),
)
def read_competition_sustainability(
    competition_id: IdPath, session: SessionDep, user: CurrentUser
) -> CompetitionSustainabilityOut:
    """The organising team's overview: each winner and, per year since the award, whether
    its report is filed (and says running or stopped), missing (due), or not due yet."""
    competition = reports.get_overview_competition(
        session=session, competition_id=competition_id, user=user
    )
    return reports.overview(session=session, competition=competition, now=clock.now())


# --------------------------------------------------------------------------- replications


@router.get(
    "/innovations/{innovation_id}/replications",
    response_model=ReplicationsOut,
    responses=responses_for(NotFound),
    openapi_extra=PUBLIC,
)
def list_innovation_replications(
    innovation_id: IdPath, session: SessionDep, user: OptionalUser
) -> ReplicationsOut:
    """Who replicated this innovation (`items`) and what it is itself a replication of
    (`replica_of`): public for a public innovation, else for those who may read it."""
    innovation, _ = replications.get_visible(
        session=session, innovation_id=innovation_id, user=user
    )
    return replications.list_replications(session=session, innovation=innovation, user=user)


@router.post(
    "/innovations/{innovation_id}/replications",
    response_model=ReplicationOut,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
)
def record_innovation_replication(
    innovation_id: IdPath, body: ReplicationIn, session: SessionDep, user: CurrentUser
) -> ReplicationOut:
    """Record that your organisation (or agency) replicated a public innovation: the
    organising team or an agency admin. The original's team is told."""
    innovation, competition = replications.get_visible(
        session=session, innovation_id=innovation_id, user=user
    )
    replication = replications.record(
        session=session,
        actor=user,
        innovation=innovation,
        competition=competition,
        replication_in=body,
    )
    return replications.present_one(session=session, replication=replication, user=user)


@router.delete(
    "/innovations/{innovation_id}/replications/{replication_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=WRITE_ERRORS,
)
def delete_innovation_replication(
    innovation_id: IdPath, replication_id: IdPath, session: SessionDep, user: CurrentUser
) -> None:
    """Remove a replication: whoever recorded it, or the organising team."""
    innovation, competition = replications.get_visible(
        session=session, innovation_id=innovation_id, user=user
    )
    replication = replications.get_replication(
        session=session, innovation=innovation, replication_id=replication_id
    )
    replications.delete(
        session=session, actor=user, competition=competition, replication=replication
    )
