"""The request guard: authentication and body limits before any body is read.

A pure ASGI middleware, so nothing is buffered: for the route a request matches it

1. refuses a protected operation (one that depends on the current user) without a credential,
   or with an access token that does not verify, before reading a single body byte (401);
2. refuses a declared ``Content-Length`` above the route's limit at once (413), and counts the
   bytes of every body as they arrive — chunked bodies included — answering 413 as soon as the
   limit is passed, without reading on;
3. on imports, counts rows as they arrive and answers 413 past ``KIPP_MAX_IMPORT_ROWS``.

Which operations are protected is not listed here: it is read from each route's own
dependencies (``CurrentUser`` and the role guards), the one place that already says it.
The full check (revocation, deactivation, session version) stays in ``deps.get_current_user``;
here only what needs no database is checked, so a forged token costs no body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from fastapi import params
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kipp.config import Settings
from kipp.deps import get_current_user, get_optional_user
from kipp.errors import PayloadTooLarge, Unauthorized, problem_response
from kipp.security import API_TOKEN_PREFIX, decode_access_claims

# Room for the multipart framing (boundaries, part headers) around an uploaded file.
MULTIPART_OVERHEAD = 64 * 1024
# A personal access token is the prefix and 43 URL-safe characters (32 random bytes).
_API_TOKEN_SHAPE = re.compile(re.escape(API_TOKEN_PREFIX) + r"[A-Za-z0-9_-]{43}")


class Access(Enum):
    """What a route asks of the caller."""

    PUBLIC = "public"  # the token is not looked at
    OPTIONAL = "optional"  # anonymous is fine, a bad token is refused
    REQUIRED = "required"  # a valid credential, or 401


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


def _calls(dependant: Dependant) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def route_policy(route: BaseRoute) -> RoutePolicy:
    """The policy of one route, read from its declaration: its user dependencies say who may
    call it; a file parameter makes it an upload; an ``imports`` path segment an import."""
    if not isinstance(route, APIRoute):
        return DEFAULT_POLICY
    calls = set(_calls(route.dependant))
    if get_current_user in calls:
        access = Access.REQUIRED
    elif get_optional_user in calls:
        access = Access.OPTIONAL
    else:
        access = Access.PUBLIC
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
    """Raised inside the app's receive() once the body passes its limit."""


class RequestGuard:
    """See the module docstring. ``routes`` is the app's route list (read at request time, so
    routes added after the middleware count)."""

    def __init__(self, app: ASGIApp, *, routes: Sequence[BaseRoute], settings: Settings) -> None:
        self.app = app
        self.routes = routes
        self.settings = settings
        self._policies: dict[int, RoutePolicy] = {}

    def policy_for(self, scope: Scope) -> RoutePolicy:
        for route in self.routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                policy = self._policies.get(id(route))
                if policy is None:
                    policy = self._policies[id(route)] = route_policy(route)
                return policy
        return DEFAULT_POLICY

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        policy = self.policy_for(scope)
        refusal = self._credential_refusal(request, policy.access)
        if refusal is not None:
            await problem_response(
                request,
                status=Unauthorized.status,
                code=Unauthorized.code,
                title_en=Unauthorized.title_en,
                title_id=Unauthorized.title_id,
                detail=refusal,
                headers={"WWW-Authenticate": "Bearer"},
            )(scope, receive, send)
            return
        limit = body_limit(policy.body, self.settings)
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._too_large(request, send, f"The body is larger than {limit} bytes.")
            return
        await self._guarded(request, policy, limit, receive, send)

    def _credential_refusal(self, request: Request, access: Access) -> str | None:
        """Why the request's credential is refused before its body, or None."""
        if access is Access.PUBLIC:
            return None
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return "Log in first." if access is Access.REQUIRED else None
        if token.startswith(API_TOKEN_PREFIX):
            valid = _API_TOKEN_SHAPE.fullmatch(token) is not None
        else:
            valid = decode_access_claims(token, secret_key=self.settings.secret_key) is not None
        return None if valid else "The token is invalid, expired or revoked."

    async def _guarded(
        self, request: Request, policy: RoutePolicy, limit: int, receive: Receive, send: Send
    ) -> None:
        received = 0
        refused: str | None = None
        started = False
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        counter = (
            RowCounter(media_type)
            if policy.body is BodyKind.IMPORT and media_type in {"text/csv", "application/json"}
            else None
        )
        max_rows = self.settings.max_import_rows

        async def limited_receive() -> Message:
            nonlocal received, refused
            if refused is not None:
                raise _BodyRefused(refused)
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > limit:
                    refused = f"The body is larger than {limit} bytes."
                elif counter is not None:
                    counter.feed(chunk)
                    if counter.rows > max_rows:
                        refused = f"An import may have at most {max_rows} rows; split the file."
                if refused is not None:
                    raise _BodyRefused(refused)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if refused is not None:
                return  # the app's answer to the broken stream is replaced by the 413 below
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(request.scope, limited_receive, watched_send)
        except Exception:
            if refused is None or started:
                raise
        if refused is not None and not started:
            await self._too_large(request, send, refused)

    @staticmethod
    async def _too_large(request: Request, send: Send, detail: str) -> None:
        response = problem_response(
            request,
            status=PayloadTooLarge.status,
            code=PayloadTooLarge.code,
            title_en="The request body is too large",
            title_id="Isi permintaan terlalu besar",
            detail=detail,
            # The rest of the body is not read: the connection cannot be reused.
            headers={"Connection": "close"},
        )
        await response(request.scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.disconnect"}
