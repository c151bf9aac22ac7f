"""The built SPA over HTTP: precompressed files by Accept-Encoding, immutable hashed assets,
index.html revalidated with 304s (kipp.static through create_app)."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest
from fastapi.testclient import TestClient

from kipp.app import create_app
from kipp.config import get_settings
from kipp.static import IMMUTABLE, accepted_encodings, choose_encoding

INDEX = b"<!doctype html><title>KIPP</title>" + b"<!-- padding -->" * 100
SCRIPT = b"export const judge = 'hakim';\n" * 200
ASSET = "assets/index-Dcx3QR_a.js"


def _write(dist: Path, name: str, body: bytes, *, precompressed: bool = True) -> None:
    path = dist / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    if precompressed:
        path.with_name(path.name + ".gz").write_bytes(gzip.compress(body))
        path.with_name(path.name + ".br").write_bytes(brotli.compress(body))


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    _write(tmp_path, "index.html", INDEX)
    _write(tmp_path, ASSET, SCRIPT)
    _write(tmp_path, "favicon.png", b"\x89PNG not text", precompressed=False)
    return tmp_path


def _client(dist: Path, **settings: object) -> Iterator[TestClient]:
    app = create_app(get_settings().model_copy(update={"frontend_dist": dist, **settings}))
    with TestClient(app) as client:
        yield client


@pytest.fixture
def spa(dist: Path) -> Iterator[TestClient]:
    yield from _client(dist)


def _raw(client: TestClient, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and the body exactly as sent (httpx would decode it)."""
    with client.stream("GET", path, headers=headers) as response:
        return response.status_code, dict(response.headers), b"".join(response.iter_raw())


@pytest.mark.parametrize(
    ("accept", "coding"),
    [
        ("br, gzip, deflate", "br"),
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0.5, gzip", "gzip"),
        ("br;q=0, gzip;q=0", None),
        ("identity", None),
        ("*", "br"),
        ("*;q=0.1, gzip;q=0", "br"),
        ("", None),
    ],
)
def test_encoding_negotiation(accept: str, coding: str | None) -> None:
    assert choose_encoding(accept, {"br", "gzip"}) == coding


def test_accept_encoding_qualities_are_parsed_leniently() -> None:
    assert accepted_encodings("GZIP;q=0.8, br;q=bad, ,x") == {"gzip": 0.8, "br": 0.0, "x": 1.0}


@pytest.mark.parametrize(
    ("accept", "coding", "decode"),
    [
        ("gzip, deflate, br", "br", brotli.decompress),
        ("gzip", "gzip", gzip.decompress),
        ("identity", None, bytes),
    ],
)
def test_the_precompressed_file_the_client_accepts_is_sent(
    spa: TestClient, accept: str, coding: str | None, decode: object
) -> None:
    status, headers, body = _raw(spa, f"/{ASSET}", **{"Accept-Encoding": accept})
    assert status == 200
    assert headers.get("content-encoding") == coding
    assert headers["vary"] == "Accept-Encoding"
    assert headers["content-type"].startswith("text/javascript")
    assert int(headers["content-length"]) == len(body)
    assert decode(body) == SCRIPT  # type: ignore[operator]
    # The security headers still wrap the SPA's answers.
    assert headers["x-content-type-options"] == "nosniff"
    assert "x-request-id" in headers


def test_hashed_assets_are_immutable_for_a_year(spa: TestClient) -> None:
    response = spa.get(f"/{ASSET}")
    assert response.headers["cache-control"] == IMMUTABLE == "public, max-age=31536000, immutable"


def test_a_missing_hashed_asset_is_404_not_the_app_shell(spa: TestClient) -> None:
    response = spa.get("/assets/index-0ld0ne.js")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_index_html_is_revalidated_with_a_strong_etag(spa: TestClient) -> None:
    status, headers, body = _raw(spa, "/judge", **{"Accept-Encoding": "br"})
    assert status == 200
    assert brotli.decompress(body) == INDEX
    assert headers["cache-control"] == "no-cache"
    etag = headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")

    again = spa.get("/judge", headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["cache-control"] == "no-cache"
    assert again.headers["vary"] == "Accept-Encoding"
    # The same file under any SPA path, and a W/ copy of the tag, still match.
    assert (
        spa.get("/", headers={"Accept-Encoding": "br", "If-None-Match": f"W/{etag}"}).status_code
        == 304
    )


def test_each_encoding_has_its_own_etag(spa: TestClient) -> None:
    br = spa.get("/", headers={"Accept-Encoding": "br"}).headers["etag"]
    gz = spa.get("/", headers={"Accept-Encoding": "gzip"}).headers["etag"]
    plain = spa.get("/", headers={"Accept-Encoding": "identity"}).headers["etag"]
    assert len({br, gz, plain}) == 3
    # A gzip client holding the brotli tag gets the gzip body, not a 304.
    stale = spa.get("/", headers={"Accept-Encoding": "gzip", "If-None-Match": br})
    assert stale.status_code == 200
    assert stale.content == INDEX


def test_if_modified_since_answers_304_when_unchanged(spa: TestClient, dist: Path) -> None:
    last_modified = spa.get("/").headers["last-modified"]
    assert spa.get("/", headers={"If-Modified-Since": last_modified}).status_code == 304
    older = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert spa.get("/", headers={"If-Modified-Since": older}).status_code == 200
    assert spa.get("/", headers={"If-Modified-Since": "not a date"}).status_code == 200


def test_a_changed_index_html_is_sent_again(spa: TestClient, dist: Path) -> None:
    etag = spa.get("/", headers={"Accept-Encoding": "identity"}).headers["etag"]
    (dist / "index.html").write_bytes(INDEX + b"<!-- new build -->")
    response = spa.get("/", headers={"Accept-Encoding": "identity", "If-None-Match": etag})
    assert response.status_code == 200
    assert response.headers["etag"] != etag


def test_files_without_a_precompressed_copy_are_sent_as_they_are(spa: TestClient) -> None:
    status, headers, body = _raw(spa, "/favicon.png", **{"Accept-Encoding": "br, gzip"})
    assert status == 200
    assert body == b"\x89PNG not text"
    assert "content-encoding" not in headers
    assert "vary" not in headers
    assert headers["content-type"] == "image/png"
    assert headers["cache-control"] == "no-cache"


def test_precompressed_copies_are_not_urls_of_their_own(spa: TestClient) -> None:
    # /index.html.br is not a file of the app: the history-mode fallback answers with the shell.
    response = spa.get("/index.html.br", headers={"Accept-Encoding": "identity"})
    assert response.content == INDEX
    assert spa.get(f"/{ASSET}.gz").status_code == 404


def test_paths_outside_dist_are_not_served(spa: TestClient) -> None:
    response = spa.get("/..%2f..%2fetc/passwd", headers={"Accept-Encoding": "identity"})
    assert response.content == INDEX


def test_switched_off_it_serves_as_before(dist: Path) -> None:
    for client in _client(dist, compression=False, http_caching=False):
        status, headers, body = _raw(client, f"/{ASSET}", **{"Accept-Encoding": "br, gzip"})
        assert status == 200
        assert body == SCRIPT
        assert "content-encoding" not in headers
        assert "cache-control" not in headers
        assert client.get("/", headers={"If-None-Match": headers["etag"]}).status_code == 200


def test_caching_without_compression(dist: Path) -> None:
    for client in _client(dist, compression=False):
        _, headers, body = _raw(client, f"/{ASSET}", **{"Accept-Encoding": "br, gzip"})
        assert body == SCRIPT
        assert "content-encoding" not in headers
        assert headers["cache-control"] == IMMUTABLE
