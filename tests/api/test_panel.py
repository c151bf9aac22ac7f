"""The judge panel: read and replaced by admins; only active judges; finals keep a judge on it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp.models import AuditEvent, Competition, PanelMember, Role, Scoresheet
from tests.factories import Factory, auth_headers


def _url(competition: Competition) -> str:
    return f"/api/v1/competitions/{competition.id}/judges"


def _panel(session: Session, competition: Competition) -> list[int]:
    session.expire_all()
    return list(
        session.scalars(
            select(PanelMember.user_id)
            .where(PanelMember.competition_id == competition.id)
            .order_by(PanelMember.user_id)
        )
    )


def _events(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_admin_sets_and_reads_the_panel(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition()
    agency = factory.agency(code="KOMINFO")
    first = factory.user(Role.JUDGE, agency=agency, full_name="Andi")
    second = factory.user(Role.JUDGE, agency_id=None, full_name="Budi")
    headers = auth_headers(factory.admin())
    assert client.get(_url(competition), headers=headers).json() == {
        "user_ids": [],
        "items": [],
        "total": 0,
    }
    response = client.put(
        _url(competition), json={"user_ids": [second.id, first.id, first.id]}, headers=headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user_ids"] == sorted([first.id, second.id])
    assert body["items"] == [
        {
            "id": first.id,
            "full_name": "Andi",
            "email": first.email,
            "agency_id": agency.id,
            "agency_code": "KOMINFO",
        },
        {
            "id": second.id,
            "full_name": "Budi",
            "email": second.email,
            "agency_id": None,
            "agency_code": None,
        },
    ]
    assert client.get(_url(competition), headers=headers).json() == body
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "panel.update")).one()
    assert event.before == {"user_ids": []}
    assert event.after == {"user_ids": sorted([first.id, second.id])}

    events = _events(session)
    assert (
        client.put(
            _url(competition), json={"user_ids": [first.id, second.id]}, headers=headers
        ).json()
        == body
    )
    assert _events(session) == events  # nothing changed, nothing logged
    assert client.put(_url(competition), json={"user_ids": [first.id]}, headers=headers).json()[
        "user_ids"
    ] == [first.id]
    assert _panel(session, competition) == [first.id]


def test_only_active_judges_join_and_nothing_changes_otherwise(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition()
    judge = factory.user(Role.JUDGE)
    factory.add_panel(competition, [judge])
    innovator = factory.user(Role.INNOVATOR)
    retired = factory.user(Role.JUDGE, is_active=False)
    headers = auth_headers(factory.admin())
    before, events = _panel(session, competition), _events(session)
    response = client.put(
        _url(competition),
        json={"user_ids": [judge.id, innovator.id, retired.id, 999_999]},
        headers=headers,
    )
    assert response.status_code == 422
    assert [{k: e[k] for k in ("field", "message")} for e in response.json()["errors"]] == [
        {"field": "user_ids.1", "message": f"User {innovator.id} is not an active judge."},
        {"field": "user_ids.2", "message": f"User {retired.id} is not an active judge."},
        {"field": "user_ids.3", "message": "User 999999 is not an active judge."},
    ]
    assert {e["code"] for e in response.json()["errors"]} == {"not_a_judge"}
    assert f"{innovator.id}, {retired.id}, 999999" in response.json()["detail"]
    for body in ({"user_ids": "1"}, {}, {"user_ids": ["x"]}):
        assert client.put(_url(competition), json=body, headers=headers).status_code == 422
    assert (_panel(session, competition), _events(session)) == (before, events)


def test_a_judge_with_a_final_scoresheet_stays(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition(current_stage="presentation")
    factory.add_default_criteria(competition)
    keeper, leaver, newcomer = (factory.user(Role.JUDGE) for _ in range(3))
    factory.add_panel(competition, [keeper, leaver])
    innovation = factory.innovation(competition, status="eligible")
    factory.add_scoresheet(innovation, keeper, 7, status="final")
    factory.add_scoresheet(innovation, leaver, {"kebaruan": 3}, status="draft")
    headers = auth_headers(factory.admin())
    before = _panel(session, competition)
    refused = client.put(_url(competition), json={"user_ids": [leaver.id]}, headers=headers)
    assert refused.status_code == 409
    assert str(keeper.id) in refused.json()["detail"]
    assert _panel(session, competition) == before

    # Removing a judge with only a draft deletes the draft.
    response = client.put(
        _url(competition), json={"user_ids": [keeper.id, newcomer.id]}, headers=headers
    )
    assert response.status_code == 200
    assert _panel(session, competition) == sorted([keeper.id, newcomer.id])
    assert session.scalars(select(Scoresheet.judge_id)).all() == [keeper.id]
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "panel.update")).one()
    assert event.after is not None and event.after["drafts_deleted"] == 1


def test_the_panel_is_frozen_from_nomination_on(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition(current_stage="nomination")
    judge = factory.user(Role.JUDGE)
    response = client.put(
        _url(competition), json={"user_ids": [judge.id]}, headers=auth_headers(factory.admin())
    )
    assert response.status_code == 409
    assert _panel(session, competition) == []


def test_only_admins_see_and_change_the_panel(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition()
    judge = factory.user(Role.JUDGE)
    factory.add_panel(competition, [judge])
    body = {"user_ids": [judge.id]}
    assert client.get(_url(competition)).status_code == 401
    assert client.put(_url(competition), json=body).status_code == 401
    for user in (judge, factory.user(Role.INNOVATOR), factory.user(Role.AGENCY_ADMIN)):
        headers = auth_headers(user)
        assert client.get(_url(competition), headers=headers).status_code == 403
        assert (
            client.put(_url(competition), json={"user_ids": []}, headers=headers).status_code == 403
        )
    admin = auth_headers(factory.admin())
    assert client.get("/api/v1/competitions/999999/judges", headers=admin).status_code == 404
    assert (
        client.put("/api/v1/competitions/999999/judges", json=body, headers=admin).status_code
        == 404
    )
    assert _panel(session, competition) == [judge.id]
