"""JSON answers compressed on the fly (kipp.compression): decompressed they are the same
answer; tiny, streamed, non-JSON and already-encoded bodies pass untouched."""

from __future__ import annotations

import gzip
import json
from collections.abc import AsyncIterator, Iterator

import brotli
import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from kipp.app import create_app
from kipp.compression import MINIMUM_SIZE, CompressJson, is_json
from kipp.config import get_settings

BIG = {"items": [{"id": i, "title": f"Inovasi pelayanan publik nomor {i}"} for i in range(200)]}


def _raw(client: TestClient, path: str, accept: str) -> tuple[int, dict[str, str], bytes]:
    with client.stream("GET", path, headers={"Accept-Encoding": accept}) as response:
        return response.status_code, dict(response.headers), b"".join(response.iter_raw())


async def _big(_: Request) -> Response:
    return JSONResponse(BIG)


async def _tiny(_: Request) -> Response:
    return JSONResponse({"ok": True})


async def _streamed(_: Request) -> Response:
    async def rows() -> AsyncIterator[bytes]:
        yield b'{"items": ['
        for i in range(300):
            yield json.dumps({"id": i, "padding": "x" * 20}).encode() + (b"," if i < 299 else b"")
        yield b"]}"

    return StreamingResponse(rows(), media_type="application/json")


async def _text(_: Request) -> Response:
    return PlainTextResponse("a" * 5000)


async def _encoded(_: Request) -> Response:
    body = gzip.compress(json.dumps(BIG).encode())
    return Response(body, media_type="application/json", headers={"Content-Encoding": "gzip"})


@pytest.fixture
def small_app() -> Iterator[TestClient]:
    app = Starlette(
        routes=[
            Route("/big", _big),
            Route("/tiny", _tiny),
            Route("/streamed", _streamed),
            Route("/text", _text),
            Route("/encoded", _encoded),
        ]
    )
    with TestClient(CompressJson(app)) as client:
        yield client


@pytest.mark.parametrize(("accept", "coding"), [("gzip, deflate, br", "br"), ("gzip", "gzip")])
def test_big_json_is_compressed_and_decompresses_to_the_same_answer(
    small_app: TestClient, accept: str, coding: str
) -> None:
    status, headers, body = _raw(small_app, "/big", accept)
    assert status == 200
    assert headers["content-encoding"] == coding
    assert headers["vary"] == "Accept-Encoding"
    assert int(headers["content-length"]) == len(body)
    plain = brotli.decompress(body) if coding == "br" else gzip.decompress(body)
    assert json.loads(plain) == BIG
    assert len(body) < len(plain) / 4


def test_no_compression_when_the_client_does_not_accept_it(small_app: TestClient) -> None:
    _, headers, body = _raw(small_app, "/big", "identity")
    assert "content-encoding" not in headers
    assert headers["vary"] == "Accept-Encoding"
    assert json.loads(body) == BIG


def test_tiny_json_is_left_alone(small_app: TestClient) -> None:
    _, headers, body = _raw(small_app, "/tiny", "br, gzip")
    assert len(body) < MINIMUM_SIZE
    assert "content-encoding" not in headers
    assert headers["vary"] == "Accept-Encoding"
    assert json.loads(body) == {"ok": True}


def test_a_streamed_body_is_passed_through_not_buffered(small_app: TestClient) -> None:
    _, headers, body = _raw(small_app, "/streamed", "br, gzip")
    assert "content-encoding" not in headers
    assert len(json.loads(body)["items"]) == 300


def test_non_json_and_already_encoded_bodies_are_left_alone(small_app: TestClient) -> None:
    _, headers, body = _raw(small_app, "/text", "br")
    assert "content-encoding" not in headers and body == b"a" * 5000
    _, headers, body = _raw(small_app, "/encoded", "br")
    assert headers["content-encoding"] == "gzip"
    assert json.loads(gzip.decompress(body)) == BIG


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/json", True),
        ("application/problem+json; charset=utf-8", True),
        ("text/csv; charset=utf-8", False),
        ("text/event-stream", False),
        (None, False),
    ],
)
def test_is_json(content_type: str | None, expected: bool) -> None:
    assert is_json(content_type) is expected


def test_the_apps_json_answers_are_compressed(client: TestClient) -> None:
    """The real app: the OpenAPI document (large, public) comes back in brotli, the same JSON."""
    plain = client.get("/openapi.json", headers={"Accept-Encoding": "identity"})
    status, headers, body = _raw(client, "/openapi.json", "gzip, deflate, br")
    assert status == 200
    assert headers["content-encoding"] == "br"
    assert headers["vary"] == "Accept-Encoding"
    assert json.loads(brotli.decompress(body)) == plain.json()
    # The request id and security headers are still there.
    assert "x-request-id" in headers and headers["x-content-type-options"] == "nosniff"


def test_problem_details_are_json_too(client: TestClient) -> None:
    status, headers, _ = _raw(client, "/api/v1/nothing-here", "br")
    assert status == 404
    assert headers["vary"] == "Accept-Encoding"


def test_switched_off_nothing_is_compressed() -> None:
    app = create_app(get_settings().model_copy(update={"compression": False}))
    with TestClient(app) as off:
        _, headers, _ = _raw(off, "/openapi.json", "br, gzip")
    assert "content-encoding" not in headers
