"""The TOP N decision: preview, save (with its manifest), read, and who may do what."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event, func, select
from sqlalchemy.orm import Session

from kipp.models import AuditEvent, Innovation, Nomination, Role
from kipp.results import manifest as manifest_service
from kipp.stageflow import blockers as stage_blockers
from tests.api.test_ranking import Judged, judged_competition
from tests.factories import Factory, auth_headers


def _url(judged: Judged, suffix: str = "") -> str:
    return f"/api/v1/competitions/{judged.competition.id}/nomination{suffix}"


def _ids(judged: Judged, *positions: int) -> list[int]:
    return [judged.innovations[p].id for p in positions]


def _statuses(session: Session, judged: Judged) -> list[str]:
    session.expire_all()
    return [session.get(Innovation, i.id).status for i in judged.innovations]  # type: ignore[union-attr]


def _state(session: Session, judged: Judged) -> tuple[Any, ...]:
    session.expire_all()
    return (
        session.scalar(select(func.count()).select_from(Nomination)),
        session.scalar(select(func.count()).select_from(AuditEvent)),
        tuple(_statuses(session, judged)),
    )


def test_preview_in_ranking_order_needs_no_justification_and_saves_nothing(
    client: TestClient, factory: Factory, session: Session
) -> None:
    judged = judged_competition(factory)
    before = _state(session, judged)
    response = client.post(
        _url(judged, "/preview"),
        json={"innovation_ids": _ids(judged, 0, 1, 2), "method": "mean"},
        headers=auth_headers(judged.admin),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["departs_from_ranking"] is False and body["justification_required"] is False
    assert body["computed_top"] == _ids(judged, 0, 1, 2)
    assert [t["change"] for t in body["top"]] == ["same"] * 3
    assert body["moved_up"] == body["moved_down"] == body["added"] == body["dropped"] == []
    assert _state(session, judged) == before


def test_preview_shows_moves_additions_and_drops(client: TestClient, factory: Factory) -> None:
    judged = judged_competition(factory)
    body = client.post(
        _url(judged, "/preview"),
        json={"innovation_ids": _ids(judged, 1, 0, 4), "method": "mean"},
        headers=auth_headers(judged.admin),
    ).json()
    assert body["departs_from_ranking"] is True and body["justification_required"] is True
    assert body["moved_up"] == _ids(judged, 1)
    assert body["moved_down"] == _ids(judged, 0)
    assert body["added"] == _ids(judged, 4)
    assert [d["innovation_id"] for d in body["dropped"]] == _ids(judged, 2)
    assert body["top"][2] | {"title": None} == {
        "position": 3,
        "innovation_id": judged.innovations[4].id,
        "title": None,
        "agency_code": body["top"][2]["agency_code"],
        "computed_rank": 5,
        "computed_position": 5,
        "change": "added",
    }


def test_saving_sets_statuses_freezes_the_manifest_and_logs(
    client: TestClient, factory: Factory, session: Session
) -> None:
    judged = judged_competition(factory, honourable_mentions=1)
    assert stage_blockers.nomination_blockers(session=session, competition=judged.competition)
    headers = auth_headers(judged.admin)
    response = client.post(
        _url(judged),
        json={
            "innovation_ids": _ids(judged, 0, 1, 2),
            "honourable_mention_ids": _ids(judged, 3),
            "method": "mean",
        },
        headers=headers,
    )
    assert response.status_code == 200, response.text
    saved = response.json()
    assert saved["innovation_ids"] == _ids(judged, 0, 1, 2)
    assert saved["honourable_mention_ids"] == _ids(judged, 3)
    assert saved["departs_from_ranking"] is False and saved["decided_by_id"] == judged.admin.id
    assert len(saved["manifest_sha256"]) == 64
    assert _statuses(session, judged) == ["nominated"] * 4 + ["not_nominated"] * 2
    assert client.get(_url(judged), headers=headers).json() == saved
    assert stage_blockers.nomination_blockers(session=session, competition=judged.competition) == []

    nomination = session.scalar(select(Nomination))
    assert nomination is not None
    manifest = nomination.manifest
    assert manifest_service.manifest_sha256(manifest) == saved["manifest_sha256"]
    assert len(manifest["scores"]) == 6 * 3 * 6  # innovations x judges x criteria
    assert manifest["decision"]["innovation_ids"] == _ids(judged, 0, 1, 2)
    assert manifest["parameters"] == {
        "seed": 20211201,
        "bootstrap_samples": 1000,
        "min_judges": 1,
        "top_n": 3,
    }
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.competition_id == judged.competition.id)
    ).all()
    assert actions.count("nomination.save") == 1 and actions.count("innovation.status.bulk") == 1
    # One event carries every status change, before → after by innovation id.
    bulk = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "innovation.status.bulk")
    ).one()
    assert bulk.actor_id == judged.admin.id and bulk.entity_type == "innovation"
    assert bulk.before == {"statuses": {str(i.id): "eligible" for i in judged.innovations}}
    assert bulk.after == {
        "statuses": {
            str(i.id): "nominated" if n < 4 else "not_nominated"
            for n, i in enumerate(judged.innovations)
        }
    }
    assert [i.version for i in judged.innovations] == [2] * 6  # optimistic locks see the change


def test_saving_writes_a_constant_number_of_statements_whatever_the_field_size(
    client: TestClient, factory: Factory, connection: Connection
) -> None:
    """National scale (thousands of innovations) must not mean thousands of audit events."""
    judged = judged_competition(factory, levels=(10, 9, 8, 7, *([4] * 20)), judges=2)
    statements: list[str] = []

    def _count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(" ".join(statement.split()).lower())

    event.listen(connection, "before_cursor_execute", _count)
    try:
        response = client.post(
            _url(judged),
            json={"innovation_ids": _ids(judged, 0, 1, 2), "method": "mean"},
            headers=auth_headers(judged.admin),
        )
    finally:
        event.remove(connection, "before_cursor_execute", _count)
    assert response.status_code == 200, response.text
    assert sum(s.startswith("insert into audit_events") for s in statements) == 2
    assert sum(s.startswith("update innovations") for s in statements) == 2


def test_resaving_replaces_the_decision_and_recomputes_statuses(
    client: TestClient, factory: Factory, session: Session
) -> None:
    judged = judged_competition(factory)
    headers = auth_headers(judged.admin)
    first = client.post(
        _url(judged),
        json={"innovation_ids": _ids(judged, 0, 1, 2), "method": "mean"},
        headers=headers,
    )
    assert first.status_code == 200
    second = client.post(
        _url(judged),
        json={
            "innovation_ids": _ids(judged, 0, 1, 5),
            "method": "zscore",
            "justification": "Sidang memilih inovasi ke-6 karena dampaknya di desa terpencil.",
        },
        headers=headers,
    )
    assert second.status_code == 200, second.text
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["departs_from_ranking"] is True
    assert second.json()["manifest_sha256"] != first.json()["manifest_sha256"]
    assert _statuses(session, judged) == [
        "nominated",
        "nominated",
        "not_nominated",
        "not_nominated",
        "not_nominated",
        "nominated",
    ]
    assert session.scalar(select(func.count()).select_from(Nomination)) == 1
    replaced = session.scalar(select(AuditEvent).where(AuditEvent.action == "nomination.replace"))
    assert replaced is not None and replaced.reason is not None and "desa" in replaced.reason
    # The second save logs only what it changed.
    bulk = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "innovation.status.bulk")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert bulk is not None and bulk.id > replaced.id
    moved_in, moved_out = (str(i) for i in _ids(judged, 5, 2))
    assert bulk.before == {"statuses": {moved_out: "nominated", moved_in: "not_nominated"}}
    assert bulk.after == {"statuses": {moved_out: "not_nominated", moved_in: "nominated"}}


def test_a_departure_needs_a_justification(
    client: TestClient, factory: Factory, session: Session
) -> None:
    judged = judged_competition(factory)
    headers = auth_headers(judged.admin)
    before = _state(session, judged)
    for justification in ("", "   "):
        response = client.post(
            _url(judged),
            json={
                "innovation_ids": _ids(judged, 1, 0, 2),
                "method": "mean",
                "justification": justification,
            },
            headers=headers,
        )
        assert response.status_code == 422
        assert response.json()["errors"] == [
            {
                "field": "justification",
                "pointer": "/justification",
                "code": "justification_required",
                "message": "Required: the order departs from the computed ranking.",
            }
        ]
    assert _state(session, judged) == before


def test_a_tie_at_the_cutoff_must_be_resolved_with_a_justification(
    client: TestClient, factory: Factory, session: Session
) -> None:
    judged = judged_competition(factory, levels=(9, 8, 7, 7, 5))
    headers = auth_headers(judged.admin)
    before = _state(session, judged)
    for choice in ((0, 1, 2), (0, 1, 3)):  # either tied innovation follows the ranking
        preview = client.post(
            _url(judged, "/preview"),
            json={"innovation_ids": _ids(judged, *choice), "method": "mean"},
            headers=headers,
        ).json()
        assert preview["tie_at_cutoff"] is True and preview["departs_from_ranking"] is False
        refused = client.post(
            _url(judged),
            json={"innovation_ids": _ids(judged, *choice), "method": "mean"},
            headers=headers,
        )
        assert refused.status_code == 422
        assert (
            refused.json()["errors"][0]["message"] == "Required: a tie straddles the TOP N cut-off."
        )
    assert _state(session, judged) == before
    saved = client.post(
        _url(judged),
        json={
            "innovation_ids": _ids(judged, 0, 1, 3),
            "method": "mean",
            "justification": "Skor sama; sidang memilih berdasarkan keberlanjutan anggaran.",
        },
        headers=headers,
    )
    assert saved.status_code == 200 and saved.json()["tie_at_cutoff"] is True


def _bad_bodies(
    judged: Judged, other: Innovation, ineligible: Innovation, unranked: Innovation
) -> list[tuple[dict[str, Any], str]]:
    ids = _ids(judged, 0, 1, 2)
    return [
        ({"innovation_ids": ids[:2], "method": "mean"}, "innovation_ids"),
        ({"innovation_ids": [*ids, judged.innovations[3].id], "method": "mean"}, "innovation_ids"),
        ({"innovation_ids": [ids[0], ids[0], ids[1]], "method": "mean"}, "innovation_ids.1"),
        ({"innovation_ids": [ids[0], ids[1], other.id], "method": "mean"}, "innovation_ids.2"),
        ({"innovation_ids": [ids[0], ids[1], ineligible.id], "method": "mean"}, "innovation_ids.2"),
        ({"innovation_ids": [ids[0], ids[1], unranked.id], "method": "mean"}, "innovation_ids.2"),
        ({"innovation_ids": [ids[0], ids[1], 999999], "method": "mean"}, "innovation_ids.2"),
        (
            {"innovation_ids": ids, "honourable_mention_ids": _ids(judged, 3, 4), "method": "mean"},
            "honourable_mention_ids",
        ),
        (
            {"innovation_ids": ids, "honourable_mention_ids": ids[:1], "method": "mean"},
            "honourable_mention_ids.0",
        ),
        ({"innovation_ids": ids}, "method"),
        ({"innovation_ids": ids, "method": "best"}, "method"),
        ({"innovation_ids": [], "method": "mean"}, "innovation_ids"),
        ({"innovation_ids": ["x"], "method": "mean"}, "innovation_ids.0"),
    ]


@pytest.mark.parametrize("suffix", ["", "/preview"])
def test_bad_decisions_are_refused_and_change_nothing(
    client: TestClient, factory: Factory, session: Session, suffix: str
) -> None:
    judged = judged_competition(factory, honourable_mentions=1)
    other = judged_competition(factory).innovations[0]
    ineligible = factory.innovation(judged.competition, status="ineligible")
    unranked = factory.innovation(judged.competition, status="eligible")
    headers = auth_headers(judged.admin)
    before = _state(session, judged)
    for body, field in _bad_bodies(judged, other, ineligible, unranked):
        response = client.post(_url(judged, suffix), json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert field in [e["field"] for e in response.json()["errors"]], (body, response.json())
    assert _state(session, judged) == before


@pytest.mark.parametrize("stage", ["submission", "administrative", "presentation", "announcement"])
def test_decisions_only_in_the_nomination_stage(
    client: TestClient, factory: Factory, session: Session, stage: str
) -> None:
    judged = judged_competition(factory, stage=stage)
    before = _state(session, judged)
    for suffix in ("", "/preview"):
        response = client.post(
            _url(judged, suffix),
            json={"innovation_ids": _ids(judged, 0, 1, 2), "method": "mean"},
            headers=auth_headers(judged.admin),
        )
        assert response.status_code == 409
    assert _state(session, judged) == before


def test_only_admins_decide(client: TestClient, factory: Factory, session: Session) -> None:
    judged = judged_competition(factory)
    body = {"innovation_ids": _ids(judged, 0, 1, 2), "method": "mean"}
    before = _state(session, judged)
    for suffix in ("", "/preview"):
        assert client.post(_url(judged, suffix), json=body).status_code == 401
        for user in (
            judged.judges[0],
            factory.user(Role.INNOVATOR),
            factory.user(Role.AGENCY_ADMIN, agency_id=judged.innovations[0].agency_id),
        ):
            response = client.post(_url(judged, suffix), json=body, headers=auth_headers(user))
            assert response.status_code == 403
    missing = "/api/v1/competitions/999999/nomination"
    assert client.post(missing, json=body, headers=auth_headers(judged.admin)).status_code == 404
    assert _state(session, judged) == before


def test_who_reads_the_saved_decision(client: TestClient, factory: Factory) -> None:
    judged = judged_competition(factory)
    admin = auth_headers(judged.admin)
    assert client.get(_url(judged), headers=admin).status_code == 404  # nothing decided yet
    client.post(
        _url(judged),
        json={"innovation_ids": _ids(judged, 0, 1, 2), "method": "mean"},
        headers=admin,
    )
    assert client.get(_url(judged)).status_code == 401
    assert client.get(_url(judged), headers=admin).status_code == 200
    assert client.get(_url(judged), headers=auth_headers(judged.judges[2])).status_code == 200
    assert (
        client.get(_url(judged), headers=auth_headers(factory.user(Role.JUDGE))).status_code == 404
    )
    for role in (Role.INNOVATOR, Role.AGENCY_ADMIN):
        assert client.get(_url(judged), headers=auth_headers(factory.user(role))).status_code == 403


def test_the_manifest_verifies_and_detects_tampering(
    client: TestClient, factory: Factory, session: Session
) -> None:
    judged = judged_competition(factory)
    url = f"/api/v1/competitions/{judged.competition.id}/results/manifest"
    admin = auth_headers(judged.admin)
    assert client.get(url, headers=admin).status_code == 404  # no decision yet
    client.post(
        _url(judged),
        json={"innovation_ids": _ids(judged, 0, 1, 2), "method": "zscore"},
        headers=admin,
    )

    body = client.get(url, headers=admin).json()
    assert body["verified"] is True
    assert body["checks"] == {
        "sha256_matches": True,
        "ranking_matches": True,
        "not_rechecked": [],
    }
    assert body["manifest"]["method"] == "zscore"
    assert body["sha256"] == manifest_service.manifest_sha256(body["manifest"])
    assert client.get(url, headers=auth_headers(judged.judges[0])).json()["verified"] is True
    for headers in (
        {},
        auth_headers(factory.user(Role.INNOVATOR)),
        auth_headers(factory.user(Role.JUDGE)),
    ):
        assert client.get(url, headers=headers).status_code == 404

    nomination = session.scalar(select(Nomination))
    assert nomination is not None
    tampered = copy.deepcopy(nomination.manifest)
    tampered["scores"][0][3] = 1 if tampered["scores"][0][3] != 1 else 2
    nomination.manifest = tampered
    session.flush()
    body = client.get(url, headers=admin).json()
    assert body["verified"] is False
    assert body["checks"] == {
        "sha256_matches": False,
        "ranking_matches": False,
        "not_rechecked": [],
    }


def test_a_manifest_that_lost_its_shape_is_refused_not_shown(
    client: TestClient, factory: Factory, session: Session
) -> None:
    judged = judged_competition(factory)
    url = f"/api/v1/competitions/{judged.competition.id}/results/manifest"
    admin = auth_headers(judged.admin)
    client.post(
        _url(judged),
        json={"innovation_ids": _ids(judged, 0, 1, 2), "method": "mean"},
        headers=admin,
    )
    nomination = session.scalar(select(Nomination))
    assert nomination is not None
    damaged = copy.deepcopy(nomination.manifest)
    del damaged["rubric"]
    nomination.manifest = damaged
    session.flush()
    response = client.get(url, headers=admin)
    assert response.status_code == 409
    assert "damaged" in response.json()["detail"]


def test_an_unpublished_competitions_decision_is_404_but_for_the_admin(
    client: TestClient, factory: Factory
) -> None:
    judged = judged_competition(factory, published=False)
    admin = auth_headers(judged.admin)
    saved = client.post(
        _url(judged),
        json={"innovation_ids": _ids(judged, 0, 1, 2), "method": "mean"},
        headers=admin,
    )
    assert saved.status_code == 200, saved.text
    for role in (Role.INNOVATOR, Role.AGENCY_ADMIN, Role.JUDGE):
        response = client.get(_url(judged), headers=auth_headers(factory.user(role)))
        assert response.status_code == 404, role
    assert client.get(_url(judged), headers=admin).status_code == 200
