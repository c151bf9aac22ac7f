"""A judge's assignments: what they must score, with their progress, never others' scores."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from kipp.models import Role, User
from tests.factories import Factory, auth_headers


def _mine(client: TestClient, user: User | None, **params: Any) -> Any:
    headers = auth_headers(user) if user else {}
    return client.get("/api/v1/me/assignments", params=params, headers=headers)


def test_a_judge_sees_their_work_and_progress(client: TestClient, factory: Factory) -> None:
    competition = factory.competition(current_stage="presentation", name="KIPP Luwu Utara 2021")
    factory.add_default_criteria(competition)
    own_agency = factory.agency()
    judge = factory.user(Role.JUDGE, agency=own_agency)
    other = factory.user(Role.JUDGE)
    factory.add_panel(competition, [judge, other])
    dlh = factory.agency(code="DLH")
    alpha = factory.innovation(
        competition,
        agency=dlh,
        title="A Sampah",
        group="replikasi",
        category="Lingkungan",
        status="eligible",
    )
    beta = factory.innovation(competition, title="B Sehat", status="eligible")
    gamma = factory.innovation(competition, title="C Cerdas", status="eligible")
    factory.innovation(competition, agency=own_agency, title="D Own", status="eligible")
    declared = factory.innovation(competition, title="E Declared", status="eligible")
    factory.add_conflict(declared, judge)
    factory.innovation(competition, title="F Submitted", status="submitted")
    factory.innovation(competition, title="G Ineligible", status="ineligible")
    factory.add_scoresheet(alpha, judge, 7, status="final")
    factory.add_scoresheet(beta, judge, {"kebaruan": 3}, status="draft")
    factory.add_scoresheet(gamma, other, 9, status="final")  # another judge's: not shown

    response = _mine(client, judge)
    assert response.status_code == 200
    body = response.json()
    assert body["progress"] == {"final": 1, "draft": 1, "to_do": 1, "total": 3}
    assert body["total"] == 3
    assert [(i["title"], i["status"]) for i in body["items"]] == [
        ("A Sampah", "final"),
        ("B Sehat", "draft"),
        ("C Cerdas", "to_do"),
    ]
    first = body["items"][0]
    assert first == {
        "competition_id": competition.id,
        "competition_name": "KIPP Luwu Utara 2021",
        "innovation_id": alpha.id,
        "title": "A Sampah",
        "agency_code": "DLH",
        "group": "replikasi",
        "category": "Lingkungan",
        "status": "final",
        "updated_at": first["updated_at"],
        "slot_starts_at": None,  # no published presentation schedule
        "slot_place": None,
    }
    assert first["updated_at"] is not None
    assert body["items"][2]["updated_at"] is None
    assert "scores" not in str(body)
    filtered = _mine(client, judge, competition_id=competition.id).json()
    assert filtered["total"] == 3


def test_only_competitions_from_presentation_on(client: TestClient, factory: Factory) -> None:
    judge = factory.user(Role.JUDGE)
    for stage in ("administrative", "presentation", "nomination"):
        competition = factory.competition(current_stage=stage)
        factory.add_panel(competition, [judge])
        factory.innovation(competition, title=stage, status="eligible")
    elsewhere = factory.competition(current_stage="presentation")  # not on this panel
    factory.innovation(elsewhere, status="eligible")
    body = _mine(client, judge).json()
    assert sorted(i["title"] for i in body["items"]) == ["nomination", "presentation"]


def test_assignment_refusals(client: TestClient, factory: Factory) -> None:
    judge = factory.user(Role.JUDGE)
    competition = factory.competition(current_stage="presentation")
    assert _mine(client, None).status_code == 401
    for user in (factory.admin(), factory.user(Role.INNOVATOR), factory.user(Role.AGENCY_ADMIN)):
        assert _mine(client, user).status_code == 403
    assert _mine(client, judge, competition_id=competition.id).status_code == 404
    assert _mine(client, judge, competition_id="x").status_code == 422
    assert _mine(client, judge).json() == {
        "items": [],
        "total": 0,
        "progress": {"final": 0, "draft": 0, "to_do": 0, "total": 0},
    }


def test_admin_sees_each_judges_progress(client: TestClient, factory: Factory) -> None:
    competition = factory.competition(current_stage="presentation")
    factory.add_default_criteria(competition)
    own_agency = factory.agency()
    judge = factory.user(Role.JUDGE, agency=own_agency, full_name="A Juri")
    other = factory.user(Role.JUDGE, full_name="B Juri")
    factory.add_panel(competition, [judge, other])
    first = factory.innovation(competition, status="eligible")
    second = factory.innovation(competition, status="eligible")
    factory.innovation(competition, agency=own_agency, status="eligible")  # judge conflicted
    factory.add_scoresheet(first, judge, 7, status="final")
    factory.add_scoresheet(second, judge, {"kebaruan": 3}, status="draft")
    factory.add_scoresheet(first, other, 9, status="final")
    url = f"/api/v1/competitions/{competition.id}/judging-progress"

    body = client.get(url, headers=auth_headers(factory.admin())).json()
    assert [
        (j["judge_id"], j["final"], j["draft"], j["to_do"], j["total"]) for j in body["judges"]
    ] == [(judge.id, 1, 1, 0, 2), (other.id, 1, 0, 2, 3)]
    assert body["progress"] == {"final": 2, "draft": 1, "to_do": 2, "total": 5}

    assert client.get(url).status_code == 401
    for role in (Role.INNOVATOR, Role.AGENCY_ADMIN, Role.JUDGE):
        assert client.get(url, headers=auth_headers(factory.user(role))).status_code == 403
    missing = "/api/v1/competitions/999999/judging-progress"
    assert client.get(missing, headers=auth_headers(factory.admin())).status_code == 404
