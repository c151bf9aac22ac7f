"""A real `kipp serve` on a database of its own, for tests that need the live server (the
contract test, the crash tests): start it, kill it with SIGKILL, start it again.

The server runs in its own process group with one worker (uvicorn then serves in the process
it was started as, so the pid is the worker that a SIGKILL hits).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

KIPP = [sys.executable, "-m", "kipp.cli"]
HOST = "127.0.0.1"
SECRET_KEY = "live-secret-key-not-for-production-0123456789abcdef"


def kipp_env(database_url: str, var_dir: Path, *, environment: str = "test") -> dict[str, str]:
    """The environment of a `kipp` command on ``database_url``; nothing of the test run's own
    ``KIPP_*`` settings leaks in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIPP_")}
    env.update(
        {
            "KIPP_ENVIRONMENT": environment,
            "KIPP_SECRET_KEY": SECRET_KEY,
            "KIPP_DATABASE_URL": database_url,
            "KIPP_VAR_DIR": str(var_dir),
            "KIPP_STORAGE_DIR": str(var_dir / "storage"),
        }
    )
    return env


def kipp(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run one `kipp` command; its output is in the result."""
    return subprocess.run(
        [*KIPP, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def ready(port: int) -> int | None:
    """The status of ``GET /readyz``, or None when nothing answers."""
    connection = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        connection.request("GET", "/readyz")
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


@dataclass
class LiveServer:
    env: dict[str, str]
    log: Path
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, *, timeout: float = 60) -> None:
        """Start `kipp serve` (one worker) and wait until /readyz answers 200."""
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [*KIPP, "serve", "--host", HOST, "--port", str(self.port), "--workers", "1"],
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while ready(self.port) != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"kipp serve did not start:\n{self.log.read_text()}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, nothing the server could still do."""
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        """SIGTERM (SIGKILL after 10 s); nothing if it is not running."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None


@contextlib.contextmanager
def running(env: dict[str, str], log: Path) -> Iterator[LiveServer]:
    """A started server, stopped on the way out whatever happened."""
    server = LiveServer(env=env, log=log)
    try:
        server.start()
        yield server
    finally:
        server.stop()
