"""The administrative review: the admin checks a submitted proposal against the checklist."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp.competitions.defaults import default_admin_checklist
from kipp.models import AdministrativeReview, AuditEvent, Innovation
from tests.api.test_innovations import World, make_world
from tests.factories import Factory

KEYS = [item["key"] for item in default_admin_checklist()]


def _checks(value: bool = True, **overrides: bool) -> dict[str, bool]:
    return {**dict.fromkeys(KEYS, value), **overrides}


def _world(factory: Factory, session: Session, **fields: Any) -> World:
    world = make_world(factory, **{"current_stage": "administrative", **fields})
    world.draft.status = "submitted"
    session.flush()
    return world


def _review(
    client: TestClient, world: World, body: dict[str, Any], who: str | None = "admin"
) -> Any:
    return client.post(
        f"/api/v1/innovations/{world.draft.id}/administrative-review",
        json=body,
        headers=world.headers(who) if who else {},
    )


def _state(session: Session, world: World) -> tuple[str, int, int]:
    session.expire_all()
    innovation = session.get(Innovation, world.draft.id)
    assert innovation is not None
    reviews = session.scalar(select(func.count()).select_from(AdministrativeReview)) or 0
    events = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    return innovation.status, reviews, events


def test_a_proposal_passes(client: TestClient, factory: Factory, session: Session) -> None:
    world = _world(factory, session)
    response = _review(client, world, {"passed": True, "checks": _checks(), "notes": ""})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "eligible"
    review = body["administrative_review"]
    assert review["passed"] is True and review["checks"] == _checks() and review["notes"] == ""
    assert review["reviewed_at"]
    [event] = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "innovation.administrative_review")
    )
    assert event.actor_id == world.admin.id
    assert event.before == {"status": "submitted", "review": None}
    assert event.after is not None and event.after["status"] == "eligible"


def test_a_failed_proposal_carries_the_reasons_to_the_innovator(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = _world(factory, session)
    reasons = "Usia inovasi belum 2 tahun; SK kepala OPD belum dilampirkan."
    response = _review(
        client,
        world,
        {
            "passed": False,
            "checks": _checks(min_age=False, agency_endorsement=False),
            "notes": reasons,
        },
    )
    assert response.status_code == 200 and response.json()["status"] == "ineligible"
    seen = client.get(
        f"/api/v1/innovations/{world.draft.id}", headers=world.headers("innovator")
    ).json()
    assert seen["status"] == "ineligible"
    assert seen["administrative_review"]["passed"] is False
    assert seen["administrative_review"]["notes"] == reasons
    assert seen["administrative_review"]["checks"]["min_age"] is False


def test_a_decision_may_be_revised_while_the_stage_is_current(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = _world(factory, session)
    assert _review(client, world, {"passed": True, "checks": _checks()}).status_code == 200
    revised = _review(
        client, world, {"passed": False, "checks": _checks(evidence=False), "notes": "Tanpa bukti."}
    )
    assert revised.status_code == 200 and revised.json()["status"] == "ineligible"
    again = _review(client, world, {"passed": True, "checks": _checks(), "notes": "Bukti masuk."})
    assert again.json()["status"] == "eligible"
    assert again.json()["administrative_review"]["notes"] == "Bukti masuk."
    events = list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "innovation.administrative_review")
            .order_by(AuditEvent.id)
        )
    )
    assert [(e.before or {})["status"] for e in events] == ["submitted", "eligible", "ineligible"]
    assert [(e.after or {})["status"] for e in events] == ["eligible", "ineligible", "eligible"]
    assert events[1].before is not None and events[1].before["review"]["passed"] is True
    assert events[1].reason == "Tanpa bukti."
    assert session.scalar(select(func.count()).select_from(AdministrativeReview)) == 1


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"passed": True, "checks": {k: True for k in KEYS if k != "min_age"} | {"foto": True}},
            [
                {"field": "checks.min_age", "message": "Missing: give true or false."},
                {"field": "checks.foto", "message": "Not on the checklist."},
            ],
        ),
        (
            {"passed": False, "checks": _checks(evidence=False), "notes": "   "},
            [{"field": "notes", "message": "Give the reasons the proposal fails."}],
        ),
        (
            {"passed": False, "checks": _checks(evidence=False)},
            [{"field": "notes", "message": "Give the reasons the proposal fails."}],
        ),
    ],
)
def test_incomplete_reviews_are_422_and_change_nothing(
    client: TestClient,
    factory: Factory,
    session: Session,
    body: dict[str, Any],
    errors: list[dict[str, str]],
) -> None:
    world = _world(factory, session)
    before = _state(session, world)
    response = _review(client, world, body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [{k: e[k] for k in ("field", "message")} for e in response.json()["errors"]] == errors
    assert _state(session, world) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"checks": _checks()}, "passed"),
        ({"passed": "ya", "checks": _checks()}, "passed"),
        ({"passed": True, "checks": _checks(min_age="ya")}, "checks.min_age"),
        ({"passed": True}, "checks"),
        ({"passed": True, "checks": _checks(), "status": "winner"}, "status"),
    ],
)
def test_malformed_reviews_are_422_and_change_nothing(
    client: TestClient, factory: Factory, session: Session, body: dict[str, Any], field: str
) -> None:
    world = _world(factory, session)
    before = _state(session, world)
    response = _review(client, world, body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert _state(session, world) == before


@pytest.mark.parametrize("stage", ["submission", "presentation"])
def test_only_in_the_administrative_stage(
    client: TestClient, factory: Factory, session: Session, stage: str
) -> None:
    world = _world(factory, session, current_stage=stage)
    before = _state(session, world)
    response = _review(client, world, {"passed": True, "checks": _checks()})
    assert response.status_code == 409
    assert "administrative stage" in response.json()["detail"]
    assert _state(session, world) == before


@pytest.mark.parametrize("status", ["draft", "withdrawn", "nominated"])
def test_only_submitted_proposals_are_reviewed(
    client: TestClient, factory: Factory, session: Session, status: str
) -> None:
    world = _world(factory, session)
    world.draft.status = status
    session.flush()
    before = _state(session, world)
    response = _review(client, world, {"passed": True, "checks": _checks()})
    assert response.status_code == 409
    assert _state(session, world) == before


def test_only_the_admin_reviews(client: TestClient, factory: Factory, session: Session) -> None:
    world = _world(factory, session)
    before = _state(session, world)
    body = {"passed": True, "checks": _checks()}
    assert _review(client, world, body, who=None).status_code == 401
    for who in (
        "innovator",
        "colleague",
        "outsider",
        "agency_admin",
        "other_agency_admin",
        "judge",
    ):
        assert _review(client, world, body, who=who).status_code == 403, who
    assert _state(session, world) == before
    missing = client.post(
        "/api/v1/innovations/999999/administrative-review",
        json=body,
        headers=world.headers("admin"),
    )
    assert missing.status_code == 404


def test_duplicate_titles_are_flagged(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = _world(factory, session)
    twin = factory.innovation(world.competition, title="SI  cantik", status="submitted")
    response = _review(client, world, {"passed": True, "checks": _checks()})
    assert response.json()["duplicate_title_ids"] == [twin.id]


def test_a_custom_checklist_is_what_is_asked(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = _world(factory, session, admin_checklist=[{"key": "lengkap", "label": "Lengkap"}])
    assert _review(client, world, {"passed": True, "checks": {"lengkap": True}}).status_code == 200
    wrong = _review(client, world, {"passed": True, "checks": _checks()})
    assert wrong.status_code == 422
    assert {e["field"] for e in wrong.json()["errors"]} == {"checks.lengkap"} | {
        f"checks.{k}" for k in KEYS
    }
