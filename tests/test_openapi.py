"""The committed OpenAPI document is what the app generates now (run `make openapi`)."""

from __future__ import annotations

import json
from pathlib import Path

from kipp.openapi import openapi_json

SPEC = Path(__file__).resolve().parents[1] / "openapi" / "openapi.json"


def test_committed_spec_is_fresh() -> None:
    assert SPEC.exists(), "openapi/openapi.json is missing: run `make openapi`"
    assert json.loads(SPEC.read_text()) == json.loads(openapi_json()), (
        "openapi/openapi.json is stale: run `make openapi` and commit it"
    )


def test_operation_ids_are_unique_and_readable() -> None:
    spec = json.loads(openapi_json())
    ids = [op["operationId"] for path in spec["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
    assert all(i.replace("_", "").isalnum() and i.islower() for i in ids), ids
    assert "create_token" in ids and "read_me" in ids
