"""Exports: a competition's innovations as CSV (read back) and XLSX (opened with openpyxl)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from kipp.exports.service import EXPORTS, INNOVATION_COLUMNS
from kipp.models import AdministrativeReview, Competition, Role
from tests.factories import Factory, auth_headers

REFUSED_ROLES = (Role.INNOVATOR, Role.AGENCY_ADMIN, Role.JUDGE)


@pytest.fixture
def competition(factory: Factory, session: Session) -> Competition:
    competition = factory.competition(current_stage="administrative")
    dlh = factory.agency(code="DLH", name="Dinas Lingkungan Hidup")
    dinkes = factory.agency(code="DINKES", name="Dinas Kesehatan — Luwu Utara")
    inovator = factory.user(Role.INNOVATOR, email="inovator.dlh@example.com", agency=dlh)
    rekan = factory.user(Role.INNOVATOR, email="a.rekan@example.com", agency=dlh)
    gersipah = factory.innovation(
        competition,
        agency=dlh,
        team=[inovator, rekan],
        title="Gersipah",
        external_ref="LU2021-03",
        status="eligible",
        category="Lingkungan",
        origin="latpim",
        started_on=date(2019, 3, 1),
        submitted_at=datetime(2021, 10, 30, 15, 0, tzinfo=UTC),
    )
    session.add(AdministrativeReview(innovation_id=gersipah.id, passed=True, notes="Lengkap"))
    factory.innovation(competition, agency=dinkes, title='=HYPERLINK("x")', status="draft")
    factory.innovation(factory.competition(), agency=dlh, title="Other competition")
    session.flush()
    return competition


def _get(client: TestClient, competition: Competition, name: str, headers: dict[str, str]) -> Any:
    return client.get(f"/api/v1/competitions/{competition.id}/exports/{name}", headers=headers)


def test_innovations_csv(client: TestClient, factory: Factory, competition: Competition) -> None:
    response = _get(client, competition, "innovations.csv", auth_headers(factory.admin()))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and "innovations.csv" in disposition
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == INNOVATION_COLUMNS
    assert len(rows) == 3
    gersipah = dict(zip(rows[0], rows[1], strict=True))
    assert gersipah == {
        "id": gersipah["id"],
        "external_ref": "LU2021-03",
        "title": "Gersipah",
        "agency_code": "DLH",
        "agency_name": "Dinas Lingkungan Hidup",
        "group": "umum",
        "category": "Lingkungan",
        "origin": "latpim",
        "started_on": "2019-03-01",
        "status": "eligible",
        "submitted_at": "2021-10-30T23:00:00+08:00",  # the competition's time zone (WITA)
        "administrative_result": "passed",
        "administrative_notes": "Lengkap",
        "team_emails": "a.rekan@example.com; inovator.dlh@example.com",
    }
    draft = dict(zip(rows[0], rows[2], strict=True))
    assert draft["agency_name"] == "Dinas Kesehatan — Luwu Utara"
    assert draft["title"] == '\'=HYPERLINK("x")'  # a formula stays text in a spreadsheet
    assert draft["administrative_result"] == "" and draft["submitted_at"] == ""


def test_innovations_xlsx(client: TestClient, factory: Factory, competition: Competition) -> None:
    response = _get(client, competition, "innovations.xlsx", auth_headers(factory.admin()))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "innovations.xlsx" in response.headers["content-disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert sheet is not None and sheet.title == "innovations"
    values = list(sheet.values)
    assert list(values[0]) == INNOVATION_COLUMNS
    assert len(values) == 3
    gersipah = dict(zip(INNOVATION_COLUMNS, values[1], strict=True))
    assert gersipah["title"] == "Gersipah" and gersipah["agency_code"] == "DLH"
    assert gersipah["started_on"] == datetime(2019, 3, 1)  # a real date cell
    assert gersipah["team_emails"] == "a.rekan@example.com; inovator.dlh@example.com"
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width >= len("title")
    assert sheet.cell(row=3, column=3).data_type == "s"  # the formula-like title is text


def test_unknown_export_name_format_or_competition_is_404(
    client: TestClient, factory: Factory, competition: Competition
) -> None:
    headers = auth_headers(factory.admin())
    for name in ("nothing.csv", "innovations.pdf", "innovations"):
        response = _get(client, competition, name, headers)
        assert response.status_code == 404, name
        assert response.headers["content-type"] == "application/problem+json"
    missing = client.get("/api/v1/competitions/999999/exports/innovations.csv", headers=headers)
    assert missing.status_code == 404


def test_exports_are_for_admins_only(
    client: TestClient, factory: Factory, competition: Competition
) -> None:
    assert _get(client, competition, "innovations.csv", {}).status_code == 401
    for role in REFUSED_ROLES:
        response = _get(client, competition, "innovations.xlsx", auth_headers(factory.user(role)))
        assert response.status_code == 403, role


def test_empty_competition_exports_just_the_header(client: TestClient, factory: Factory) -> None:
    competition = factory.competition()
    response = _get(client, competition, "innovations.csv", auth_headers(factory.admin()))
    assert response.content.decode("utf-8-sig").splitlines() == [",".join(INNOVATION_COLUMNS)]


def test_exports_dispatch_table_is_extensible() -> None:
    assert callable(EXPORTS["innovations"])
