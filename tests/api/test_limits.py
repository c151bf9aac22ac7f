"""The request guard (issue 10, #2) and the security headers (#7).

Bodies are sent straight to the ASGI app here, chunk by chunk, with a receive() that counts
what the app actually read: that is what proves a body was (not) read.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pytest
import starlette.formparsers
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kipp.app import create_app
from kipp.config import get_settings
from kipp.headers import APP_CSP, HSTS
from kipp.limits import MULTIPART_OVERHEAD, RowCounter
from kipp.models import Role
from tests.factories import Factory, auth_headers

CHUNK = 64 * 1024


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    bytes_read: int  # how much of the request body the app pulled through receive()
    json: Any = field(init=False)

    def __post_init__(self) -> None:
        self.json = json.loads(self.body) if self.body.startswith(b"{") else None


def _send_raw(
    app: FastAPI,
    path: str,
    chunks: Iterable[bytes],
    headers: dict[str, str] | None = None,
    method: str = "POST",
) -> Answer:
    """Call the app as a server would, streaming ``chunks`` (chunked: no Content-Length
    unless ``headers`` declares one)."""
    source = iter(chunks)
    pending = next(source, None)
    read = 0
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pending, read
        if pending is None:
            await asyncio.sleep(3600)  # a real client would wait; the app must not need more
        chunk, pending = pending or b"", next(source, None)
        read += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": pending is not None}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")]
        + [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }

    async def run() -> None:
        await asyncio.wait_for(app(scope, receive, send), timeout=60)

    asyncio.run(run())
    start = next(m for m in messages if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return Answer(
        status=start["status"],
        headers={k.decode(): v.decode() for k, v in start["headers"]},
        body=body,
        bytes_read=read,
    )


def _json_chunks(total: int) -> Iterator[bytes]:
    """A valid JSON object of about ``total`` bytes, in chunks."""
    yield b'{"code": "X", "name": "'
    sent = 0
    while sent < total:
        yield b"a" * CHUNK
        sent += CHUNK
    yield b'"}'


def test_an_unauthenticated_body_is_refused_before_it_is_read(app: FastAPI) -> None:
    # 200 MB of JSON to POST /agencies took the server from 138 to 753 MB before its 401.
    answer = _send_raw(
        app, "/api/v1/agencies", _json_chunks(5 * 1024 * 1024), {"content-type": "application/json"}
    )
    assert answer.status == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.bytes_read == 0


def test_a_forged_token_is_refused_before_the_body(app: FastAPI) -> None:
    for token in ("not-a-jwt", "kipp_pat_short", "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."):
        answer = _send_raw(
            app,
            "/api/v1/agencies",
            _json_chunks(1024 * 1024),
            {"content-type": "application/json", "authorization": f"Bearer {token}"},
        )
        assert answer.status == 401, token
        assert answer.bytes_read == 0


def test_public_routes_still_read_their_body(client: TestClient) -> None:
    # The login form is public: the guard leaves it to the route.
    response = client.post("/api/v1/auth/token", data={"username": "a@b.c", "password": "x"})
    assert response.status_code == 401
    assert response.json()["type"].endswith("invalid-credentials")


def test_a_declared_json_body_over_the_limit_is_refused_unread(
    app: FastAPI, factory: Factory
) -> None:
    limit = get_settings().max_json_bytes
    headers = {
        **auth_headers(factory.admin()),
        "content-type": "application/json",
        "content-length": str(limit + 1),
    }
    answer = _send_raw(app, "/api/v1/agencies", _json_chunks(limit), headers)
    assert answer.status == 413
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json["status"] == 413
    assert answer.bytes_read == 0


def test_a_chunked_json_body_stops_at_the_limit(app: FastAPI, factory: Factory) -> None:
    limit = get_settings().max_json_bytes
    headers = {**auth_headers(factory.admin()), "content-type": "application/json"}
    answer = _send_raw(app, "/api/v1/agencies", _json_chunks(20 * limit), headers)
    assert answer.status == 413
    assert str(limit) in answer.json["detail"]
    # Read on only to the chunk that crossed the limit, never the rest.
    assert answer.bytes_read <= limit + CHUNK


def test_a_small_json_body_passes(client: TestClient, factory: Factory) -> None:
    created = client.post(
        "/api/v1/agencies",
        json={"code": "DLH9", "name": "Dinas Lingkungan Hidup"},
        headers=auth_headers(factory.admin()),
    )
    assert created.status_code == 201


def _stored_files() -> set[str]:
    """Every file (partial ones included) under the evidence storage."""
    storage = get_settings().storage_path
    return {str(p) for p in storage.rglob("*")} if storage.exists() else set()


class _TrackedSpool(tempfile.SpooledTemporaryFile):  # type: ignore[type-arg]
    made: ClassVar[list[_TrackedSpool]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.written = 0
        _TrackedSpool.made.append(self)

    def write(self, data: Any) -> int:
        self.written += len(data)
        return super().write(data)


def test_a_chunked_upload_without_length_stops_at_the_limit_and_leaves_no_file(
    app: FastAPI, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A chunked 512 MiB multipart upload left a 507 MiB temporary file.
    _TrackedSpool.made = []
    monkeypatch.setattr(starlette.formparsers, "SpooledTemporaryFile", _TrackedSpool)
    competition = factory.competition()
    owner = factory.user(Role.INNOVATOR)
    innovation = factory.innovation(competition, team=[owner])
    settings = get_settings()
    limit = settings.max_upload_bytes + MULTIPART_OVERHEAD
    boundary = "kippboundary"
    stored_before = _stored_files()

    def multipart() -> Iterator[bytes]:
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-'
        ).encode()
        for _ in range(4 * limit // CHUNK):
            yield b"0" * CHUNK
        yield f"\r\n--{boundary}--\r\n".encode()

    headers = {
        **auth_headers(owner),
        "content-type": f"multipart/form-data; boundary={boundary}",
    }
    answer = _send_raw(
        app, f"/api/v1/innovations/{innovation.id}/attachments", multipart(), headers
    )
    assert answer.status == 413
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.bytes_read <= limit + CHUNK
    # The parser's spool files were closed (an anonymous temporary file is gone once closed)
    # and never held more than the limit; nothing reached the evidence storage.
    assert _TrackedSpool.made and all(f.closed for f in _TrackedSpool.made)
    assert max(f.written for f in _TrackedSpool.made) <= limit
    assert _stored_files() == stored_before


def test_an_upload_within_the_limit_still_works(client: TestClient, factory: Factory) -> None:
    competition = factory.competition()
    owner = factory.user(Role.INNOVATOR)
    innovation = factory.innovation(competition, team=[owner])
    response = client.post(
        f"/api/v1/innovations/{innovation.id}/attachments",
        files={"file": ("bukti.pdf", b"%PDF-1.4 " + b"x" * 300_000, "application/pdf")},
        headers=auth_headers(owner),
    )
    assert response.status_code == 201, response.text


def _csv_rows(rows: int) -> Iterator[bytes]:
    yield b"code,name\n"
    batch = 1000
    for start in range(0, rows, batch):
        yield b"".join(
            f"C{n},Agency {n}\n".encode() for n in range(start, min(rows, start + batch))
        )


def test_an_import_over_the_row_cap_is_refused_clearly(app: FastAPI, factory: Factory) -> None:
    # A 20 MB CSV of 1,000,000 rows was parsed for 19.7 s in a dry run.
    cap = get_settings().max_import_rows
    headers = {**auth_headers(factory.admin()), "content-type": "text/csv", "accept-language": "en"}
    answer = _send_raw(app, "/api/v1/imports/agencies", _csv_rows(1_000_000), headers)
    assert answer.status == 413
    assert f"at most {cap} rows" in answer.json["detail"]
    assert answer.bytes_read < 2 * cap * len(b"C999999,Agency 999999\n")

    items = (json.dumps({"code": f"C{n}", "name": "x"}).encode() for n in range(cap + 1))
    body = [b"[", b",".join(items), b"]"]
    answer = _send_raw(
        app,
        "/api/v1/imports/agencies",
        body,
        {**headers, "content-type": "application/json"},
    )
    assert answer.status == 413 and f"at most {cap} rows" in answer.json["detail"]


def test_an_import_over_its_size_limit_is_refused(app: FastAPI, factory: Factory) -> None:
    limit = get_settings().max_import_bytes
    headers = {**auth_headers(factory.admin()), "content-type": "text/csv"}
    wide = (b"code,name\n", b"C1," + b"n" * (limit + 1) + b"\n")
    answer = _send_raw(app, "/api/v1/imports/agencies", wide, headers)
    assert answer.status == 413
    assert str(limit) in answer.json["detail"]


def test_an_import_at_the_row_cap_is_read(client: TestClient, factory: Factory) -> None:
    cap = get_settings().max_import_rows
    body = b"".join(_csv_rows(cap))
    response = client.post(
        "/api/v1/imports/agencies?dry_run=true",
        content=body,
        headers={**auth_headers(factory.admin()), "content-type": "text/csv"},
    )
    assert response.status_code == 200, response.text[:300]
    assert response.json()["created"] == cap


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ('a,b\n1,"x\ny"\n2,3\n', 2),  # a quoted line break is not a row end
        ('a,b\n1,"say ""hi"""\n2,3', 2),  # escaped quotes; no final line end
        ("a,b\n", 0),
    ],
)
def test_row_counter_csv(text: str, rows: int) -> None:
    for size in (1, 2, 3, 100):  # however the bytes are split into chunks
        counter = RowCounter("text/csv")
        data = text.encode()
        for start in range(0, len(data), size):
            counter.feed(data[start : start + size])
        assert counter.rows == rows, size


