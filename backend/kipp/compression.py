"""JSON answers compressed on the way out (brotli, else gzip), as the client accepts.

A pure ASGI middleware. It looks only at answers whose body is JSON (``application/json``,
``application/problem+json``, any ``+json``) and that are not encoded already:

- every such answer gets ``Vary: Accept-Encoding`` (a cache must not hand a brotli body to a
  client that did not ask for it);
- a body sent in one piece of at least ``minimum_size`` bytes is compressed whole — the API's
  JSON answers are built in memory anyway, so holding the one body message costs nothing;
- a streamed body (more than one message: CSV exports, event streams, file downloads) is passed
  through as it comes, never buffered; small bodies too (a few hundred bytes of JSON fit in one
  packet, compressing them only costs CPU).

Static files are not compressed here: the build precompresses them (kipp.static).
"""

from __future__ import annotations

import gzip

import brotli
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kipp.static import choose_encoding

MINIMUM_SIZE = 1024
# On the fly: brotli 4 compresses JSON better than gzip 9 at a fraction of brotli 11's cost.
BROTLI_QUALITY = 4
GZIP_LEVEL = 6
CODINGS = {"br", "gzip"}


def is_json(content_type: str | None) -> bool:
    """Whether a Content-Type names a JSON body."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def compress(body: bytes, coding: str) -> bytes:
    """``body`` in ``coding`` (``br`` or ``gzip``)."""
    if coding == "br":
        compressed: bytes = brotli.compress(body, quality=BROTLI_QUALITY)
        return compressed
    # mtime=0: the same body always compresses to the same bytes.
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


class CompressJson:
    """See the module docstring."""

    def __init__(self, app: ASGIApp, *, minimum_size: int = MINIMUM_SIZE) -> None:
        self.app = app
        self.minimum_size = minimum_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        coding = choose_encoding(Headers(scope=scope).get("accept-encoding"), CODINGS)
        held: Message | None = None

        async def send_compressed(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                if is_json(headers.get("content-type")) and "content-encoding" not in headers:
                    MutableHeaders(scope=message).add_vary_header("Accept-Encoding")
                    held = message  # decided by the first body message
                    return
                await send(message)
                return
            if held is None or message["type"] != "http.response.body":
                await send(message)
                return
            start, held = held, None
            body: bytes = message.get("body", b"")
            if coding is None or message.get("more_body", False) or len(body) < self.minimum_size:
                await send(start)
                await send(message)
                return
            compressed = compress(body, coding)
            headers = MutableHeaders(scope=start)
            headers["Content-Encoding"] = coding
            headers["Content-Length"] = str(len(compressed))
            await send(start)
            await send({"type": "http.response.body", "body": compressed, "more_body": False})

        await self.app(scope, receive, send_compressed)
