"""Scale-out: a real `kipp serve --workers 2` on its own database, as DESIGN promises ("stateless
app, several workers on one PostgreSQL"). Nothing a worker keeps in memory may matter.

Which worker answers is not left to chance: each request goes over a fresh connection, and the
test sees (Linux ``/proc``) which worker process accepted it before sending anything, so it can
ask for "the other worker" and prove that what one worker did holds on the other.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from kipp.config import get_settings

pytestmark = pytest.mark.skipif(
    not Path("/proc/net/tcp").exists(), reason="finds the answering worker through Linux /proc"
)

KIPP = [sys.executable, "-m", "kipp.cli"]
HOST = "127.0.0.1"
ADMIN_EMAIL = "tim@organisasi.go.id"
ADMIN_PASSWORD = "sandi-panjang-sekali"
MAX_FAILURES = 3
WORKERS = 2


# --------------------------------------------------------------------------- the database


@contextlib.contextmanager
def own_database(tmp_path: Path) -> Iterator[str]:
    """A fresh database for the server: on the test run's PostgreSQL server when the run uses
    PostgreSQL (created and dropped through the server's ``postgres`` database), else a file."""
    run_url = make_url(get_settings().database_url)
    if run_url.get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path / 'scaleout.sqlite3'}"
        return
    name = f"kipp_scaleout_{secrets.token_hex(4)}"
    server = create_engine(run_url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield _render(run_url.set(database=name))
        finally:
            with server.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        server.dispose()


def _render(url: URL) -> str:
    return url.render_as_string(hide_password=False)


# --------------------------------------------------------------------------- which worker


def _socket_inode(server_port: int, client_port: int) -> str | None:
    """The inode of the server side of the connection ``client_port`` → ``server_port``."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError), open(table) as rows:
            next(rows)
            for row in rows:
                cols = row.split()
                local_port = int(cols[1].rsplit(":", 1)[1], 16)
                remote_port = int(cols[2].rsplit(":", 1)[1], 16)
                if local_port == server_port and remote_port == client_port and cols[9] != "0":
                    return cols[9]
    return None


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError), open(f"/proc/{entry}/stat") as stat:
            # The command name (field 2) may hold spaces; the parent pid follows its ")".
            if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _owner(pids: list[int], inode: str) -> int | None:
    wanted = f"socket:[{inode}]"
    for pid in pids:
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{pid}/fd"):
                with contextlib.suppress(OSError):
                    if os.readlink(f"/proc/{pid}/fd/{fd}") == wanted:
                        return pid
    return None


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    served_by: list[int] = field(default_factory=list)

    def _accepted_by(self, connection: http.client.HTTPConnection) -> int:
        """The worker process that accepted ``connection`` (waits for its accept)."""
        assert connection.sock is not None
        client_port = connection.sock.getsockname()[1]
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            inode = _socket_inode(self.port, client_port)
            if inode is not None:
                owner = _owner(_children(self.process.pid), inode)
                if owner is not None:
                    return owner
            time.sleep(0.002)
        raise AssertionError("no worker accepted the connection")

    def request(
        self,
        method: str,
        path: str,
        *,
        worker: int | None = None,
        not_worker: int | None = None,
        headers: dict[str, str] | None = None,
        form: dict[str, str] | None = None,
        json_body: Any = None,
    ) -> tuple[int, int, Any]:
        """(worker pid, status, body) of one request on a fresh connection; with ``worker`` or
        ``not_worker`` only once a connection lands where asked."""
        body: bytes | None = None
        headers = dict(headers or {})
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        for _attempt in range(200):
            connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
            try:
                connection.connect()
                pid = self._accepted_by(connection)
                if (worker is not None and pid != worker) or pid == not_worker:
                    continue
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                self.served_by.append(pid)
                return pid, response.status, json.loads(payload) if payload else None
            finally:
                connection.close()
        raise AssertionError(f"no connection landed on the worker asked for ({worker=})")

    @property
    def workers(self) -> set[int]:
        return set(self.served_by)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _kipp(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [*KIPP, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr


@contextlib.contextmanager
def running_server(env: dict[str, str], log: Path) -> Iterator[Server]:
    port = _free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*KIPP, "serve", "--host", HOST, "--port", str(port), "--workers", str(WORKERS)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopping it stops its workers
        )
    server = Server(process=process, port=port)
    try:
        deadline = time.monotonic() + 20
        while len(_children(process.pid)) < WORKERS or not _answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"kipp serve did not start:\n{log.read_text()}")
            time.sleep(0.05)
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _answers(port: int) -> bool:
    connection = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        connection.request("GET", "/readyz")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


# --------------------------------------------------------------------------- the test


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_two_workers_share_tokens_rate_limits_and_refresh_rotation(tmp_path: Path) -> None:
    with own_database(tmp_path) as database_url:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KIPP_")}
        env.update(
            {
                "KIPP_ENVIRONMENT": "test",
                "KIPP_SECRET_KEY": secrets.token_urlsafe(48),
                "KIPP_DATABASE_URL": database_url,
                "KIPP_VAR_DIR": str(tmp_path / "var"),
                "KIPP_LOGIN_MAX_FAILURES": str(MAX_FAILURES),
            }
        )
        _kipp(env, "db", "upgrade")
        _kipp(env, "create-admin", ADMIN_EMAIL, "--password", ADMIN_PASSWORD)

        with running_server(env, tmp_path / "serve.log") as server:
            login = {"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD}

            # A token issued by one worker works on the other, request after request.
            issuer, status, tokens = server.request("POST", "/api/v1/auth/token", form=login)
            assert status == 200, tokens
            other, status, me = server.request(
                "GET", "/api/v1/me", not_worker=issuer, headers=_bearer(tokens["access_token"])
            )
            assert status == 200 and me["email"] == ADMIN_EMAIL
            for _ in range(6):
                _pid, status, _me = server.request(
                    "GET", "/api/v1/me", headers=_bearer(tokens["access_token"])
                )
                assert status == 200
            for pid in (issuer, other):
                _pid, status, _ = server.request(
                    "GET",
                    "/api/v1/audit/verify",
                    worker=pid,
                    headers=_bearer(tokens["access_token"]),
                )
                assert status == 200

            # A refresh token spent on one worker is refused on the other, and its reuse
            # revokes the pair the first worker issued.
            _pid, status, rotated = server.request(
                "POST",
                "/api/v1/auth/refresh",
                worker=issuer,
                json_body={"refresh_token": tokens["refresh_token"]},
            )
            assert status == 200, rotated
            _pid, status, reused = server.request(
                "POST",
                "/api/v1/auth/refresh",
                worker=other,
                json_body={"refresh_token": tokens["refresh_token"]},
            )
            assert status == 401, reused
            _pid, status, _ = server.request(
                "POST",
                "/api/v1/auth/refresh",
                worker=issuer,
                json_body={"refresh_token": rotated["refresh_token"]},
            )
            assert status == 401

            # The failed-login limit counts failures on both workers together: once reached,
            # every worker answers 429, even to the right password.
            wrong = {"username": ADMIN_EMAIL, "password": "bukan-sandinya"}
            for n in range(MAX_FAILURES):
                _pid, status, _ = server.request(
                    "POST", "/api/v1/auth/token", worker=(issuer, other)[n % 2], form=wrong
                )
                assert status == 401
            for pid in (issuer, other, issuer, other):
                _pid, status, refused = server.request(
                    "POST", "/api/v1/auth/token", worker=pid, form=login
                )
                assert status == 429, refused

            assert server.workers == {issuer, other}
