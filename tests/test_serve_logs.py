"""`kipp serve` logs one JSON object per line outside development, and the access line of a
request carries the id the client sent (or was given) in X-Request-ID."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from bench import load


def test_access_lines_are_json_with_the_request_id(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'logs.sqlite3'}"
    load.prepare_database(url, judges=1, innovations=1)
    with load.serve(url, workers=1, var_dir=tmp_path) as base:
        answer = httpx.get(f"{base}/readyz", headers={"X-Request-ID": "trace-42"})
        assert answer.headers["X-Request-ID"] == "trace-42"
        missing = httpx.get(f"{base}/api/v1/competitions/999999")
        given = missing.headers["X-Request-ID"]
        assert missing.json()["request_id"] == given
    lines = [
        json.loads(line)
        for log in tmp_path.glob("serve-*.log")
        for line in log.read_text().splitlines()
        if line.startswith("{")
    ]
    access = {line["request_id"]: line for line in lines if line["logger"] == "uvicorn.access"}
    assert access["trace-42"]["path"] == "/readyz" and access["trace-42"]["status"] == 200
    assert access[given]["status"] == 404
    assert any(line["logger"] == "uvicorn.error" for line in lines)  # startup lines, as JSON
