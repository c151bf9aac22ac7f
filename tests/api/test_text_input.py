"""Titles and names are one line of visible text (issue 10, #9): NUL (a 500 on PostgreSQL)
and bidi overrides (text that displays differently from what it says) get a clear 422."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kipp.models import Role
from tests.factories import Factory, auth_headers


@pytest.mark.parametrize(
    ("title", "code_point"), [("Inovasi\x00Baru", "U+0000"), ("Inovasi \u202eBaru", "U+202E")]
)
def test_an_innovation_title_with_control_characters_is_refused(
    client: TestClient, factory: Factory, title: str, code_point: str
) -> None:
    competition = factory.competition()
    innovator = factory.user(Role.INNOVATOR)
    headers = auth_headers(innovator)
    url = f"/api/v1/competitions/{competition.id}/innovations"
    created = client.post(url, json={"title": title}, headers=headers)
    assert created.status_code == 422
    assert created.headers["content-type"] == "application/problem+json"
    [error] = created.json()["errors"]
    assert error["field"] == "title" and code_point in error["message"]
    draft = client.post(url, json={"title": "Inovasi Baru"}, headers=headers)
    assert draft.status_code == 201
    renamed = client.patch(
        f"/api/v1/innovations/{draft.json()['id']}", json={"title": title}, headers=headers
    )
    assert renamed.status_code == 422


def test_a_competition_name_with_a_bidi_override_is_refused(
    client: TestClient, factory: Factory
) -> None:
    competition = factory.competition()
    response = client.patch(
        f"/api/v1/competitions/{competition.id}",
        json={"name": "KIPP \u2066 2026"},
        headers=auth_headers(factory.admin()),
    )
    assert response.status_code == 422
    assert "U+2066" in response.json()["errors"][0]["message"]
