"""Ids beyond the database's 32-bit integer ids and offsets beyond a 64-bit integer are invalid
requests (422), never a 500 (issue 10 finding #10: ``GET /api/v1/competitions/99999999999999999999``
raised OverflowError; on PostgreSQL anything above 2^31-1 failed "integer out of range")."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kipp.models import Role
from kipp.schemas import MAX_ID, MAX_OFFSET
from tests.factories import Factory, auth_headers

TOO_BIG = MAX_ID + 1
OFFSET_TOO_BIG = MAX_OFFSET + 1


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/competitions/{TOO_BIG}",
        "/api/v1/competitions/99999999999999999999",
        f"/api/v1/competitions/{TOO_BIG}/results",
        f"/api/v1/competitions/{TOO_BIG}/innovations",
        f"/api/v1/innovations/{TOO_BIG}",
        f"/api/v1/innovations/1/attachments/{TOO_BIG}",
        f"/api/v1/users/{TOO_BIG}",
        f"/api/v1/competitions?offset={OFFSET_TOO_BIG}",
        f"/api/v1/agencies?offset={OFFSET_TOO_BIG}",
        f"/api/v1/users?agency_id={TOO_BIG}",
        f"/api/v1/audit?entity_id={TOO_BIG}",
        "/api/v1/competitions/0",
    ],
)
def test_out_of_range_ids_and_offsets_are_422(
    client: TestClient, factory: Factory, path: str
) -> None:
    response = client.get(path, headers=auth_headers(factory.user(Role.ADMIN)))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 422


def test_the_largest_id_is_valid_and_simply_not_found(client: TestClient) -> None:
    assert client.get(f"/api/v1/competitions/{MAX_ID}").status_code == 404
    assert client.get(f"/api/v1/agencies?offset={MAX_ID}").json()["items"] == []
