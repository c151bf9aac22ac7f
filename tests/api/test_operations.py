"""Operations endpoints: readiness that checks what a deploy can break, Prometheus metrics."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from kipp import health
from kipp.config import get_settings
from tests.s3 import S3Server


def test_readyz_reports_each_check(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "schema": "ok", "storage": "ok"},
    }


def test_readyz_fails_when_the_storage_is_not_writable(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the storage folder should be")
    monkeypatch.setattr(get_settings(), "storage_dir", blocked)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["storage"].startswith("not writable")
    assert body["checks"]["database"] == "ok"


def test_readyz_fails_when_the_schema_is_behind(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As after deploying new code without `kipp db upgrade`: the scripts know a newer head.
    monkeypatch.setattr(health, "_migration_heads", lambda: frozenset({"2099_newer"}))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "kipp db upgrade" in response.json()["checks"]["schema"]


def test_readyz_fails_when_the_database_is_unreachable(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = create_engine(f"sqlite:///{tmp_path / 'missing' / 'nowhere.sqlite3'}")
    monkeypatch.setattr(health, "get_engine", lambda: gone)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("unreachable")


def test_metrics_count_requests_by_route_template(client: TestClient) -> None:
    client.get("/api/v1/agencies")
    client.get("/api/v1/competitions/999999")
    client.post("/api/v1/auth/token", data={"username": "nobody@x.id", "password": "wrong-pass"})
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'kipp_http_requests_total{method="GET",route="/api/v1/agencies",status="200"}' in text
    # Ids never become labels: the template is counted.
    assert 'route="/api/v1/competitions/{competition_id}",status="404"' in text
    assert "competitions/999999" not in text
    assert 'kipp_http_request_duration_seconds_bucket{le="0.005",method="GET"' in text
    assert "kipp_login_failures_recent" in text


def test_readyz_asks_the_s3_bucket(
    client: TestClient, s3_server: S3Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "storage_url", s3_server.new_bucket(prefix="kipp"))
    assert client.get("/readyz").json()["checks"]["storage"] == "ok"
    monkeypatch.setattr(
        get_settings(), "storage_url", f"s3://no-such-bucket?endpoint={s3_server.endpoint}"
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"].startswith("unreachable (")
    assert response.json()["checks"]["database"] == "ok"
