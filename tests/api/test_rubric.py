"""The rubric: read by admins and panel judges, replaced whole by admins until scoring starts."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp.competitions.defaults import default_criteria
from kipp.models import AuditEvent, Competition, Criterion, Role
from tests.factories import Factory, auth_headers

RUBRIC = [
    {
        "key": "kebaruan",
        "name": "Kebaruan",
        "description": "Baru",
        "low_means": "Sudah umum",
        "high_means": "Belum pernah ada",
        "weight": 40,
        "min_score": 1,
        "max_score": 5,
    },
    {"key": "dampak", "name": "Dampak", "weight": 60, "min_score": 0, "max_score": 100},
]


def _url(competition: Competition) -> str:
    return f"/api/v1/competitions/{competition.id}/criteria"


def _rows(session: Session, competition: Competition) -> list[tuple[Any, ...]]:
    session.expire_all()
    return [
        (c.key, c.name, c.description, c.weight, c.min_score, c.max_score, c.position)
        for c in session.scalars(
            select(Criterion)
            .where(Criterion.competition_id == competition.id)
            .order_by(Criterion.position)
        )
    ]


def test_admin_and_panel_judges_read_the_rubric(client: TestClient, factory: Factory) -> None:
    competition = factory.competition(published=False)
    factory.add_default_criteria(competition)
    judge = factory.user(Role.JUDGE)
    factory.add_panel(competition, [judge])
    for user in (factory.admin(), judge):
        response = client.get(_url(competition), headers=auth_headers(user))
        assert response.status_code == 200
        body = response.json()
        assert body["total"] == 6 and body["locked"] is False
        assert body["items"] == default_criteria()


def test_others_may_not_read_the_rubric(client: TestClient, factory: Factory) -> None:
    competition = factory.competition()
    factory.add_default_criteria(competition)
    assert client.get(_url(competition)).status_code == 401
    outsider = auth_headers(factory.user(Role.JUDGE))
    assert client.get(_url(competition), headers=outsider).status_code == 404
    admin = auth_headers(factory.admin())
    assert client.get("/api/v1/competitions/999999/criteria", headers=admin).status_code == 404
    for role in (Role.INNOVATOR, Role.AGENCY_ADMIN):
        response = client.get(_url(competition), headers=auth_headers(factory.user(role)))
        assert response.status_code == 403, role


def test_admin_replaces_the_rubric_and_it_is_logged(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition()
    factory.add_default_criteria(competition)
    headers = auth_headers(factory.admin())
    response = client.put(_url(competition), json=RUBRIC, headers=headers)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [c["key"] for c in items] == ["kebaruan", "dampak"]
    assert items[0] == RUBRIC[0]
    assert items[1] == {**RUBRIC[1], "description": "", "low_means": "", "high_means": ""}
    assert _rows(session, competition) == [
        ("kebaruan", "Kebaruan", "Baru", 40.0, 1, 5, 0),
        ("dampak", "Dampak", "", 60.0, 0, 100, 1),
    ]
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "rubric.update")).one()
    assert event.before is not None and len(event.before["criteria"]) == 6
    assert event.after is not None and event.after["criteria"][1]["key"] == "dampak"
    assert event.after["criteria"][0]["high_means"] == "Belum pernah ada"
    assert event.competition_id == competition.id
    # The same rubric again changes nothing and logs nothing.
    assert client.put(_url(competition), json=RUBRIC, headers=headers).status_code == 200
    assert (
        session.scalar(select(AuditEvent.id).where(AuditEvent.action == "rubric.update").offset(1))
        is None
    )


def test_fractional_weights_totalling_100_are_fine(client: TestClient, factory: Factory) -> None:
    competition = factory.competition()
    rubric = [
        {"key": f"k{i}", "name": f"K{i}", "weight": w, "min_score": 1, "max_score": 10}
        for i, w in enumerate((33.3, 33.3, 33.4))
    ]
    response = client.put(_url(competition), json=rubric, headers=auth_headers(factory.admin()))
    assert response.status_code == 200


def _with(index: int, **changes: Any) -> list[dict[str, Any]]:
    rubric = [dict(c) for c in RUBRIC]
    rubric[index].update(changes)
    return rubric


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ([], "body", "The rubric needs at least one criterion."),
        (_with(1, weight=50), "weight", "Weights total 90; they must total exactly 100."),
        (_with(1, weight=0), "1.weight", None),
        (_with(1, weight=-60), "1.weight", None),
        (_with(1, key="kebaruan"), "1.key", "Duplicate key."),
        (_with(1, key="Dampak Besar"), "1.key", None),
        (_with(1, key=""), "1.key", None),
        (_with(0, min_score=5), "0.max_score", "Must be above min_score."),
        (_with(0, max_score=7.5), "0.max_score", None),
        (_with(0, name=""), "0.name", None),
        ({"key": "x"}, "body", None),
    ],
)
def test_bad_rubrics_are_refused_and_change_nothing(
    client: TestClient,
    factory: Factory,
    session: Session,
    body: Any,
    field: str,
    message: str | None,
) -> None:
    competition = factory.competition()
    factory.add_default_criteria(competition)
    before = _rows(session, competition)
    response = client.put(_url(competition), json=body, headers=auth_headers(factory.admin()))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert errors[0]["field"] == field
    if message:
        assert errors[0]["message"] == message
    assert _rows(session, competition) == before


def test_the_rubric_is_locked_once_scoring_starts(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition(current_stage="presentation")
    factory.add_default_criteria(competition)
    judge = factory.user(Role.JUDGE)
    factory.add_panel(competition, [judge])
    innovation = factory.innovation(competition, status="eligible")
    factory.add_scoresheet(innovation, judge, {"kebaruan": 5}, status="draft")
    admin = auth_headers(factory.admin())
    before = _rows(session, competition)
    response = client.put(_url(competition), json=RUBRIC, headers=admin)
    assert response.status_code == 409
    assert _rows(session, competition) == before
    assert client.get(_url(competition), headers=admin).json()["locked"] is True


def test_only_admins_replace_the_rubric(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition()
    factory.add_default_criteria(competition)
    judge = factory.user(Role.JUDGE)
    factory.add_panel(competition, [judge])
    before = _rows(session, competition)
    assert client.put(_url(competition), json=RUBRIC).status_code == 401
    for user in (judge, factory.user(Role.INNOVATOR), factory.user(Role.AGENCY_ADMIN)):
        response = client.put(_url(competition), json=RUBRIC, headers=auth_headers(user))
        assert response.status_code == 403
    admin = auth_headers(factory.admin())
    assert (
        client.put("/api/v1/competitions/999999/criteria", json=RUBRIC, headers=admin).status_code
        == 404
    )
    assert _rows(session, competition) == before


def test_an_unpublished_competitions_rubric_is_404_but_for_the_admin(
    client: TestClient, factory: Factory
) -> None:
    competition = factory.competition(published=False)
    factory.add_default_criteria(competition)
    for role in (Role.INNOVATOR, Role.AGENCY_ADMIN, Role.JUDGE):
        response = client.get(_url(competition), headers=auth_headers(factory.user(role)))
        assert response.status_code == 404, role
    assert client.get(_url(competition), headers=auth_headers(factory.admin())).status_code == 200
