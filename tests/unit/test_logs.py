"""Log lines: JSON in production with the request id of the request being answered."""

from __future__ import annotations

import json
import logging
import sys

from kipp.config import Settings
from kipp.logs import JsonFormatter, RequestIdFilter, log_format
from kipp.request_id import current_request_id

SECRET = "x" * 40


def _record(message: str, *args: object, name: str = "kipp", exc: bool = False) -> str:
    record = logging.LogRecord(name, logging.ERROR, __file__, 1, message, args, None)
    if exc:
        try:
            raise ValueError("boom")
        except ValueError:
            record.exc_info = sys.exc_info()
    RequestIdFilter().filter(record)
    return JsonFormatter().format(record)


def test_a_line_is_one_json_object_with_the_request_id() -> None:
    token = current_request_id.set("abc123")
    try:
        line = json.loads(_record("saved %s sheets", 3, exc=True))
    finally:
        current_request_id.reset(token)
    assert line["message"] == "saved 3 sheets"
    assert line["request_id"] == "abc123" and line["level"] == "error"
    assert "ValueError: boom" in line["exception"]
    assert json.loads(_record("outside a request"))["request_id"] is None


def test_access_lines_carry_their_fields_by_name() -> None:
    line = json.loads(
        _record(
            '%s - "%s %s HTTP/%s" %d',
            "127.0.0.1:5000",
            "GET",
            "/readyz",
            "1.1",
            200,
            name="uvicorn.access",
        )
    )
    assert line["method"] == "GET" and line["path"] == "/readyz" and line["status"] == 200


def test_json_outside_development_unless_told() -> None:
    assert log_format(Settings(environment="production", secret_key=SECRET)) == "json"
    assert log_format(Settings(environment="development", secret_key=SECRET)) == "text"
    told = Settings(environment="production", secret_key=SECRET, log_format="text")
    assert log_format(told) == "text"