def test_row_counter_json() -> None:
    text = json.dumps(
        [{"a": '{["}', "b": {"nested": [{"x": 1}]}}, {"c": '\\"{'}, {"d": []}]
    ).encode()
    for size in (1, 2, 5, 1000):
        counter = RowCounter("application/json")
        for start in range(0, len(text), size):
            counter.feed(text[start : start + size])
        assert counter.rows == 3, size


# --- #7: security headers ------------------------------------------------------------------


def _assert_base_headers(headers: Any) -> None:
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize(
    "path", ["/", "/login", "/api/v1/competitions", "/api/v1/nope", "/healthz"]
)
def test_every_answer_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    _assert_base_headers(response.headers)
    csp = response.headers["content-security-policy"]
    assert csp == APP_CSP
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "strict-transport-security" not in response.headers  # plain HTTP


def test_assets_carry_the_headers(client: TestClient) -> None:
    index = client.get("/").text
    script = re.search(r'src="(/assets/[^"]+\.js)"', index)
    if script is None:
        pytest.fail("the built web app has no script asset")
    response = client.get(script.group(1))
    assert response.status_code == 200
    _assert_base_headers(response.headers)
    assert response.headers["content-security-policy"] == APP_CSP


def test_hsts_only_over_https(app: FastAPI) -> None:
    with TestClient(app, base_url="https://testserver") as secure:
        assert secure.get("/healthz").headers["strict-transport-security"] == HSTS


def test_forwarded_https_counts_only_from_a_trusted_proxy() -> None:
    headers = {"X-Forwarded-Proto": "https"}
    plain = create_app(get_settings())
    with TestClient(plain, client=("10.0.0.5", 1)) as client:
        assert "strict-transport-security" not in client.get("/healthz", headers=headers).headers
    behind_proxy = create_app(get_settings().model_copy(update={"trusted_proxies": ["10.0.0.5"]}))
    with TestClient(behind_proxy, client=("10.0.0.5", 1)) as client:
        assert client.get("/healthz", headers=headers).headers["strict-transport-security"] == HSTS


def test_docs_have_their_own_policy_allowing_exactly_what_swagger_ui_needs(
    client: TestClient,
) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    _assert_base_headers(response.headers)
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src "))
    assert "unsafe-inline" not in script_src and "https://cdn.jsdelivr.net" in script_src
    inline = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert inline, "Swagger UI starts with an inline script"
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    redirect = client.get("/docs/oauth2-redirect")
    assert redirect.status_code == 200 and "sha256-" in redirect.headers["content-security-policy"]
    assert client.get("/redoc").headers["content-security-policy"] == APP_CSP  # the SPA's 404
