"""POST a CSV or JSON file of agencies, users or innovations; get back what it did."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.responses import JSONResponse

from kipp.competitions import service as competitions_service
from kipp.deps import AdminUser, SessionDep, api_router
from kipp.errors import (
    PROBLEM_JSON,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
    UnsupportedMediaType,
    ValidationFailed,
    request_language,
    responses_for,
)
from kipp.i18n import Msg, text_in
from kipp.imports import agencies, common, innovations, parsing, users
from kipp.imports.schemas import ImportProblem, ImportReport, ImportRowError
from kipp.schemas import IdPath

router = api_router(tags=["imports"])

MAX_IMPORT_BYTES = 50 * 1024 * 1024
_MEDIA_TYPES = {"text/csv": parsing.CSV, "application/json": parsing.JSON}

DryRun = Annotated[
    bool, Query(description="Check the file and report what it would do; write nothing.")
]


@dataclass(frozen=True)
class ImportBody:
    content: bytes
    fmt: str


async def import_body(request: Request) -> ImportBody:
    """The raw body, as CSV (``text/csv``) or JSON (``application/json``), at most 50 MB."""
    content_type = request.headers.get("content-type", "")
    media_type, *params = (part.strip().lower() for part in content_type.split(";"))
    fmt = _MEDIA_TYPES.get(media_type)
    if fmt is None:
        raise UnsupportedMediaType(
            Msg(
                id="Kirim berkas sebagai text/csv atau application/json, bukan {kind}.",
                en="Send the file as text/csv or application/json, not {kind}.",
            ).format(kind=media_type or Msg(id="tanpa jenis", en="nothing"))
        )
    for param in params:
        name, _, value = param.partition("=")
        if name.strip() == "charset" and value.strip().strip('"') not in {"utf-8", "utf8"}:
            raise UnsupportedMediaType(
                Msg(
                    id="Kirim berkas dalam UTF-8, bukan {charset}.",
                    en="Send the file as UTF-8, not {charset}.",
                ).format(charset=value.strip())
            )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_IMPORT_BYTES:
            raise PayloadTooLarge(
                Msg(
                    id="Berkas impor paling besar {limit} bita.",
                    en="An import file may be at most {limit} bytes.",
                ).format(limit=MAX_IMPORT_BYTES)
            )
        chunks.append(chunk)
    return ImportBody(content=b"".join(chunks), fmt=fmt)


ImportBodyDep = Annotated[ImportBody, Depends(import_body)]


def _request_body(columns: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "description": (
                f"CSV with a header row ({columns}), UTF-8 (a BOM is accepted), or a JSON "
                "array of objects with the same keys."
            ),
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {
                    "schema": {"type": "array", "items": {"type": "object"}},
                },
            },
        }
    }


_RESPONSES: dict[int | str, dict[str, Any]] = {
    **responses_for(Unauthorized, Forbidden, PayloadTooLarge, UnsupportedMediaType),
    # Two bodies answer 422: a refused file (ImportProblem: every row error and the counts of
    # the valid rows) and a request that is not valid before any file is read, such as a bad
    # `dry_run` (the plain Problem, whose errors have no row). The spec says both.
    422: {
        "model": ImportProblem,
        "description": "The file has errors (ImportProblem: every one listed with its row), "
        "or the request itself is not valid (Problem); nothing written",
        "content": {
            PROBLEM_JSON: {
                "schema": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/ImportProblem"},
                        {"$ref": "#/components/schemas/Problem"},
                    ]
                }
            }
        },
    },
}


_KINDS = {
    "agencies": Msg(id="perangkat daerah", en="agencies"),
    "users": Msg(id="pengguna", en="users"),
    "innovations": Msg(id="inovasi", en="innovations"),
}


def _answer(request: Request, report: common.ImportReport) -> ImportReport | JSONResponse:
    """The report; with errors (and not a dry run) a 422 problem carrying the same report,
    every message in the request's language."""
    lang = request_language(request)
    body = ImportReport(
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        errors=[
            ImportRowError(row=e.row, field=e.field, code=e.code, message=text_in(e.message, lang))
            for e in report.errors
        ],
        dry_run=report.dry_run,
    )
    if report.dry_run or not report.errors:
        return body
    count = len(report.errors)
    first = report.errors[0]
    problem = ImportProblem(
        type=f"https://kipp.example/problems/{ValidationFailed.code}",
        title=ValidationFailed.title_en if lang == "en" else ValidationFailed.title_id,
        status=422,
        detail=text_in(
            Msg(
                id="Berkas {kind} memuat {count} kesalahan; tidak ada yang diimpor. Yang pertama: "
                "baris {row}, {field}: {message}.",
                en="The {kind} file has {count} {errors}; nothing was imported. First: row "
                "{row}, {field}: {message}.",
            ).format(
                kind=_KINDS.get(report.kind, Msg(id=report.kind, en=report.kind)),
                count=count,
                errors="errors" if count > 1 else "error",
                row=first.row,
                field=first.field,
                message=first.message,
            ),
            lang,
        ),
        **body.model_dump(),
    )
    return JSONResponse(problem.model_dump(), status_code=422, media_type=PROBLEM_JSON)


@router.post(
    "/imports/agencies",
    response_model=ImportReport,
    responses=_RESPONSES,
    openapi_extra=_request_body("code,name"),
)
def import_agencies(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    upload: ImportBodyDep,
    dry_run: DryRun = False,
) -> ImportReport | JSONResponse:
    """Create or update agencies by `code`. All-or-nothing; a second identical import
    reports every row unchanged. Rows count from 1 (the header is row 0)."""
    report = agencies.import_agencies(
        session=session, actor=admin, body=upload.content, fmt=upload.fmt, dry_run=dry_run
    )
    return _answer(request, report)


@router.post(
    "/imports/users",
    response_model=ImportReport,
    responses=_RESPONSES,
    openapi_extra=_request_body("email,full_name,role,agency_code,password"),
)
def import_users(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    upload: ImportBodyDep,
    dry_run: DryRun = False,
) -> ImportReport | JSONResponse:
    """Create or update users by e-mail (any case). `password` is required for a new user;
    blank leaves an existing user's password unchanged. All-or-nothing."""
    report = users.import_users(
        session=session, actor=admin, body=upload.content, fmt=upload.fmt, dry_run=dry_run
    )
    return _answer(request, report)


@router.post(
    "/competitions/{competition_id}/imports/innovations",
    response_model=ImportReport,
    responses={**_RESPONSES, **responses_for(NotFound)},
    openapi_extra=_request_body(
        "external_ref,title,agency_code,group,category,origin,started_on,summary,video_url,"
        "team_emails,status,section.<key>…"
    ),
)
def import_competition_innovations(
    competition_id: IdPath,
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    upload: ImportBodyDep,
    dry_run: DryRun = False,
) -> ImportReport | JSONResponse:
    """Create or update a competition's innovations by `external_ref`: drafts, or submitted
    where the `status` column says so. Not bound by the submission window. All-or-nothing."""
    competition = competitions_service.get(
        session=session, competition_id=competition_id, with_stages=False
    )
    report = innovations.import_innovations(
        session=session,
        actor=admin,
        competition=competition,
        body=upload.content,
        fmt=upload.fmt,
        dry_run=dry_run,
    )
    return _answer(request, report)
