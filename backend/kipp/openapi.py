"""The OpenAPI document, generated in-process (no server needed)."""

from __future__ import annotations

import json

from kipp.app import create_app


def openapi_json() -> str:
    spec = create_app().openapi()
    return json.dumps(spec, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
