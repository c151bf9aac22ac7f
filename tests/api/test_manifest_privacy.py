"""The results manifest given to the panel's judges names who decided, never their e-mail
(issue 10, #8). Manifests saved before that still hold the admin's e-mail: anyone but an admin
is shown them without it, and the hash check stays the one of the stored manifest."""

from __future__ import annotations

import copy

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp.models import Nomination
from kipp.results import manifest as manifest_service
from tests.api.test_ranking import Judged, judged_competition
from tests.factories import Factory, auth_headers


def _decide(client: TestClient, judged: Judged) -> str:
    url = f"/api/v1/competitions/{judged.competition.id}"
    saved = client.post(
        f"{url}/nomination",
        json={"innovation_ids": [i.id for i in judged.innovations[:3]], "method": "mean"},
        headers=auth_headers(judged.admin),
    )
    assert saved.status_code == 200, saved.text
    return f"{url}/results/manifest"


def test_a_new_manifest_names_the_decider_without_an_email(
    client: TestClient, factory: Factory, session: Session
) -> None:
    judged = judged_competition(factory)
    url = _decide(client, judged)
    stored = session.scalar(select(Nomination))
    assert stored is not None
    assert stored.manifest["decision"]["decided_by"] == {
        "id": judged.admin.id,
        "full_name": judged.admin.full_name,
    }
    for reader in (judged.judges[0], judged.admin):
        response = client.get(url, headers=auth_headers(reader))
        assert response.status_code == 200
        assert judged.admin.email not in response.text
        body = response.json()
        assert body["verified"] is True and body["redacted"] == []
        assert body["sha256"] == manifest_service.manifest_sha256(body["manifest"])


def test_an_older_manifest_keeps_the_email_from_judges_and_still_verifies(
    client: TestClient, factory: Factory, session: Session
) -> None:
    judged = judged_competition(factory)
    url = _decide(client, judged)
    # A manifest as saved before names-only: the decider by e-mail, hashed with it.
    nomination = session.scalar(select(Nomination))
    assert nomination is not None
    older = copy.deepcopy(nomination.manifest)
    older["decision"]["decided_by"] = {"id": judged.admin.id, "email": judged.admin.email}
    nomination.manifest = older
    nomination.manifest_sha256 = manifest_service.manifest_sha256(older)
    session.flush()

    judge = client.get(url, headers=auth_headers(judged.judges[0]))
    assert judge.status_code == 200
    assert judged.admin.email not in judge.text
    body = judge.json()
    assert body["manifest"]["decision"]["decided_by"] == {"id": judged.admin.id}
    assert body["redacted"] == ["decision.decided_by.email"]
    # The checks are of the stored manifest (which the judge cannot rehash: it is redacted).
    assert body["verified"] is True and body["sha256"] == nomination.manifest_sha256
    assert nomination.manifest["decision"]["decided_by"]["email"] == judged.admin.email

    admin = client.get(url, headers=auth_headers(judged.admin)).json()
    assert admin["redacted"] == [] and admin["verified"] is True
    assert admin["manifest"]["decision"]["decided_by"] == older["decision"]["decided_by"]
    assert admin["sha256"] == manifest_service.manifest_sha256(admin["manifest"])


def test_redaction_copies_only_what_it_changes() -> None:
    stored = {
        "scores": [[1, 2, "a", 5]],
        "decision": {"decided_by": {"id": 1, "email": "tim@example.com"}, "method": "mean"},
    }
    shown, redacted = manifest_service.without_admin_only_keys(stored)
    assert redacted == ["decision.decided_by.email"]
    assert shown["decision"] == {"decided_by": {"id": 1}, "method": "mean"}
    assert stored["decision"]["decided_by"]["email"] == "tim@example.com"
    assert shown["scores"] is stored["scores"]
    assert manifest_service.without_admin_only_keys({"decision": "damaged"}) == (
        {"decision": "damaged"},
        [],
    )
