"""Answers are what the spec declares (issue 10, #10, found by Schemathesis): the imports'
422 bodies, the export names and formats (an enum, in any letter case), file downloads as
binary so a generated client returns bytes."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kipp.models import Role
from tests.factories import Factory, auth_headers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT = "/api/v1/competitions/{competition_id}/exports/{name}.{fmt}"


def _operation(app: FastAPI, path: str, method: str) -> Any:
    return schemathesis.openapi.from_dict(app.openapi())[path][method]


@pytest.mark.parametrize(
    ("path", "query", "body", "row_errors"),
    [
        # The file has errors: the ImportProblem with every row and the counts.
        ("/api/v1/imports/agencies", "", "code,name\nDLH,\n", True),
        # The request is not valid before any file is read: the plain Problem.
        ("/api/v1/imports/agencies", "?dry_run=maybe", "code,name\nDLH,Dinas\n", False),
        ("/api/v1/imports/users", "?dry_run=null&dry_run=null", "email\n", False),
    ],
)
def test_every_import_422_matches_its_declared_schema(
    app: FastAPI,
    client: TestClient,
    factory: Factory,
    path: str,
    query: str,
    body: str,
    row_errors: bool,
) -> None:
    headers = {**auth_headers(factory.admin()), "Content-Type": "text/csv"}
    response = client.post(path + query, content=body.encode(), headers=headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    _operation(app, path, "POST").validate_response(response)
    problem = response.json()
    assert ("created" in problem and all("row" in e for e in problem["errors"])) is row_errors


def test_the_import_422_declares_both_bodies(app: FastAPI) -> None:
    declared = app.openapi()["paths"]["/api/v1/imports/users"]["post"]["responses"]["422"]
    assert declared["content"]["application/problem+json"]["schema"] == {
        "anyOf": [
            {"$ref": "#/components/schemas/ImportProblem"},
            {"$ref": "#/components/schemas/Problem"},
        ]
    }


def test_export_names_and_formats_are_an_enum_and_files_are_binary(app: FastAPI) -> None:
    operation = app.openapi()["paths"][EXPORT]["get"]
    enums = {
        p["name"]: p["schema"].get("enum") for p in operation["parameters"] if p["in"] == "path"
    }
    assert enums == {
        "competition_id": None,
        "name": ["innovations", "ranking", "scores"],
        "fmt": ["csv", "xlsx"],
    }
    binary = {"type": "string", "format": "binary"}
    content = operation["responses"]["200"]["content"]
    assert content == {"text/csv": {"schema": binary}, XLSX: {"schema": binary}}
    attachment = app.openapi()["paths"][
        "/api/v1/innovations/{innovation_id}/attachments/{attachment_id}"
    ]["get"]["responses"]["200"]["content"]
    assert all(media["schema"] == binary for media in attachment.values())


@pytest.mark.parametrize(
    ("asked", "media_type", "filename"),
    [
        ("ranking.XLSX", XLSX, "ranking.xlsx"),
        ("Innovations.Csv", "text/csv; charset=utf-8", "innovations.csv"),
        ("SCORES.xlsx", XLSX, "scores.xlsx"),
    ],
)
def test_exports_answer_in_any_letter_case(
    client: TestClient, factory: Factory, asked: str, media_type: str, filename: str
) -> None:
    competition = factory.competition()
    response = client.get(
        f"/api/v1/competitions/{competition.id}/exports/{asked}",
        headers=auth_headers(factory.admin()),
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media_type
    assert f'-{filename}"' in response.headers["content-disposition"]


def test_unknown_exports_stay_404_in_any_case(client: TestClient, factory: Factory) -> None:
    competition = factory.competition()
    headers = auth_headers(factory.user(Role.ADMIN))
    for asked in ("RANKING.pdf", "nothing.XLSX"):
        response = client.get(
            f"/api/v1/competitions/{competition.id}/exports/{asked}", headers=headers
        )
        assert response.status_code == 404, asked
