"""A server error does not cost the client its connection (issue: after a 500, `kipp serve`
dropped the keep-alive connection, so the client's next request on it failed).

A real `kipp serve` and one raw HTTP/1.1 connection: a damaged row (a competition whose time
zone no longer exists) makes one request fail unexpectedly; the answer is the 500
problem+json, and the same connection carries the next requests.
"""

from __future__ import annotations

import http.client
import json
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.live import HOST, kipp, kipp_env, running
from tests.test_scaleout import own_database

ADMIN_EMAIL = "tim@organisasi.go.id"
ADMIN_PASSWORD = "sandi-panjang-sekali"


def _request(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[http.client.HTTPResponse, bytes]:
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response, response.read()


def test_the_connection_survives_a_server_error(tmp_path: Path) -> None:
    with own_database(tmp_path) as database_url:
        env = kipp_env(database_url, tmp_path / "var")
        assert kipp(env, "db", "upgrade").returncode == 0
        assert kipp(env, "create-admin", ADMIN_EMAIL, "--password", ADMIN_PASSWORD).returncode == 0
        with running(env, tmp_path / "serve.log") as server:
            connection = http.client.HTTPConnection(HOST, server.port, timeout=30)
            form = f"username={ADMIN_EMAIL}&password={ADMIN_PASSWORD}".encode()
            response, body = _request(
                connection,
                "POST",
                "/api/v1/auth/token",
                body=form,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            assert response.status == 200, body
            auth = {"Authorization": f"Bearer {json.loads(body)['access_token']}"}
            # A damaged row: the competition's time zone is not one the server knows.
            engine = create_engine(database_url)
            with Session(engine) as session:
                competition_id = Factory(session).competition(timezone="Nowhere/Gone").id
                session.commit()
            engine.dispose()

            socket_before = connection.sock
            response, body = _request(
                connection, "GET", f"/api/v1/competitions/{competition_id}", headers=auth
            )
            assert response.status == 500
            assert response.getheader("content-type") == "application/problem+json"
            assert json.loads(body)["type"].endswith("/internal-error")
            assert response.getheader("x-content-type-options") == "nosniff"
            assert not response.will_close

            # The same socket answers again: no reconnect, no "remote end closed".
            response, body = _request(connection, "GET", "/api/v1/me", headers=auth)
            assert response.status == 200, body
            response, _ = _request(connection, "GET", "/healthz")
            assert response.status == 200
            assert connection.sock is socket_before
            connection.close()
        assert "unhandled error on GET /api/v1/competitions/" in server.log.read_text()
