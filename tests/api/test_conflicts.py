"""Conflicts of interest: automatic (own agency), declared by a judge, recorded by the admin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp.models import (
    AuditEvent,
    Competition,
    ConflictOfInterest,
    Innovation,
    Nomination,
    Role,
    Scoresheet,
    User,
)
from tests.factories import Factory, auth_headers


@dataclass
class World:
    competition: Competition
    innovation: Innovation
    own: Innovation
    judge: User
    other_judge: User
    admin: User
    innovator: User


def _world(factory: Factory, stage: str = "presentation") -> World:
    competition = factory.competition(current_stage=stage)
    factory.add_default_criteria(competition)
    judge_agency = factory.agency(code="KOMINFO")
    judge = factory.user(Role.JUDGE, agency=judge_agency, full_name="Juri Satu")
    other_judge = factory.user(Role.JUDGE, full_name="Juri Dua")
    factory.add_panel(competition, [judge, other_judge])
    innovator = factory.user(Role.INNOVATOR)
    innovation = factory.innovation(
        competition, agency=factory.agency(code="DLH"), team=[innovator], status="eligible"
    )
    own = factory.innovation(competition, agency=judge_agency, status="eligible", title="Own")
    return World(
        competition=competition,
        innovation=innovation,
        own=own,
        judge=judge,
        other_judge=other_judge,
        admin=factory.admin(),
        innovator=innovator,
    )


def _declare(client: TestClient, iid: int, user: User | None, reason: Any = "saudara") -> Any:
    headers = auth_headers(user) if user else {}
    return client.post(
        f"/api/v1/innovations/{iid}/conflicts", json={"reason": reason}, headers=headers
    )


def _state(session: Session) -> tuple[int, int, int]:
    session.expire_all()
    return (
        session.scalar(select(func.count()).select_from(ConflictOfInterest)) or 0,
        session.scalar(select(func.count()).select_from(Scoresheet)) or 0,
        session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
    )


def test_a_judge_declares_a_conflict_and_their_draft_goes(
    client: TestClient, factory: Factory, session: Session
) -> None:
    w = _world(factory)
    factory.add_scoresheet(w.innovation, w.judge, {"kebaruan": 4}, status="draft")
    response = _declare(client, w.innovation.id, w.judge, "  istri saya di tim  ")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["source"] == "declared"
    assert body["reason"] == "istri saya di tim"
    assert body["judge_id"] == w.judge.id and body["judge_name"] == "Juri Satu"
    assert body["innovation_id"] == w.innovation.id and body["agency_code"] == "DLH"
    assert body["created_at"] is not None and body["id"] is not None
    session.expire_all()
    assert session.scalar(select(Scoresheet.id).where(Scoresheet.judge_id == w.judge.id)) is None
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "conflict.create")).one()
    assert event.reason == "istri saya di tim"
    assert event.after is not None
    assert event.after["deleted_draft"] == {
        "status": "draft",
        "scores": {"kebaruan": 4},
        "comment": "",
    }
    # Now the judge is refused, and the assignment is gone.
    scored = client.put(
        f"/api/v1/innovations/{w.innovation.id}/scores/me",
        json={"scores": {"kebaruan": 5}},
        headers=auth_headers(w.judge),
    )
    assert scored.status_code == 403
    mine = client.get("/api/v1/me/assignments", headers=auth_headers(w.judge)).json()
    assert mine["total"] == 0


def test_declaring_twice_returns_the_existing_conflict(
    client: TestClient, factory: Factory, session: Session
) -> None:
    w = _world(factory)
    first = _declare(client, w.innovation.id, w.judge)
    before = _state(session)
    again = _declare(client, w.innovation.id, w.judge, "another reason")
    assert again.status_code == 200
    assert again.json() == first.json()
    assert _state(session) == before


def test_declaration_refusals(client: TestClient, factory: Factory, session: Session) -> None:
    w = _world(factory)
    factory.add_scoresheet(w.innovation, w.other_judge, 6, status="final")
    submitted = factory.innovation(w.competition, status="submitted")
    outsider = factory.user(Role.JUDGE)
    before = _state(session)
    for reason in ("", "   ", None):
        assert _declare(client, w.innovation.id, w.judge, reason).status_code == 422
    final = _declare(client, w.innovation.id, w.other_judge)
    assert final.status_code == 409
    assert "reopen" in final.json()["detail"]
    own = _declare(client, w.own.id, w.judge)
    assert own.status_code == 409
    assert "own agency" in own.json()["detail"]
    assert _declare(client, w.innovation.id, outsider).status_code == 404
    assert _declare(client, submitted.id, w.judge).status_code == 404
    assert _declare(client, 999_999, w.judge).status_code == 404
    assert _declare(client, w.innovation.id, None).status_code == 401
    for user in (w.innovator, w.admin, factory.user(Role.AGENCY_ADMIN)):
        assert _declare(client, w.innovation.id, user).status_code == 403
    assert _state(session) == before


def _list(client: TestClient, w: World, user: User | None, **params: Any) -> Any:
    headers = auth_headers(user) if user else {}
    return client.get(
        f"/api/v1/competitions/{w.competition.id}/conflicts", params=params, headers=headers
    )


def test_admin_lists_every_conflict(client: TestClient, factory: Factory) -> None:
    w = _world(factory)
    factory.add_conflict(w.innovation, w.other_judge, source="declared", reason="kerabat")
    # A draft of the judge's agency is not (yet) a conflict; another agency's innovation neither.
    factory.innovation(w.competition, agency_id=w.own.agency_id, status="draft")
    factory.innovation(w.competition, status="eligible")
    response = _list(client, w, w.admin)
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2
    automatic, declared = sorted(body["items"], key=lambda c: c["source"])
    assert automatic == {
        "id": None,
        "competition_id": w.competition.id,
        "innovation_id": w.own.id,
        "innovation_title": "Own",
        "agency_code": "KOMINFO",
        "judge_id": w.judge.id,
        "judge_name": "Juri Satu",
        "source": "agency",
        "reason": "own agency",
        "created_at": None,
    }
    assert declared["source"] == "declared" and declared["reason"] == "kerabat"
    assert declared["judge_id"] == w.other_judge.id and declared["created_at"]
    only = _list(client, w, w.admin, judge_id=w.judge.id).json()
    assert [c["source"] for c in only["items"]] == ["agency"]
    paged = _list(client, w, w.admin, limit=1, offset=1).json()
    assert paged["total"] == 2 and len(paged["items"]) == 1
    assert _list(client, w, w.admin, limit=0).status_code == 422


def test_only_admins_list_conflicts(client: TestClient, factory: Factory) -> None:
    w = _world(factory)
    assert _list(client, w, None).status_code == 401
    for user in (w.judge, w.innovator, factory.user(Role.AGENCY_ADMIN)):
        assert _list(client, w, user).status_code == 403
    admin = auth_headers(w.admin)
    assert client.get("/api/v1/competitions/999999/conflicts", headers=admin).status_code == 404


def _record(client: TestClient, w: World, user: User | None, **body: Any) -> Any:
    headers = auth_headers(user) if user else {}
    payload = {"innovation_id": w.innovation.id, "judge_id": w.judge.id, "reason": "atasan"}
    return client.post(
        f"/api/v1/competitions/{w.competition.id}/conflicts",
        json={**payload, **body},
        headers=headers,
    )


def test_admin_records_a_conflict(client: TestClient, factory: Factory, session: Session) -> None:
    w = _world(factory)
    factory.add_scoresheet(w.innovation, w.judge, {"kebaruan": 4}, status="draft")
    response = _record(client, w, w.admin)
    assert response.status_code == 201, response.text
    assert response.json()["source"] == "admin"
    session.expire_all()
    assert session.scalar(select(Scoresheet.id).where(Scoresheet.judge_id == w.judge.id)) is None
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "conflict.create")).one()
    assert event.actor_id == w.admin.id and event.competition_id == w.competition.id
    before = _state(session)
    again = _record(client, w, w.admin)
    assert again.status_code == 200 and again.json()["id"] == response.json()["id"]
    assert _state(session) == before


def test_admin_record_refusals(client: TestClient, factory: Factory, session: Session) -> None:
    w = _world(factory)
    elsewhere = factory.innovation(factory.competition(), status="eligible")
    factory.add_scoresheet(w.innovation, w.other_judge, 6, status="final")
    before = _state(session)
    bad_innovation = _record(client, w, w.admin, innovation_id=elsewhere.id)
    assert bad_innovation.status_code == 422
    assert bad_innovation.json()["errors"][0]["field"] == "innovation_id"
    bad_judge = _record(client, w, w.admin, judge_id=w.innovator.id)
    assert bad_judge.status_code == 422
    assert bad_judge.json()["errors"] == [
        {
            "field": "judge_id",
            "pointer": "/judge_id",
            "code": "not_a_judge",
            "message": "Not a judge.",
        }
    ]
    assert _record(client, w, w.admin, reason=" ").status_code == 422
    assert _record(client, w, w.admin, judge_id="x").status_code == 422
    assert _record(client, w, w.admin, innovation_id=w.own.id).status_code == 409
    assert _record(client, w, w.admin, judge_id=w.other_judge.id).status_code == 409
    assert _record(client, w, None).status_code == 401
    for user in (w.judge, w.innovator, factory.user(Role.AGENCY_ADMIN)):
        assert _record(client, w, user).status_code == 403
    assert _state(session) == before


def test_judges_declare_only_until_the_presentation_stage_ends(
    client: TestClient, factory: Factory, session: Session
) -> None:
    w = _world(factory, "administrative")
    assert _declare(client, w.innovation.id, w.judge).status_code == 201
    for stage in ("nomination", "announcement"):
        w.competition.current_stage = stage
        session.flush()
        before = _state(session)
        refused = _declare(client, w.innovation.id, w.other_judge)
        assert refused.status_code == 409, stage
        assert "presentation stage is over" in refused.json()["detail"]
        assert _state(session) == before


def test_admin_records_until_the_nomination_is_saved(
    client: TestClient, factory: Factory, session: Session
) -> None:
    w = _world(factory, "nomination")
    assert _record(client, w, w.admin).status_code == 201
    session.add(
        Nomination(
            competition_id=w.competition.id,
            innovation_ids=[w.innovation.id],
            method="mean",
            manifest={},
            manifest_sha256="0" * 64,
        )
    )
    session.flush()
    before = _state(session)
    refused = _record(client, w, w.admin, judge_id=w.other_judge.id)
    assert refused.status_code == 409
    assert "decision is saved" in refused.json()["detail"]
    assert _state(session) == before
