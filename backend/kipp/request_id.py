"""A request id on every request: taken from a safe incoming ``X-Request-ID`` or made up, echoed
in the response header and in every problem+json body, and written in the error log, so a user's
report ("request id 5f0c…") leads to the log line with the traceback."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "X-Request-ID"
# A proxy's id is kept only when it cannot forge log lines or headers: short, plain characters.
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


# The request being answered, for log lines written anywhere while answering it (the thread
# pool copies the context, so sync routes and services see it too).
current_request_id: ContextVar[str | None] = ContextVar("kipp_request_id", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def safe_request_id(incoming: str | None) -> str:
    """The incoming id when it is safe to log and echo, else a fresh one."""
    if incoming and _SAFE_ID.fullmatch(incoming):
        return incoming
    return new_request_id()


def request_id_of(request: Request) -> str | None:
    """The id the middleware gave this request (None outside it, e.g. in a bare test app)."""
    value = request.scope.get("state", {}).get("request_id")
    return value if isinstance(value, str) else None


class RequestIdMiddleware:
    """Pure ASGI (no BaseHTTPMiddleware): streams and background tasks pass through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Request(scope).headers.get(HEADER)
        request_id = safe_request_id(incoming)
        # The same scope reaches the error handlers, the outermost 500 one included.
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if HEADER not in headers:
                    headers[HEADER] = request_id
            await send(message)

        token = current_request_id.set(request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            current_request_id.reset(token)
