"""The status machine against the database: one move (optimistic lock, audited) and many moves
(all-or-nothing, one audit event)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kipp import clock
from kipp.errors import InvalidTransition, StaleVersion
from kipp.innovations import lifecycle, submission
from kipp.models import AuditEvent, Competition, Innovation, Role
from tests.factories import Factory, auth_headers


def _events(session: Session, action: str) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def _stored(session: Session, innovation_id: int) -> tuple[str, int]:
    row = session.execute(
        select(Innovation.status, Innovation.version).where(Innovation.id == innovation_id)
    ).one()
    return row.status, row.version


def _audit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_move_writes_the_status_and_audits_it(factory: Factory, session: Session) -> None:
    admin = factory.admin()
    competition = factory.competition()
    innovation = factory.innovation(competition, status="draft")
    now = clock.now()
    lifecycle.move(
        session=session,
        actor=admin,
        innovation=innovation,
        target="submitted",
        action="innovation.submit",
        reason="on behalf of the team",
        values={"submitted_at": now},
        audit_after={"note": "by phone"},
    )
    assert _stored(session, innovation.id) == ("submitted", 2)
    assert session.scalar(select(Innovation.submitted_at).where(Innovation.id == innovation.id))
    [event] = _events(session, "innovation.submit")
    assert (event.entity_type, event.entity_id) == ("innovation", innovation.id)
    assert (event.actor_id, event.competition_id) == (admin.id, competition.id)
    assert event.before == {"status": "draft"}
    assert event.after == {"status": "submitted", "note": "by phone"}
    assert event.reason == "on behalf of the team"


def test_move_from_a_stale_read_is_409_and_writes_nothing(
    factory: Factory, session: Session
) -> None:
    competition = factory.competition()
    innovation = factory.innovation(competition, status="draft")
    assert innovation.version == 1
    # Someone else saves the draft between our read and our move.
    session.execute(
        update(Innovation)
        .where(Innovation.id == innovation.id)
        .values(version=2)
        .execution_options(synchronize_session=False)
    )
    events = _audit_count(session)
    with pytest.raises(StaleVersion) as stale:
        lifecycle.move(
            session=session,
            actor=None,
            innovation=innovation,
            target="submitted",
            action="innovation.submit",
        )
    assert stale.value.status == 409
    assert _stored(session, innovation.id) == ("draft", 2)
    assert _audit_count(session) == events


def test_a_refused_move_writes_nothing(factory: Factory, session: Session) -> None:
    innovation = factory.innovation(factory.competition(), status="draft")
    events = _audit_count(session)
    with pytest.raises(InvalidTransition):
        lifecycle.move(
            session=session,
            actor=None,
            innovation=innovation,
            target="eligible",
            action="innovation.administrative_review",
        )
    assert _stored(session, innovation.id) == ("draft", 1)
    assert _audit_count(session) == events


def test_a_submit_racing_another_write_is_409_over_http(
    client: TestClient, factory: Factory, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The version check sits in the UPDATE: a write landing after the request read the draft
    (here: while readiness is checked) makes the submit a 409 and nothing of it is written."""
    agency = factory.agency()
    innovator = factory.user(Role.INNOVATOR, agency=agency)
    innovation = factory.innovation(factory.competition(), agency=agency, team=[innovator])

    def concurrent_save(**_: Any) -> list[Any]:
        session.execute(
            update(Innovation)
            .where(Innovation.id == innovation.id)
            .values(title="Saved by a colleague", version=Innovation.version + 1)
            .execution_options(synchronize_session=False)
        )
        return []

    monkeypatch.setattr(submission, "readiness_problems", concurrent_save)
    response = client.post(
        f"/api/v1/innovations/{innovation.id}/submit", headers=auth_headers(innovator)
    )
    assert response.status_code == 409, response.text
    assert response.json()["type"].endswith("/stale-version")
    # (the "colleague" shares the test's connection, so the refused request's rollback takes
    # their save along: only the status matters here)
    assert _stored(session, innovation.id)[0] == "draft"
    assert _events(session, "innovation.submit") == []


def _decided(factory: Factory) -> tuple[Competition, list[Innovation]]:
    competition = factory.competition(current_stage="nomination")
    return competition, [factory.innovation(competition, status="eligible") for _ in range(3)]


def test_move_many_moves_all_with_one_audit_event(factory: Factory, session: Session) -> None:
    admin = factory.admin()
    competition, (first, second, third) = _decided(factory)
    moved = lifecycle.move_many(
        session=session,
        actor=admin,
        competition_id=competition.id,
        targets={first.id: "nominated", second.id: "not_nominated", third.id: "eligible"},
        action="competition.nominate",
        reason="TOP 2",
    )
    assert moved == {first.id: "eligible", second.id: "eligible"}  # the third stays as it is
    assert _stored(session, first.id) == ("nominated", 2)
    assert _stored(session, second.id) == ("not_nominated", 2)
    assert _stored(session, third.id) == ("eligible", 1)
    [event] = _events(session, "competition.nominate")
    assert (event.entity_id, event.competition_id, event.reason) == (None, competition.id, "TOP 2")
    assert event.before == {"statuses": {str(first.id): "eligible", str(second.id): "eligible"}}
    assert event.after == {
        "statuses": {str(first.id): "nominated", str(second.id): "not_nominated"}
    }


def test_move_many_with_one_refused_move_writes_nothing(factory: Factory, session: Session) -> None:
    competition, (first, second, _third) = _decided(factory)
    submitted = factory.innovation(competition, status="submitted")
    events = _audit_count(session)
    with pytest.raises(InvalidTransition):
        lifecycle.move_many(
            session=session,
            actor=None,
            competition_id=competition.id,
            targets={first.id: "nominated", second.id: "nominated", submitted.id: "nominated"},
            action="competition.nominate",
        )
    assert [_stored(session, i.id) for i in (first, second, submitted)] == [
        ("eligible", 1),
        ("eligible", 1),
        ("submitted", 1),
    ]
    assert _audit_count(session) == events


def test_move_many_refuses_an_innovation_of_another_competition(
    factory: Factory, session: Session
) -> None:
    competition, (first, _second, _third) = _decided(factory)
    stranger = factory.innovation(
        factory.competition(current_stage="nomination"), status="eligible"
    )
    events = _audit_count(session)
    with pytest.raises(InvalidTransition):
        lifecycle.move_many(
            session=session,
            actor=None,
            competition_id=competition.id,
            targets={first.id: "nominated", stranger.id: "nominated"},
            action="competition.nominate",
        )
    assert _stored(session, first.id) == ("eligible", 1)
    assert _stored(session, stranger.id) == ("eligible", 1)
    assert _audit_count(session) == events


def test_move_many_sets_values_on_the_moved_ones(factory: Factory, session: Session) -> None:
    competition = factory.competition()
    drafts = [factory.innovation(competition, status="draft") for _ in range(2)]
    now = clock.now()
    lifecycle.move_many(
        session=session,
        actor=None,
        competition_id=competition.id,
        targets={i.id: "submitted" for i in drafts},
        action="innovation.submit",
        values={"submitted_at": now},
    )
    stamped = session.scalars(
        select(Innovation.submitted_at).where(Innovation.id.in_([i.id for i in drafts]))
    ).all()
    assert len(stamped) == 2 and all(s is not None for s in stamped)
