"""Scoresheets: a judge saves a draft (idempotent), submits it; who sees which; reopen;
windows; and the scoring blockers the stage machine asks for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp.i18n import Msg
from kipp.models import AuditEvent, Competition, Innovation, Role, Score, Scoresheet, User
from kipp.stageflow import blockers as stage_blockers
from kipp.stageflow.blockers import Blocker
from tests.factories import Factory, auth_headers

FULL = {
    "kebaruan": 8,
    "efektivitas": 7,
    "kemanfaatan": 9,
    "kemudahan_replikasi": 6,
    "keberlanjutan": 5,
    "penguasaan_materi": 10,
}
FULL_TOTAL = 660 / 9  # (7·25 + 6·20 + 8·20 + 5·15 + 4·10 + 9·10) / 9


@dataclass
class World:
    competition: Competition
    innovation: Innovation  # eligible, scored by judge and other_judge
    own: Innovation  # eligible, of judge's own agency
    judge: User
    other_judge: User
    outsider: User  # a judge not on the panel
    admin: User
    innovator: User  # on the innovation's team


def _world(factory: Factory, *, stage: str = "presentation", open_stage: bool = True) -> World:
    competition = factory.competition(current_stage=stage, open_stage=open_stage)
    factory.add_default_criteria(competition)
    judge_agency, other_agency = factory.agency(), factory.agency()
    judge = factory.user(Role.JUDGE, agency=judge_agency)
    other_judge = factory.user(Role.JUDGE)
    factory.add_panel(competition, [judge, other_judge])
    innovator = factory.user(Role.INNOVATOR, agency=other_agency)
    innovation = factory.innovation(
        competition, agency=other_agency, team=[innovator], status="eligible"
    )
    own = factory.innovation(competition, agency=judge_agency, status="eligible")
    return World(
        competition=competition,
        innovation=innovation,
        own=own,
        judge=judge,
        other_judge=other_judge,
        outsider=factory.user(Role.JUDGE),
        admin=factory.admin(),
        innovator=innovator,
    )


def _put(client: TestClient, iid: int, user: User, body: dict[str, Any]) -> Any:
    return client.put(f"/api/v1/innovations/{iid}/scores/me", json=body, headers=auth_headers(user))


def _submit(client: TestClient, iid: int, user: User) -> Any:
    return client.post(f"/api/v1/innovations/{iid}/scores/me/submit", headers=auth_headers(user))


def _state(session: Session) -> tuple[int, int, int, list[tuple[int, str, int]]]:
    """Everything a scoring request may change, to compare before and after."""
    session.expire_all()
    sheets = session.scalar(select(func.count()).select_from(Scoresheet)) or 0
    scores = session.scalar(select(func.count()).select_from(Score)) or 0
    events = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    rows = [(s.id, s.status, s.version) for s in session.scalars(select(Scoresheet).order_by("id"))]
    return sheets, scores, events, rows


def _actions(session: Session) -> list[str]:
    return list(
        session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity_type == "scoresheet")
            .order_by(AuditEvent.id)
        )
    )


def test_judge_saves_a_partial_draft_then_submits(
    client: TestClient, factory: Factory, session: Session
) -> None:
    w = _world(factory)
    draft = _put(client, w.innovation.id, w.judge, {"scores": {"kebaruan": 8}, "comment": "ok"})
    assert draft.status_code == 200, draft.text
    body = draft.json()
    assert body["status"] == "draft"
    assert body["scores"] == {"kebaruan": 8}
    assert body["comment"] == "ok"
    assert body["weighted_total"] is None
    assert body["judge_id"] == w.judge.id and body["judge_name"] == w.judge.full_name

    full = _put(client, w.innovation.id, w.judge, {"scores": FULL, "comment": "bagus"})
    assert full.status_code == 200
    assert full.json()["version"] == body["version"] + 1
    assert full.json()["weighted_total"] == pytest.approx(FULL_TOTAL)

    final = _submit(client, w.innovation.id, w.judge)
    assert final.status_code == 200, final.text
    assert final.json()["status"] == "final"
    assert final.json()["submitted_at"] is not None
    assert _actions(session) == ["scoresheet.save", "scoresheet.save", "scoresheet.submit"]
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "scoresheet.save").order_by(AuditEvent.id)
    ).all()[1]
    assert event.before == {"status": "draft", "scores": {"kebaruan": 8}, "comment": "ok"}
    assert event.after == {"status": "draft", "scores": FULL, "comment": "bagus"}
    assert event.actor_id == w.judge.id and event.competition_id == w.competition.id


def test_put_replaces_the_draft_scores(client: TestClient, factory: Factory) -> None:
    w = _world(factory)
    _put(client, w.innovation.id, w.judge, {"scores": {"kebaruan": 8, "efektivitas": 2}})
    again = _put(client, w.innovation.id, w.judge, {"scores": {"efektivitas": 3}})
    assert again.json()["scores"] == {"efektivitas": 3}
    assert again.json()["comment"] == ""


def test_identical_retry_changes_nothing(
    client: TestClient, factory: Factory, session: Session
) -> None:
    w = _world(factory)
    body = {"scores": {"kebaruan": 8, "kemanfaatan": 4}, "comment": "sinyal lemah"}
    first = _put(client, w.innovation.id, w.judge, body)
    before = _state(session)
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=1), tick=False):
        retry = _put(client, w.innovation.id, w.judge, body)
    assert retry.status_code == 200
    assert retry.json() == first.json()  # same updated_at, same version
    assert _state(session) == before  # and no audit event


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({"kebaruan": 11}, "Must be an integer from 1 to 10."),
        ({"kebaruan": 0}, "Must be an integer from 1 to 10."),
        ({"kebaruan": 5.5}, None),
        ({"kebaruan": "7"}, None),
        ({"kebaruan": True}, None),
        ({"kebaruan": None}, None),
    ],
)
def test_bad_scores_are_refused_and_change_nothing(
    client: TestClient,
    factory: Factory,
    session: Session,
    scores: dict[str, Any],
    message: str | None,
) -> None:
    w = _world(factory)
    _put(client, w.innovation.id, w.judge, {"scores": {"efektivitas": 4}})
    before = _state(session)
    response = _put(client, w.innovation.id, w.judge, {"scores": scores})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert errors[0]["field"] == "scores.kebaruan"
    if message:
        assert errors[0]["message"] == message
    assert _state(session) == before


def test_unknown_criterion_is_named(client: TestClient, factory: Factory, session: Session) -> None:
    w = _world(factory)
    before = _state(session)
    response = _put(client, w.innovation.id, w.judge, {"scores": {"kebaruan": 5, "gaya": 5}})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["scores.gaya"]
    assert "Unknown criterion" in errors[0]["message"]
    assert _state(session) == before
    assert _put(client, w.innovation.id, w.judge, {"comment": 5}).status_code == 422
    assert _state(session) == before


def test_submit_lists_missing_criteria(
    client: TestClient, factory: Factory, session: Session
) -> None:
    w = _world(factory)
    nothing = _submit(client, w.innovation.id, w.judge)
    assert nothing.status_code == 422
    assert len(nothing.json()["errors"]) == len(FULL)
    partial = {k: v for k, v in FULL.items() if k != "keberlanjutan"}
    _put(client, w.innovation.id, w.judge, {"scores": partial})
    before = _state(session)
    response = _submit(client, w.innovation.id, w.judge)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "scores.keberlanjutan",
            "pointer": "/scores/keberlanjutan",
            "code": "missing",
            "message": "Missing.",
        }
    ]
    assert "keberlanjutan" in response.json()["detail"]
    assert _state(session) == before


def test_a_final_scoresheet_cannot_change(
    client: TestClient, factory: Factory, session: Session
) -> None:
    w = _world(factory)
    _put(client, w.innovation.id, w.judge, {"scores": FULL})
    assert _submit(client, w.innovation.id, w.judge).status_code == 200
    before = _state(session)
    changed = _put(client, w.innovation.id, w.judge, {"scores": {**FULL, "kebaruan": 1}})
    assert changed.status_code == 409
    assert "reopen" in changed.json()["detail"]
    assert _submit(client, w.innovation.id, w.judge).status_code == 409
    assert _state(session) == before


def test_who_may_score(client: TestClient, factory: Factory, session: Session) -> None:
    w = _world(factory)
    declared = factory.innovation(w.competition, status="eligible")
    factory.add_conflict(declared, w.judge, source="declared")
    submitted = factory.innovation(w.competition, status="submitted")
    body = {"scores": {"kebaruan": 5}}
    before = _state(session)
    iid = w.innovation.id
    url = f"/api/v1/innovations/{iid}/scores/me"
    assert client.put(url, json=body).status_code == 401
    assert client.post(f"{url}/submit").status_code == 401
    for role in (Role.INNOVATOR, Role.AGENCY_ADMIN, Role.ADMIN):
        user = w.innovator if role == Role.INNOVATOR else factory.user(role)
        assert _put(client, iid, user, body).status_code == 403, role
        assert _submit(client, iid, user).status_code == 403, role
    own = _put(client, w.own.id, w.judge, body)
    assert own.status_code == 403
    assert "own agency" in own.json()["detail"]
    assert _submit(client, w.own.id, w.judge).status_code == 403
    conflicted = _put(client, declared.id, w.judge, body)
    assert conflicted.status_code == 403
    assert "declared" in conflicted.json()["detail"]
    assert _put(client, iid, w.outsider, body).status_code == 404
    assert _submit(client, iid, w.outsider).status_code == 404
    assert _put(client, submitted.id, w.judge, body).status_code == 404
    assert _put(client, 999_999, w.judge, body).status_code == 404
    assert _state(session) == before


def test_scoring_only_while_the_presentation_window_is_open(
    client: TestClient, factory: Factory, session: Session
) -> None:
    w = _world(factory)
    window = next(s for s in w.competition.stages if s.key == "presentation")
    body = {"scores": {"kebaruan": 5}}
    before = _state(session)
    with time_machine.travel(window.ends_at, tick=False):
        late = _put(client, w.innovation.id, w.judge, body)
        assert late.status_code == 409
        assert late.json()["type"].endswith("/window-closed")
        assert "WITA" in late.json()["detail"]
        assert _submit(client, w.innovation.id, w.judge).status_code == 409
    with time_machine.travel(window.starts_at - timedelta(seconds=1), tick=False):
        assert _put(client, w.innovation.id, w.judge, body).status_code == 409
    assert _state(session) == before
    with time_machine.travel(window.ends_at - timedelta(seconds=1), tick=False):
        assert _put(client, w.innovation.id, w.judge, body).status_code == 200


def test_scoring_only_in_the_presentation_stage(
    client: TestClient, factory: Factory, session: Session
) -> None:
    for stage in ("administrative", "nomination"):
        w = _world(factory, stage=stage)
        before = _state(session)
        response = _put(client, w.innovation.id, w.judge, {"scores": {"kebaruan": 5}})
        assert response.status_code == 409, stage
        assert response.json()["type"].endswith("/invalid-transition")
        assert _state(session) == before


def _list(client: TestClient, iid: int, user: User | None) -> Any:
    headers = auth_headers(user) if user else {}
    return client.get(f"/api/v1/innovations/{iid}/scores", headers=headers)


def test_who_sees_which_scoresheets(client: TestClient, factory: Factory) -> None:
    w = _world(factory)
    third = factory.user(Role.JUDGE)
    factory.add_panel(w.competition, [third])
    factory.add_scoresheet(w.innovation, w.judge, FULL, status="final")
    factory.add_scoresheet(w.innovation, w.other_judge, FULL, status="final")
    factory.add_scoresheet(w.innovation, third, {"kebaruan": 3}, status="draft")

    admin_view = _list(client, w.innovation.id, w.admin)
    assert admin_view.status_code == 200
    assert admin_view.json()["total"] == 3
    mine = _list(client, w.innovation.id, w.judge).json()
    assert [s["judge_id"] for s in mine["items"]] == [w.judge.id]
    assert mine["items"][0]["weighted_total"] == pytest.approx(FULL_TOTAL)
    assert _list(client, w.innovation.id, w.outsider).status_code == 404
    assert _list(client, w.innovation.id, None).status_code == 401
    other_innovator = factory.user(Role.INNOVATOR)
    for user in (w.innovator, other_innovator, factory.user(Role.AGENCY_ADMIN)):
        assert _list(client, w.innovation.id, user).status_code == 403
    # The judge of the own agency may not read it: 404, not an empty list (issue 10 #1).
    assert _list(client, w.own.id, w.judge).status_code == 404

    w.competition.current_stage = "nomination"
    factory.session.flush()
    panel_view = _list(client, w.innovation.id, w.judge).json()
    # From nomination on: the whole panel's final sheets, never another judge's draft.
    assert {s["judge_id"] for s in panel_view["items"]} == {w.judge.id, w.other_judge.id}
    assert {s["judge_id"] for s in _list(client, w.innovation.id, third).json()["items"]} == {
        w.judge.id,
        w.other_judge.id,
        third.id,
    }
    assert _list(client, w.innovation.id, w.innovator).status_code == 403
    assert _list(client, 999_999, w.admin).status_code == 404


@pytest.mark.parametrize("stage", ["presentation", "nomination", "announcement"])
def test_a_conflicted_judge_never_reads_the_scoresheets(
    client: TestClient, factory: Factory, stage: str
) -> None:
    """Issue 10 finding #1: a judge who may not read an innovation (own agency, or a declared
    conflict) gets 404 for its scoresheets in every stage, exactly as for the innovation."""
    w = _world(factory, stage=stage)
    declared = factory.innovation(w.competition, status="eligible")
    factory.add_conflict(declared, w.judge)
    for innovation in (w.own, declared):
        factory.add_scoresheet(innovation, w.other_judge, FULL, status="final")
        for path in (
            f"/api/v1/innovations/{innovation.id}",
            f"/api/v1/innovations/{innovation.id}/scores",
        ):
            response = client.get(path, headers=auth_headers(w.judge))
            assert response.status_code == 404, (path, response.json())
        # The other judge, not conflicted, still reads them (their own; others' from nomination).
        assert _list(client, innovation.id, w.other_judge).json()["total"] == 1


def _reopen(client: TestClient, w: World, user: User | None, reason: Any = "salah ketik") -> Any:
    headers = auth_headers(user) if user else {}
    return client.post(
        f"/api/v1/innovations/{w.innovation.id}/scores/{w.judge.id}/reopen",
        json={"reason": reason},
        headers=headers,
    )


def test_admin_reopens_a_final_scoresheet(
    client: TestClient, factory: Factory, session: Session
) -> None:
    w = _world(factory)
    _put(client, w.innovation.id, w.judge, {"scores": FULL})
    _submit(client, w.innovation.id, w.judge)
    before = _state(session)
    for reason in ("", "   ", None):
        assert _reopen(client, w, w.admin, reason).status_code == 422
    assert _reopen(client, w, None).status_code == 401
    for user in (w.judge, w.innovator, factory.user(Role.AGENCY_ADMIN)):
        assert _reopen(client, w, user).status_code == 403
    assert _state(session) == before

    reopened = _reopen(client, w, w.admin)
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["status"] == "draft"
    assert reopened.json()["submitted_at"] is None
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "scoresheet.reopen")
    ).one()
    assert event.reason == "salah ketik" and event.actor_id == w.admin.id
    assert event.before is not None and event.before["status"] == "final"
    assert _reopen(client, w, w.admin).status_code == 409  # a draft has nothing to reopen
    fixed = _put(client, w.innovation.id, w.judge, {"scores": {**FULL, "kebaruan": 9}})
    assert fixed.status_code == 200
    assert _submit(client, w.innovation.id, w.judge).status_code == 200


def test_reopen_refusals(client: TestClient, factory: Factory, session: Session) -> None:
    w = _world(factory)
    assert _reopen(client, w, w.admin).status_code == 404  # no scoresheet
    factory.add_scoresheet(w.innovation, w.judge, FULL, status="final")
    w.competition.current_stage = "nomination"
    factory.session.flush()
    before = _state(session)
    response = _reopen(client, w, w.admin)
    assert response.status_code == 409
    assert "Presentation and scoring stage" in response.json()["detail"]
    assert _state(session) == before


def test_scoring_blockers(factory: Factory, session: Session) -> None:
    competition = factory.competition(current_stage="presentation")
    factory.add_default_criteria(competition)
    blockers = stage_blockers.scoring_blockers(session=session, competition=competition)
    assert [(b.code, b.count, b.ids) for b in blockers] == [
        ("panel_empty", 0, []),
        ("nothing_to_score", 0, []),
    ]

    agency = factory.agency()
    judge_a = factory.user(Role.JUDGE, agency=agency)
    judge_b = factory.user(Role.JUDGE)
    factory.add_panel(competition, [judge_a, judge_b])
    first = factory.innovation(competition, agency=agency, status="eligible")  # judge_a conflicted
    second = factory.innovation(competition, status="eligible")
    third = factory.innovation(competition, status="eligible")
    factory.innovation(competition, status="ineligible")
    factory.add_conflict(third, judge_b)
    factory.add_scoresheet(second, judge_a, FULL, status="final")
    factory.add_scoresheet(second, judge_b, FULL, status="draft")
    blockers = stage_blockers.scoring_blockers(session=session, competition=competition)
    assert blockers == [
        Blocker(
            code="scoresheets_missing",
            message=Msg(
                id="3 penugasan belum memiliki lembar nilai final",
                en="3 assignments have no final scoresheet",
            ),
            count=3,
            ids=[first.id, second.id, third.id],
            judges={judge_a.id: 1, judge_b.id: 2},
        )
    ]
    session.execute(
        Scoresheet.__table__.update()
        .where(Scoresheet.judge_id == judge_b.id)
        .values(status="final")
    )
    factory.add_scoresheet(first, judge_b, FULL)
    factory.add_scoresheet(third, judge_a, FULL)
    assert stage_blockers.scoring_blockers(session=session, competition=competition) == []
