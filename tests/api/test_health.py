from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError, OperationalError


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_the_database(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_unknown_api_path_is_problem_json(client: TestClient) -> None:
    client.headers.pop("Accept-Language")  # no language named: Indonesian
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404 and body["title"] == "Tidak ditemukan"


def test_error_titles_follow_accept_language(client: TestClient) -> None:
    response = client.get("/api/v1/no-such-thing", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response.json()["title"] == "Not found"


def test_method_not_allowed_is_problem_json(client: TestClient) -> None:
    response = client.put("/api/v1/me")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"


def _failing(exc: Exception):  # type: ignore[no-untyped-def]
    def fail(**_kwargs: object) -> None:
        raise exc

    return fail


def test_an_unexpected_error_is_problem_json(app: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from kipp.agencies import service as agencies_service

    monkeypatch.setattr(agencies_service, "list_agencies", _failing(RuntimeError("boom")))
    with TestClient(app, raise_server_exceptions=False) as client:  # type: ignore[arg-type]
        response = client.get("/api/v1/agencies")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Terjadi kesalahan pada server"


def test_a_busy_database_is_503_with_retry_after(
    app: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kipp.agencies import service as agencies_service

    locked = OperationalError("SELECT 1", {}, Exception("database is locked"))
    monkeypatch.setattr(agencies_service, "list_agencies", _failing(locked))
    with TestClient(app, raise_server_exceptions=False) as client:  # type: ignore[arg-type]
        response = client.get("/api/v1/agencies")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    assert response.headers["content-type"] == "application/problem+json"


def test_a_lost_race_on_a_unique_key_is_409(app: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from kipp.agencies import service as agencies_service

    duplicate = IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed: agencies.code"))
    monkeypatch.setattr(agencies_service, "list_agencies", _failing(duplicate))
    with TestClient(app, raise_server_exceptions=False) as client:  # type: ignore[arg-type]
        response = client.get("/api/v1/agencies")
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
