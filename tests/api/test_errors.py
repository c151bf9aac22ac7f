"""Database errors answer for what they are, and every problem carries the request id."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from kipp.db import DatabaseFailure, classify_database_error
from kipp.models import Agency
from tests.factories import Factory


def _replace_list_agencies(monkeypatch: pytest.MonkeyPatch, fake: Callable[..., object]) -> None:
    from kipp.agencies import service as agencies_service

    monkeypatch.setattr(agencies_service, "list_agencies", fake)


def _failing_statement(sql: str) -> Callable[..., object]:
    """A service that runs a broken statement on the request's own session."""

    def list_agencies(*, session: Session, **_kwargs: object) -> object:
        session.execute(text(sql))
        raise AssertionError("the statement should have failed")

    return list_agencies


def _assert_logged_fault(caplog: pytest.LogCaptureFixture, request_id: str) -> None:
    faults = [r for r in caplog.records if r.name == "kipp" and r.levelno == logging.ERROR]
    assert len(faults) == 1
    assert request_id in faults[0].getMessage()
    assert faults[0].exc_info is not None and isinstance(faults[0].exc_info[1], DBAPIError)
    assert "Traceback" in caplog.text


def test_an_unknown_column_is_a_500_logged_with_its_traceback(
    app: object, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """SQLite says OperationalError ("no such column") and PostgreSQL ProgrammingError: a bug,
    not a busy database, so no Retry-After."""
    _replace_list_agencies(monkeypatch, _failing_statement("SELECT no_such_column FROM agencies"))
    caplog.set_level(logging.INFO, logger="kipp")
    with TestClient(app, raise_server_exceptions=False) as client:  # type: ignore[arg-type]
        response = client.get("/api/v1/agencies", headers={"X-Request-ID": "report-42"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "retry-after" not in response.headers
    body = response.json()
    assert body["type"].endswith("/internal-error")
    assert body["request_id"] == "report-42"
    assert response.headers["x-request-id"] == "report-42"
    _assert_logged_fault(caplog, "report-42")


def test_a_not_null_violation_is_a_500_not_a_race(
    app: object, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _replace_list_agencies(
        monkeypatch, _failing_statement("INSERT INTO agencies (code) VALUES ('NONAME')")
    )
    caplog.set_level(logging.INFO, logger="kipp")
    with TestClient(app, raise_server_exceptions=False) as client:  # type: ignore[arg-type]
        response = client.get("/api/v1/agencies")
    assert response.status_code == 500
    request_id = response.json()["request_id"]
    assert request_id and response.headers["x-request-id"] == request_id
    _assert_logged_fault(caplog, request_id)
    assert not [r for r in caplog.records if "race" in r.getMessage()]


def test_a_real_unique_violation_is_a_409(
    app: object, monkeypatch: pytest.MonkeyPatch, factory: Factory
) -> None:
    factory.agency(code="RACE")
    _replace_list_agencies(
        monkeypatch,
        _failing_statement(
            "INSERT INTO agencies (organisation_id, code, name, created_at, updated_at) "
            "VALUES (1, 'RACE', 'Again', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ),
    )
    with TestClient(app, raise_server_exceptions=False) as client:  # type: ignore[arg-type]
        response = client.get("/api/v1/agencies")
    assert response.status_code == 409
    assert response.json()["request_id"] == response.headers["x-request-id"]


def test_an_unexpected_error_carries_the_request_id(
    app: object, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def boom(**_kwargs: object) -> object:
        raise RuntimeError("boom")

    _replace_list_agencies(monkeypatch, boom)
    caplog.set_level(logging.INFO, logger="kipp")
    with TestClient(app, raise_server_exceptions=False) as client:  # type: ignore[arg-type]
        response = client.get("/api/v1/agencies", headers={"X-Request-ID": "abc-123"})
    assert response.status_code == 500
    assert response.json()["request_id"] == "abc-123"
    assert response.headers["x-request-id"] == "abc-123"
    [fault] = [r for r in caplog.records if r.name == "kipp" and r.levelno == logging.ERROR]
    assert "abc-123" in fault.getMessage() and fault.exc_info is not None


def test_every_response_has_a_request_id(client: TestClient) -> None:
    ok = client.get("/healthz")
    assert len(ok.headers["x-request-id"]) == 32  # a fresh uuid4, hex
    other = client.get("/healthz")
    assert other.headers["x-request-id"] != ok.headers["x-request-id"]
    missing = client.get("/api/v1/no-such-thing", headers={"X-Request-ID": "proxy.id:7"})
    assert missing.headers["x-request-id"] == "proxy.id:7"
    assert missing.json()["request_id"] == "proxy.id:7"


@pytest.mark.parametrize("unsafe", ["has space", "x" * 129, "<script>", 'a"quote', "-leading"])
def test_an_unsafe_incoming_request_id_is_replaced(client: TestClient, unsafe: str) -> None:
    response = client.get("/api/v1/no-such-thing", headers={"X-Request-ID": unsafe})
    request_id = response.headers["x-request-id"]
    assert request_id != unsafe and len(request_id) == 32
    assert response.json()["request_id"] == request_id


def test_the_migrated_schema_classifies_its_own_errors(session: Session, factory: Factory) -> None:
    """On the database under test (SQLite, or PostgreSQL in the second run), the real errors."""
    factory.agency(code="ONCE")

    def failure(statement: str) -> DatabaseFailure:
        with pytest.raises(DBAPIError) as raised, session.begin_nested():
            session.execute(text(statement))
        return classify_database_error(raised.value)

    now = "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP"
    duplicate = (
        "INSERT INTO agencies (organisation_id, code, name, created_at, updated_at) "
        f"VALUES (1, 'ONCE', 'x', {now})"
    )
    assert failure(duplicate) is DatabaseFailure.UNIQUE_VIOLATION
    assert failure("INSERT INTO agencies (code) VALUES ('NONAME')") is DatabaseFailure.OTHER
    assert failure("SELECT no_such_column FROM agencies") is DatabaseFailure.OTHER
    assert session.query(Agency).filter_by(code="ONCE").count() == 1
