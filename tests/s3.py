"""A real S3-protocol server on loopback for tests (PyPI ``moto[server]``'s ``moto_server``).

    with s3_server() as server:              # or the ``s3_server`` fixture (conftest, session)
        url = server.new_bucket()            # s3://kipp-test-…?endpoint=http://127.0.0.1:…
        settings.storage_url = url

The server runs in a subprocess for the whole test session; each test takes a bucket of its own.
Credentials are dummies in the environment: the storage reads them through boto3's default
chain, exactly as a deployment does.
"""

from __future__ import annotations

import contextlib
import functools
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

HOST = "127.0.0.1"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "kipp-test",
    "AWS_SECRET_ACCESS_KEY": "kipp-test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
    # No profile or credentials file of the machine running the tests may leak in.
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}


@dataclass
class S3Server:
    endpoint: str

    @functools.cached_property
    def client(self) -> Any:
        return boto3.session.Session().client("s3", endpoint_url=self.endpoint)

    def new_bucket(self, prefix: str = "") -> str:
        """A fresh, empty bucket; its KIPP_STORAGE_URL (with ``prefix`` when given)."""
        bucket = f"kipp-test-{uuid.uuid4().hex[:12]}"
        self.client.create_bucket(Bucket=bucket)
        path = f"/{prefix}" if prefix else ""
        return f"s3://{bucket}{path}?endpoint={self.endpoint}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def s3_server(timeout: float = 30.0) -> Iterator[S3Server]:
    """Start moto_server on a free loopback port, wait until it answers, stop it after."""
    os.environ.update(CREDENTIALS)
    port = _free_port()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"moto-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    endpoint = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"moto_server exited: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1):
                    break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"moto_server did not answer within {timeout} s") from None
                time.sleep(0.1)
        yield S3Server(endpoint=endpoint)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.unlink(missing_ok=True)
