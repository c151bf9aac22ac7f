"""Domain errors and the one handler that renders every error as RFC 9457 problem+json."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kipp.db import DatabaseFailure, classify_database_error
from kipp.field_errors import check_fields, field_problems, pointer_from_field
from kipp.i18n import Lang, Msg, Text, language_of, text_in
from kipp.request_id import HEADER as REQUEST_ID_HEADER
from kipp.request_id import request_id_of

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger("kipp")


class FieldProblem(BaseModel):
    """One field's problem, its message in the request's language; imports add the 1-based
    `row`, readiness `params`."""

    model_config = ConfigDict(extra="allow")

    field: str = Field(
        description="The field's dotted name (`stages.3.starts_at`); kept for older clients, "
        "prefer `pointer`."
    )
    message: str = Field(description="What is wrong, in the language of Accept-Language.")
    code: str | None = Field(
        default=None,
        description="A stable machine code: pydantic's error type (`missing`, "
        "`string_too_short`, `greater_than_equal`, …) or a domain code (`already_used`, "
        "`window_overlap`, …). Compare codes, never messages.",
    )
    pointer: str | None = Field(
        default=None,
        description="RFC 6901 JSON pointer to the value in the request body or query "
        "(`/stages/3/starts_at`; `` for the whole body). Import row errors name a `row` and "
        "a `field` (the column) instead.",
    )
    row: int | None = None


class BlockerOut(BaseModel):
    # One thing that stops a competition moving to its next stage (`GET …/advance`, 409s).
    code: str
    message: str
    count: int
    ids: list[int]
    forceable: bool


class ProblemBlocker(BlockerOut):
    """A blocker of a refused move (409); `scoresheets_missing` also counts, per judge id, the
    assignments without a final scoresheet."""

    judges: dict[str, int] | None = None


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldProblem] | None = None
    blockers: list[ProblemBlocker] | None = None
    request_id: str | None = Field(
        default=None,
        description="The request's X-Request-ID: quote it when reporting a problem; "
        "the server's log line has it too.",
    )


class KippError(Exception):
    """Base of every domain error; the class carries its status and localised titles."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad-request"
    title_en: ClassVar[str] = "Bad request"
    title_id: ClassVar[str] = "Permintaan tidak valid"
    keep_changes: ClassVar[bool] = False

    def __init__(
        self,
        detail: Text | None = None,
        *,
        errors: Sequence[Mapping[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
        blockers: Sequence[Mapping[str, Any]] | None = None,
    ) -> None:
        super().__init__(str(detail) if detail is not None else self.title_en)
        self.detail = detail
        self.errors = [dict(e) for e in errors] if errors is not None else None
        self.headers = dict(headers or {})
        self.blockers = [dict(b) for b in blockers] if blockers is not None else None


class ValidationFailed(KippError):
    status = 422
    code = "validation-error"
    title_en = "The request is not valid"
    title_id = "Permintaan tidak valid"


class Unauthorized(KippError):
    status = 401
    code = "unauthorized"
    title_en = "Authentication required"
    title_id = "Perlu masuk terlebih dahulu"


class InvalidCredentials(Unauthorized):
    code = "invalid-credentials"
    title_en = "Wrong e-mail or password"
    title_id = "E-mail atau kata sandi salah"
    keep_changes = True  # the failed attempt is counted for the rate limit


class InvalidRefreshToken(Unauthorized):
    code = "invalid-refresh-token"
    title_en = "The refresh token is not valid"
    title_id = "Token penyegaran tidak valid"
    keep_changes = True  # reuse detection revokes the family and that must stick


class InvalidActionToken(KippError):
    status = 400
    code = "invalid-action-token"
    title_en = "This link is not valid"
    title_id = "Tautan ini tidak berlaku"
    keep_changes = True  # the failed attempt is counted for the rate limit


class Forbidden(KippError):
    status = 403
    code = "forbidden"
    title_en = "Not allowed"
    title_id = "Tidak diizinkan"


class NotFound(KippError):
    status = 404
    code = "not-found"
    title_en = "Not found"
    title_id = "Tidak ditemukan"


class Conflict(KippError):
    status = 409
    code = "conflict"
    title_en = "Conflict with the current state"
    title_id = "Bertentangan dengan keadaan saat ini"


class StaleVersion(Conflict):
    code = "stale-version"
    title_en = "Someone else changed this first"
    title_id = "Data sudah diubah orang lain"


class InvalidTransition(Conflict):
    code = "invalid-transition"
    title_en = "This step is not allowed now"
    title_id = "Langkah ini tidak diizinkan sekarang"


class WindowClosed(Conflict):
    code = "window-closed"
    title_en = "The stage window is closed"
    title_id = "Jadwal tahapan sudah ditutup"


class PayloadTooLarge(KippError):
    status = 413
    code = "payload-too-large"
    title_en = "The upload is too large"
    title_id = "Berkas terlalu besar"


class UnsupportedMediaType(KippError):
    status = 415
    code = "unsupported-media-type"
    title_en = "Unsupported file type"
    title_id = "Jenis berkas tidak didukung"


class RangeNotSatisfiable(KippError):
    status = 416
    code = "range-not-satisfiable"
    title_en = "The asked byte range is outside the file"
    title_id = "Rentang bita yang diminta di luar berkas"


class StorageUnavailable(KippError):
    status = 503
    code = "storage-unavailable"
    title_en = "The file storage is unavailable"
    title_id = "Penyimpanan berkas tidak tersedia"


class TooManyRequests(KippError):
    status = 429
    code = "too-many-requests"
    title_en = "Too many attempts"
    title_id = "Terlalu banyak percobaan"


_GENERIC_TITLES: dict[int, tuple[str, str]] = {
    401: (Unauthorized.title_en, Unauthorized.title_id),
    403: (Forbidden.title_en, Forbidden.title_id),
    404: (NotFound.title_en, NotFound.title_id),
    405: ("Method not allowed", "Metode tidak diizinkan"),
    409: (Conflict.title_en, Conflict.title_id),
    413: (PayloadTooLarge.title_en, PayloadTooLarge.title_id),
    415: (UnsupportedMediaType.title_en, UnsupportedMediaType.title_id),
    422: (ValidationFailed.title_en, ValidationFailed.title_id),
    429: (TooManyRequests.title_en, TooManyRequests.title_id),
}


def request_language(request: Request) -> Lang:
    """The answer's language: ``Accept-Language`` (Indonesian unless English comes first)."""
    return language_of(request.headers.get("accept-language"))


def wants_english(request: Request) -> bool:
    return request_language(request) == "en"


def _localised(items: Sequence[Mapping[str, Any]], lang: Lang) -> list[dict[str, Any]]:
    """Blockers or field errors with every bilingual value (``Msg``) in the answer's language."""
    return [
        {key: text_in(value, lang) if isinstance(value, Msg) else value for key, value in e.items()}
        for e in items
    ]


def _field_errors(
    errors: Sequence[Mapping[str, Any]], lang: Lang, code: str
) -> list[dict[str, Any]]:
    """Field errors in the answer's language, each with a ``code`` (the problem's own unless
    the raise site named one) and, outside import rows, the ``pointer`` of its field."""
    out = _localised(errors, lang)
    for e in out:
        e.setdefault("code", code)
        if e.get("row") is None and "pointer" not in e:
            e["pointer"] = pointer_from_field(str(e.get("field", "")))
    return out


def problem_response(
    request: Request,
    *,
    status: int,
    code: str,
    title_en: str,
    title_id: str,
    detail: Text | None = None,
    errors: Sequence[Mapping[str, Any]] | None = None,
    blockers: Sequence[Mapping[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    lang = request_language(request)
    body: dict[str, Any] = {
        "type": f"https://kipp.example/problems/{code}",
        "title": title_en if lang == "en" else title_id,
        "status": status,
        "detail": text_in(detail, lang) if detail is not None else None,
    }
    if errors is not None:
        body["errors"] = _field_errors(errors, lang, code)
    if blockers is not None:
        body["blockers"] = _localised(blockers, lang)
    all_headers = dict(headers or {})
    request_id = request_id_of(request)
    if request_id is not None:
        body["request_id"] = request_id
        # The outermost 500 handler answers outside the request-id middleware: say it here.
        all_headers.setdefault(REQUEST_ID_HEADER, request_id)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=all_headers)


def internal_error_response(request: Request, exc: BaseException) -> JSONResponse:
    """A fault: the cause goes to the log at ERROR with its traceback and the request id; the
    client gets problem+json with that id, not a bare "Internal Server Error"."""
    logger.error(
        "unhandled error on %s %s (request id %s)",
        request.method,
        request.url.path,
        request_id_of(request),
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    return problem_response(
        request,
        status=500,
        code="internal-error",
        title_en="Something went wrong on the server",
        title_id="Terjadi kesalahan pada server",
        detail=Msg(
            id="Tidak ada yang diubah. Kesalahan ini sudah dicatat.",
            en="Nothing was changed. The error has been logged.",
        ),
    )


def install_error_handlers(app: FastAPI) -> None:
    """One place renders every error: domain errors, validation errors, 404/405 and the rest."""

    @app.exception_handler(KippError)
    async def _kipp_error(request: Request, exc: KippError) -> JSONResponse:
        return problem_response(
            request,
            status=exc.status,
            code=exc.code,
            title_en=exc.title_en,
            title_id=exc.title_id,
            detail=exc.detail,
            errors=exc.errors,
            blockers=exc.blockers,
            headers=exc.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = field_problems(exc.errors())
        return problem_response(
            request,
            status=422,
            code=ValidationFailed.code,
            title_en=ValidationFailed.title_en,
            title_id=ValidationFailed.title_id,
            detail=check_fields(len(errors)),
            errors=errors,
        )

    async def _database_error(request: Request, exc: Exception) -> JSONResponse:
        # The transaction was rolled back (the session dependency). Only two failures are the
        # client's to retry; any other database error is a fault and is rendered as one.
        failure = classify_database_error(exc)
        if failure is DatabaseFailure.UNIQUE_VIOLATION:
            # Services check uniqueness first; this is the race two requests lost together
            # (the same new key written twice at once).
            logger.info("unique key race (request id %s): %s", request_id_of(request), exc)
            return problem_response(
                request,
                status=409,
                code=Conflict.code,
                title_en=Conflict.title_en,
                title_id=Conflict.title_id,
                detail=Msg(
                    id="Permintaan lain mengubah data yang sama pada saat bersamaan; tidak ada "
                    "yang diubah. Muat ulang lalu coba lagi.",
                    en="Another request changed the same data at the same time; nothing was "
                    "changed. Reload and try again.",
                ),
            )
        if failure is DatabaseFailure.BUSY:
            logger.warning("database busy (request id %s): %s", request_id_of(request), exc)
            return problem_response(
                request,
                status=503,
                code="database-busy",
                title_en="The database is busy",
                title_id="Basis data sedang sibuk",
                detail=Msg(
                    id="Tidak ada yang diubah; coba lagi sebentar lagi.",
                    en="Nothing was changed; try again in a moment.",
                ),
                headers={"Retry-After": "2"},
            )
        return internal_error_response(request, exc)

    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(PoolTimeoutError, _database_error)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return internal_error_response(request, exc)

    # Starlette's ServerErrorMiddleware would render the handler above too, but then re-raise,
    # and the server closes the client's keep-alive connection; UnexpectedErrors answers and is
    # done. The handler stays for an error raised outside it (in an outer middleware).
    app.add_middleware(UnexpectedErrors)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:
            return _unreadable_body(request, exc)
        phrase = HTTPStatus(exc.status_code).phrase
        title_en, title_id = _GENERIC_TITLES.get(exc.status_code, (phrase, phrase))
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != phrase else None
        return problem_response(
            request,
            status=exc.status_code,
            code=phrase.lower().replace(" ", "-"),
            title_en=title_en,
            title_id=title_id,
            detail=detail,
            headers=getattr(exc, "headers", None),
        )


def _unreadable_body(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    """A body that cannot even be read as its media type says: the documented 422.

    Only reading the body raises a bare 400 here: FastAPI for a JSON body that is not text
    (not UTF-8), Starlette for a broken form or multipart body. It is an invalid body like any
    other, so it gets the same answer as one (every operation with a body declares its 422)."""
    cause = exc.__cause__
    if isinstance(cause, UnicodeDecodeError):
        code = "body_not_utf8"
        message = Msg(
            id="Isi permintaan bukan UTF-8: bita 0x{byte} pada posisi {offset} tidak dapat dibaca.",
            en="The body is not UTF-8: byte 0x{byte} at offset {offset} cannot be decoded.",
        ).format(byte=f"{cause.object[cause.start]:02x}", offset=cause.start)
    else:
        code = "body_unreadable"
        reason = exc.detail if isinstance(exc.detail, str) else ""
        message = Msg(
            id=f"Isi permintaan tidak dapat dibaca. {reason}".strip(),
            en=f"The body cannot be read. {reason}".strip(),
        )
    return problem_response(
        request,
        status=422,
        code=ValidationFailed.code,
        title_en=ValidationFailed.title_en,
        title_id=ValidationFailed.title_id,
        detail=message,
        errors=[{"field": "body", "pointer": "", "code": code, "message": message}],
    )


class UnexpectedErrors:
    """Answers an unexpected exception with the 500 problem and ends the request there.

    Innermost of the app's middleware (right outside the routing and the error handlers), so
    the security headers still wrap the answer. Starlette's own last-resort handler re-raises
    after answering, and uvicorn then drops the keep-alive connection the next request of the
    same client would have used. An error after the answer has started cannot be answered
    any more: that one still goes up (and the connection is closed, as it must be)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as exc:
            if started:
                raise
            response = internal_error_response(Request(scope), exc)
            await response(scope, receive, send)


def responses_for(*errors: type[KippError]) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route, so the generated client knows its problem answers."""
    out: dict[int | str, dict[str, Any]] = {}
    for err in errors:
        out[err.status] = {
            "model": Problem,
            "description": err.title_en,
            "content": {PROBLEM_JSON: {}},
        }
    return out
