"""A body that cannot be read as its media type is the documented 422 problem, like any other
invalid body (issue 10, #10: a non-UTF-8 JSON body answered an undocumented 400 on every JSON
operation; a broken multipart body did too)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kipp.models import Role
from tests.factories import Factory, auth_headers

NOT_UTF8 = b'{"refresh_token": "\xff\xfe"}'


def _assert_body_problem(response: object, words: str) -> None:
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    problem = response.json()  # type: ignore[attr-defined]
    assert problem["type"].endswith("/validation-error")
    [error] = problem["errors"]
    assert error["field"] == "body" and error["pointer"] == "" and error["code"] == "body_not_utf8"
    assert words in error["message"]


def test_a_json_body_that_is_not_utf8_is_422_anonymous(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/refresh",
        content=NOT_UTF8,
        headers={"Content-Type": "application/json", "Accept-Language": "en"},
    )
    _assert_body_problem(response, "not UTF-8: byte 0xff at offset 19")


def test_the_unreadable_body_is_explained_in_indonesian_by_default(client: TestClient) -> None:
    client.headers.pop("Accept-Language")  # no language named: Indonesian
    response = client.post(
        "/api/v1/auth/refresh", content=NOT_UTF8, headers={"Content-Type": "application/json"}
    )
    _assert_body_problem(response, "bukan UTF-8: bita 0xff pada posisi 19")


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/api/v1/agencies"), ("POST", "/api/v1/competitions"), ("PATCH", "/api/v1/users/1")],
)
def test_a_json_body_that_is_not_utf8_is_422_for_an_admin(
    client: TestClient, factory: Factory, method: str, path: str
) -> None:
    headers = {
        **auth_headers(factory.admin()),
        "Content-Type": "application/json",
        "Accept-Language": "en",
    }
    response = client.request(method, path, content=b"\x80\x81", headers=headers)
    _assert_body_problem(response, "not UTF-8: byte 0x80 at offset 0")


def test_a_broken_multipart_body_is_422(client: TestClient, factory: Factory) -> None:
    innovator = factory.user(Role.INNOVATOR)
    response = client.post(
        "/api/v1/innovations/1/attachments",
        content=b"--b\r\nno headers here",
        headers={
            **auth_headers(innovator),
            "Content-Type": "multipart/form-data; boundary=b",
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"
