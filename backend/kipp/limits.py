"""The request guard: authentication and body limits before any body is read.

A pure ASGI middleware, so nothing is buffered: for the route a request matches it

1. refuses a protected operation (every API operation not marked public) without a
   credential, or with an access token that does not verify, before reading a single body
   byte (401);
2. refuses a declared ``Content-Length`` above the route's limit at once (413), and counts the
   bytes of every body as they arrive — chunked bodies included — answering 413 as soon as the
   limit is passed, without reading on;
3. on imports, counts rows as they arrive and answers 413 past ``KIPP_MAX_IMPORT_ROWS``.

Which operations are protected is not listed here: it is read from the route's public mark
(``kipp.deps.route_access``), the same mark that decides its login dependency and the OpenAPI
document's ``x-public``. The
checks run at the app's first ``receive()``: routing is done then and no body byte is read.
The full check (revocation, deactivation, session version) stays in ``deps.get_current_user``;
here only what needs no database is checked, so a forged token costs no body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from fastapi import params
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kipp.config import Settings
from kipp.deps import Access, route_access
from kipp.errors import PayloadTooLarge, Unauthorized, problem_response
from kipp.i18n import Msg
from kipp.security import API_TOKEN_PREFIX, decode_access_claims

# Room for the multipart framing (boundaries, part headers) around an uploaded file.
MULTIPART_OVERHEAD = 64 * 1024
# A personal access token is the prefix and 43 URL-safe characters (32 random bytes).
_API_TOKEN_SHAPE = re.compile(re.escape(API_TOKEN_PREFIX) + r"[A-Za-z0-9_-]{43}")


class BodyKind(Enum):
    """Which body limit a route gets."""

    JSON = "json"  # JSON and small forms: KIPP_MAX_JSON_BYTES
    UPLOAD = "upload"  # multipart files: KIPP_MAX_UPLOAD_BYTES + the framing
    IMPORT = "import"  # CSV/JSON imports: KIPP_MAX_IMPORT_BYTES and KIPP_MAX_IMPORT_ROWS


@dataclass(frozen=True)
class RoutePolicy:
    access: Access
    body: BodyKind


DEFAULT_POLICY = RoutePolicy(access=Access.PUBLIC, body=BodyKind.JSON)


def route_policy(route: BaseRoute) -> RoutePolicy:
    """The policy of one route, read from its declaration: its public mark says who may call
    it; a file parameter makes it an upload; an ``imports`` path segment an import."""
    if not isinstance(route, APIRoute):
        return DEFAULT_POLICY
    access = route_access(route)
    if "imports" in route.path.split("/"):
        body = BodyKind.IMPORT
    elif any(isinstance(field.field_info, params.File) for field in route.dependant.body_params):
        body = BodyKind.UPLOAD
    else:
        body = BodyKind.JSON
    return RoutePolicy(access=access, body=body)


def body_limit(kind: BodyKind, settings: Settings) -> int:
    """The most bytes a body of this kind may have."""
    if kind is BodyKind.UPLOAD:
        return settings.max_upload_bytes + MULTIPART_OVERHEAD
    if kind is BodyKind.IMPORT:
        return settings.max_import_bytes
    return settings.max_json_bytes


class RowCounter:
    """Counts the rows of a CSV or JSON import as its bytes stream by (no parsing, no buffer).

    CSV: line ends outside double quotes, less the header (blank lines count, as they do in
    the import's row numbers). JSON: objects directly inside the top-level array.
    """

    _CSV_MARKS = re.compile(rb'["\n]')
    _JSON_MARKS = re.compile(rb'["\\{}\[\]]')

    def __init__(self, media_type: str) -> None:
        self.csv = media_type == "text/csv"
        self.records = 0
        self._in_string = False
        self._open_line = False  # CSV: bytes after the last counted line end
        self._depth = 0
        self._escaped_at = -1  # JSON: the position (in the next chunk) a backslash escapes

    @property
    def rows(self) -> int:
        if self.csv:
            return max(0, self.records + (1 if self._open_line else 0) - 1)
        return self.records

    def feed(self, chunk: bytes) -> None:
        if self.csv:
            self._feed_csv(chunk)
        else:
            self._feed_json(chunk)

    def _feed_csv(self, chunk: bytes) -> None:
        if not chunk:
            return
        last_end = -1
        for mark in self._CSV_MARKS.finditer(chunk):
            if mark.group() == b'"':
                self._in_string = not self._in_string  # "" inside a field toggles twice
            elif not self._in_string:
                self.records += 1
                last_end = mark.start()
        if last_end >= 0:
            self._open_line = last_end < len(chunk) - 1
        else:
            self._open_line = True

    def _feed_json(self, chunk: bytes) -> None:
        escaped_at, self._escaped_at = self._escaped_at, -1
        for mark in self._JSON_MARKS.finditer(chunk):
            position, char = mark.start(), mark.group()
            if self._in_string:
                if position == escaped_at:
                    continue
                if char == b"\\":
                    escaped_at = position + 1
                    if escaped_at == len(chunk):
                        self._escaped_at = 0
                elif char == b'"':
                    self._in_string = False
            elif char == b'"':
                self._in_string = True
            elif char in (b"{", b"["):
                if char == b"{" and self._depth == 1:
                    self.records += 1
                self._depth += 1
            else:
                self._depth -= 1


class _BodyRefused(Exception):
    """Raised inside the app's receive(): the body is not (or no longer) read."""


@dataclass(frozen=True)
class _Refusal:
    status: int
    code: str
    title_en: str
    title_id: str
    detail: Msg
    headers: dict[str, str]


_LOG_IN_FIRST = Msg(id="Silakan masuk terlebih dahulu.", en="Log in first.")
_TOKEN_REFUSED = Msg(
    id="Token tidak sah, sudah kedaluwarsa, atau sudah dicabut.",
    en="The token is invalid, expired or revoked.",
)


def _body_too_large(limit: int) -> Msg:
    return Msg(
        id="Isi permintaan lebih besar dari {limit} bita.",
        en="The body is larger than {limit} bytes.",
    ).format(limit=limit)


def _unauthorized(detail: Msg) -> _Refusal:
    return _Refusal(
        Unauthorized.status,
        Unauthorized.code,
        Unauthorized.title_en,
        Unauthorized.title_id,
        detail,
        {"WWW-Authenticate": "Bearer"},
    )


def _too_large(detail: Msg) -> _Refusal:
    # The rest of the body is not read: the connection cannot be reused.
    return _Refusal(
        PayloadTooLarge.status,
        PayloadTooLarge.code,
        "The request body is too large",
        "Isi permintaan terlalu besar",
        detail,
        {"Connection": "close"},
    )


class RequestGuard:
    """See the module docstring.

    The checks run when the app first asks for the body: by then the router has matched the
    request (``scope["route"]``), so the route's own declaration decides, and nothing of the
    body has been read yet. A refusal replaces whatever the app answers to the broken stream.
    """

    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self._policies: dict[int, RoutePolicy] = {}

    def policy_for(self, route: BaseRoute | None) -> RoutePolicy:
        if route is None:
            return DEFAULT_POLICY
        policy = self._policies.get(id(route))
        if policy is None:
            policy = self._policies[id(route)] = route_policy(route)
        return policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal: _Refusal | None = None
        started = False
        first = True
        received = 0
        limit = self.settings.max_json_bytes
        counter: RowCounter | None = None
        max_rows = self.settings.max_import_rows

        def check_before_reading() -> _Refusal | None:
            nonlocal limit, counter
            policy = self.policy_for(scope.get("route"))
            credential = self._credential_refusal(request, policy.access)
            if credential is not None:
                return _unauthorized(credential)
            limit = body_limit(policy.body, self.settings)
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                return _too_large(_body_too_large(limit))
            media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if policy.body is BodyKind.IMPORT and media_type in {"text/csv", "application/json"}:
                counter = RowCounter(media_type)
            return None

        async def guarded_receive() -> Message:
            nonlocal refusal, first, received
            if first:
                first = False
                refusal = check_before_reading()
            if refusal is not None:
                raise _BodyRefused(str(refusal.detail))
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > limit:
                    refusal = _too_large(_body_too_large(limit))
                elif counter is not None:
                    counter.feed(chunk)
                    if counter.rows > max_rows:
                        refusal = _too_large(
                            Msg(
                                id="Impor paling banyak {rows} baris; pecah berkasnya.",
                                en="An import may have at most {rows} rows; split the file.",
                            ).format(rows=max_rows)
                        )
                if refusal is not None:
                    raise _BodyRefused(str(refusal.detail))
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if refusal is not None:
                return  # the app's answer to the broken stream is replaced below
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, guarded_receive, watched_send)
        except Exception:
            if refusal is None or started:
                raise
        if refusal is not None and not started:
            response = problem_response(
                request,
                status=refusal.status,
                code=refusal.code,
                title_en=refusal.title_en,
                title_id=refusal.title_id,
                detail=refusal.detail,
                headers=refusal.headers,
            )
            await response(scope, _no_body, send)

    def _credential_refusal(self, request: Request, access: Access) -> Msg | None:
        """Why the request's credential is refused before its body, or None."""
        if access is Access.PUBLIC:
            return None
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return _LOG_IN_FIRST if access is Access.REQUIRED else None
        if token.startswith(API_TOKEN_PREFIX):
            valid = _API_TOKEN_SHAPE.fullmatch(token) is not None
        else:
            valid = decode_access_claims(token, secret_key=self.settings.secret_key) is not None
        return None if valid else _TOKEN_REFUSED


async def _no_body() -> Message:
    return {"type": "http.disconnect"}
