"""Security headers on every response, and the API docs served under their own policy.

Every answer (SPA, assets, API, errors) gets ``X-Content-Type-Options: nosniff``, a
``Referrer-Policy`` and — unless the response set its own — a Content-Security-Policy that
allows only this origin's scripts and no framing; HSTS is added when the client came over
HTTPS (directly, or through a proxy in KIPP_TRUSTED_PROXIES that says so).

Swagger UI at ``/docs`` loads its script and stylesheet from a CDN and starts with an inline
script. Rather than loosening the app's policy, ``/docs`` gets its own: the CDN for scripts and
styles (inline styles too, which Swagger UI adds at run time), plus the SHA-256 of exactly the
inline script it serves — no other inline script runs. Self-hosting swagger-ui-dist would
remove the CDN from the policy; it is a new dependency, so it is left to a decision.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kipp.config import Settings
from kipp.deps import PUBLIC, forwarded_scheme

APP_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=31536000; includeSubDomains"
REFERRER_POLICY = "strict-origin-when-cross-origin"
DOCS_URL = "/docs"
DOCS_OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
SWAGGER_CDN = "https://cdn.jsdelivr.net"
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL)


def inline_script_hashes(html: bytes) -> list[str]:
    """CSP source expressions (``'sha256-…'``) for every inline script of a page."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html)
    ]


def docs_csp(html: bytes) -> str:
    """The policy of a Swagger UI page: its CDN and its own inline scripts, nothing more."""
    scripts = " ".join(["'self'", SWAGGER_CDN, *inline_script_hashes(html)])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            # Swagger UI 5 adds <style> elements at run time; styles cannot run code.
            f"style-src 'self' 'unsafe-inline' {SWAGGER_CDN}",
            "img-src 'self' data: https://fastapi.tiangolo.com",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _page(html: HTMLResponse) -> HTMLResponse:
    body = bytes(html.body)
    return HTMLResponse(body, headers={"Content-Security-Policy": docs_csp(body)})


def install_docs(app: FastAPI) -> None:
    """Serve Swagger UI at /docs (and its OAuth2 redirect page), each with its own CSP.

    Create the app with ``docs_url=None, redoc_url=None`` so these are the only docs pages.
    """
    openapi_url = app.openapi_url or "/openapi.json"
    docs = _page(
        get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=DOCS_OAUTH2_REDIRECT_URL,
        )
    )
    redirect = _page(get_swagger_ui_oauth2_redirect_html())

    @app.get(DOCS_URL, include_in_schema=False, openapi_extra=PUBLIC)
    def swagger_ui() -> HTMLResponse:
        return docs

    @app.get(DOCS_OAUTH2_REDIRECT_URL, include_in_schema=False, openapi_extra=PUBLIC)
    def swagger_ui_redirect() -> HTMLResponse:
        return redirect


class SecurityHeaders:
    """Pure ASGI middleware adding the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.trusted = settings.trusted_proxy_networks

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = self._is_https(scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", APP_CSP)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", REFERRER_POLICY)
                headers.setdefault("X-Frame-Options", "DENY")
                if https:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _is_https(self, scope: Scope) -> bool:
        client = scope.get("client")
        proto = _header(scope["headers"], b"x-forwarded-proto")
        scheme = forwarded_scheme(
            peer=client[0] if client else None,
            scheme=str(scope.get("scheme", "http")),
            forwarded_proto=proto,
            trusted=self.trusted,
        )
        return scheme == "https"


def _header(headers: Sequence[tuple[bytes, bytes]], name: bytes) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return None
