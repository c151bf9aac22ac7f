"""Announcement: public results, objections (uji publik), finalising; score and ranking exports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp.models import AuditEvent, Competition, Innovation, Nomination, Objection, Role
from tests.api.test_ranking import Judged, judged_competition
from tests.factories import Factory, auth_headers

OBJECTION_TEXT = "Inovasi ini belum berjalan di lapangan sejak awal tahun."


def _cid(judged: Judged) -> str:
    return f"/api/v1/competitions/{judged.competition.id}"


def _nominate(client: TestClient, judged: Judged) -> None:
    response = client.post(
        f"{_cid(judged)}/nomination",
        json={
            "innovation_ids": [i.id for i in judged.innovations[:3]],
            "honourable_mention_ids": [judged.innovations[3].id],
            "method": "mean",
        },
        headers=auth_headers(judged.admin),
    )
    assert response.status_code == 200, response.text


def _announced(client: TestClient, factory: Factory, **fields: object) -> Judged:
    """Nominated, then advanced to announcement through the API (announced_at = now)."""
    judged = judged_competition(factory, honourable_mentions=1, **fields)
    _nominate(client, judged)
    advanced = client.post(f"{_cid(judged)}/advance", headers=auth_headers(judged.admin))
    assert advanced.status_code == 200, advanced.text
    factory.session.expire_all()
    return judged


def _objection(judged: Judged, **changes: object) -> dict[str, object]:
    return {
        "innovation_id": judged.innovations[0].id,
        "name": "Warga Masamba",
        "email": "warga@example.com",
        "text": OBJECTION_TEXT,
        **changes,
    }


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Objection)) or 0


def _announced_at(session: Session, judged: Judged) -> object:
    competition = session.get(Competition, judged.competition.id)
    assert competition is not None and competition.announced_at is not None
    return competition.announced_at


@pytest.mark.parametrize("stage", ["submission", "administrative", "presentation", "nomination"])
def test_nothing_leaks_before_the_announcement(
    client: TestClient, factory: Factory, stage: str
) -> None:
    judged = judged_competition(factory, stage=stage, honourable_mentions=1)
    if stage == "nomination":
        _nominate(client, judged)
    for headers in ({}, auth_headers(judged.admin), auth_headers(judged.judges[0])):
        assert client.get(f"{_cid(judged)}/results", headers=headers).status_code == 404
    assert client.post(f"{_cid(judged)}/objections", json=_objection(judged)).status_code == 404
    for headers in ({}, auth_headers(factory.user(Role.INNOVATOR))):
        assert client.get(f"{_cid(judged)}/results/manifest", headers=headers).status_code == 404


def test_the_announcement_waits_for_a_decision(client: TestClient, factory: Factory) -> None:
    judged = judged_competition(factory)
    refused = client.post(f"{_cid(judged)}/advance", headers=auth_headers(judged.admin))
    assert refused.status_code == 409
    assert [b["code"] for b in refused.json()["blockers"]] == ["nomination_missing"]


def test_the_public_reads_the_announced_results(
    client: TestClient, factory: Factory, session: Session
) -> None:
    judged = _announced(client, factory)
    response = client.get(f"{_cid(judged)}/results")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["final"] is False and body["finalised_at"] is None
    assert [(t["rank"], t["innovation_id"]) for t in body["top"]] == [
        (1, judged.innovations[0].id),
        (2, judged.innovations[1].id),
        (3, judged.innovations[2].id),
    ]
    assert body["top"][0]["title"] == judged.innovations[0].title
    assert [h["innovation_id"] for h in body["honourable_mentions"]] == [judged.innovations[3].id]
    period = body["objection_period"]
    assert period["open"] is True
    assert period["starts_at"] == body["announced_at"]
    announced_at = _announced_at(session, judged)
    assert period["ends_at"].startswith(
        (announced_at + timedelta(days=5)).isoformat()[:19]  # type: ignore[operator]
    )
    # The public gets the manifest's hash, never the judges' scores inside it.
    stored = session.scalar(
        select(Nomination.manifest_sha256).where(Nomination.competition_id == judged.competition.id)
    )
    assert body["manifest_sha256"] == stored
    assert client.get(f"{_cid(judged)}/results/manifest").status_code == 404
    innovator = auth_headers(factory.user(Role.INNOVATOR))
    assert client.get(f"{_cid(judged)}/results/manifest", headers=innovator).status_code == 404


def test_unpublished_competitions_have_no_public_results(
    client: TestClient, factory: Factory
) -> None:
    judged = _announced(client, factory, published=False)
    assert client.get(f"{_cid(judged)}/results").status_code == 404
    assert client.post(f"{_cid(judged)}/objections", json=_objection(judged)).status_code == 404


def test_anyone_files_an_objection_and_the_admin_reads_it(
    client: TestClient, factory: Factory, session: Session
) -> None:
    judged = _announced(client, factory)
    response = client.post(f"{_cid(judged)}/objections", json=_objection(judged))
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert (
        receipt["innovation_id"] == judged.innovations[0].id and receipt["name"] == "Warga Masamba"
    )
    not_nominated = judged.innovations[5].id  # eligible, not in the results: still allowed
    assert (
        client.post(
            f"{_cid(judged)}/objections", json=_objection(judged, innovation_id=not_nominated)
        ).status_code
        == 201
    )
    listed = client.get(f"{_cid(judged)}/objections", headers=auth_headers(judged.admin)).json()
    assert listed["total"] == 2
    assert listed["items"][0] | {"created_at": None} == {
        "id": receipt["id"],
        "innovation_id": judged.innovations[0].id,
        "name": "Warga Masamba",
        "email": "warga@example.com",
        "text": OBJECTION_TEXT,
        "client_address": "testclient",
        "answer": None,
        "answered_at": None,
        "created_at": None,
    }
    assert (
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "objection.file")
        )
        == 2
    )


def test_who_reads_objections(client: TestClient, factory: Factory) -> None:
    judged = _announced(client, factory)
    url = f"{_cid(judged)}/objections"
    assert client.get(url).status_code == 401
    for role in (Role.JUDGE, Role.INNOVATOR, Role.AGENCY_ADMIN):
        assert client.get(url, headers=auth_headers(factory.user(role))).status_code == 403


def test_bad_objections_change_nothing(
    client: TestClient, factory: Factory, session: Session
) -> None:
    judged = _announced(client, factory)
    other = judged_competition(factory).innovations[0]
    ineligible = factory.innovation(judged.competition, status="ineligible")
    before = _count(session)
    bad = [
        (_objection(judged, email="not-an-email"), "email"),
        (_objection(judged, text="terlalu pendek"), "text"),
        (_objection(judged, text=" " * 30), "text"),
        (_objection(judged, text="x" * 5001), "text"),
        (_objection(judged, name=""), "name"),
        (_objection(judged, innovation_id=other.id), "innovation_id"),
        (_objection(judged, innovation_id=ineligible.id), "innovation_id"),
        (_objection(judged, innovation_id=999999), "innovation_id"),
        ({"name": "Warga", "email": "warga@example.com", "text": OBJECTION_TEXT}, "innovation_id"),
    ]
    for body, field in bad:
        response = client.post(f"{_cid(judged)}/objections", json=body)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["field"] == field
    assert _count(session) == before


def test_objections_are_rate_limited_per_address(
    client: TestClient, factory: Factory, session: Session
) -> None:
    judged = _announced(client, factory)
    url = f"{_cid(judged)}/objections"
    for _ in range(5):
        assert client.post(url, json=_objection(judged)).status_code == 201
    refused = client.post(url, json=_objection(judged))
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 3601
    assert _count(session) == 5
    with time_machine.travel(timedelta(hours=1, minutes=1)):
        assert client.post(url, json=_objection(judged)).status_code == 201


def test_objections_only_while_the_period_is_open(
    client: TestClient, factory: Factory, session: Session
) -> None:
    judged = _announced(client, factory)
    with time_machine.travel(timedelta(days=5, minutes=1)):
        response = client.post(f"{_cid(judged)}/objections", json=_objection(judged))
        assert response.status_code == 409
        assert client.get(f"{_cid(judged)}/results").json()["objection_period"]["open"] is False
    assert _count(session) == 0


def test_finalising_after_the_period_makes_the_top_n_winners(
    client: TestClient, factory: Factory, session: Session
) -> None:
    judged = _announced(client, factory)
    url = f"{_cid(judged)}/finalise"
    admin = auth_headers(judged.admin)
    early = client.post(url, headers=admin)
    assert early.status_code == 409
    assert client.get(f"{_cid(judged)}/results").json()["final"] is False

    with time_machine.travel(timedelta(days=5, minutes=1)):
        assert client.post(url).status_code == 401
        for role in (Role.JUDGE, Role.INNOVATOR, Role.AGENCY_ADMIN):
            assert client.post(url, headers=auth_headers(factory.user(role))).status_code == 403
        admin = auth_headers(judged.admin)  # a token minted in the moved time
        response = client.post(url, headers=admin)
        assert response.status_code == 200, response.text
        assert response.json()["final"] is True and response.json()["finalised_at"]
        assert client.post(url, headers=admin).status_code == 409
        assert client.get(f"{_cid(judged)}/results").json()["final"] is True
    session.expire_all()
    statuses = [session.get(Innovation, i.id).status for i in judged.innovations]  # type: ignore[union-attr]
    assert statuses == ["winner"] * 3 + ["nominated"] + ["not_nominated"] * 2
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.competition_id == judged.competition.id)
    ).all()
    assert "competition.finalise" in actions and actions.count("innovation.win") == 3


def test_finalising_before_the_announcement_is_refused(
    client: TestClient, factory: Factory
) -> None:
    judged = judged_competition(factory)
    response = client.post(f"{_cid(judged)}/finalise", headers=auth_headers(judged.admin))
    assert response.status_code == 409


def test_scores_and_ranking_export(client: TestClient, factory: Factory) -> None:
    client.headers.pop("Accept-Language")  # no language named: Indonesian
    judged = judged_competition(factory)
    draft = factory.innovation(judged.competition, status="eligible")
    factory.add_scoresheet(draft, judged.judges[0], 4, status="draft")
    admin = auth_headers(judged.admin)

    scores = client.get(f"{_cid(judged)}/exports/scores.csv", headers=admin)
    assert scores.status_code == 200, scores.text
    rows = list(csv.DictReader(io.StringIO(scores.content.decode("utf-8-sig"))))
    assert len(rows) == (6 * 3 + 1) * 6
    first = rows[0]
    assert first["innovation_id"] == str(judged.innovations[0].id)
    assert first["criterion_key"] == "kebaruan" and first["weight"] == "25.0"
    assert first["score"] == "9" and first["sheet_status"] == "final"
    assert first["judge_name"] == "Juri 1" and first["submitted_at"].endswith("+08:00")
    assert {r["sheet_status"] for r in rows if r["innovation_id"] == str(draft.id)} == {"draft"}

    ranking = client.get(f"{_cid(judged)}/exports/ranking.csv", headers=admin)
    assert ranking.status_code == 200
    explanation, table = ranking.content.decode("utf-8-sig").split("\r\n", 1)
    assert explanation.startswith('"# ') and "rata-rata biasa" in explanation  # the method's
    ranked = list(csv.DictReader(io.StringIO(table)))
    assert [r["innovation_id"] for r in ranked] == [str(i.id) for i in judged.innovations] + [
        str(draft.id)
    ]
    assert ranked[0]["rank"] == "1" and ranked[0]["in_top"] == "true"
    assert ranked[-1]["rank"] == "" and "criterion_kebaruan" in ranked[0]

    for name in ("scores", "ranking"):
        xlsx = client.get(f"{_cid(judged)}/exports/{name}.xlsx", headers=admin)
        assert xlsx.status_code == 200
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        assert sheet is not None and sheet.max_row > 1
        assert client.get(f"{_cid(judged)}/exports/{name}.csv").status_code == 401
        judge = auth_headers(judged.judges[0])
        assert client.get(f"{_cid(judged)}/exports/{name}.csv", headers=judge).status_code == 403


def _ranking_export(client: TestClient, url: str, headers: dict[str, str]) -> list[dict[str, str]]:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    _, table = response.content.decode("utf-8-sig").split("\r\n", 1)
    return list(csv.DictReader(io.StringIO(table)))


def test_the_ranking_export_carries_the_chosen_method(
    client: TestClient, factory: Factory, session: Session
) -> None:
    client.headers.pop("Accept-Language")  # no language named: Indonesian
    judged = judged_competition(factory, aggregation_method="median")
    admin = auth_headers(judged.admin)
    url = f"{_cid(judged)}/exports/ranking.csv"
    assert {r["method"] for r in _ranking_export(client, url, admin)} == {"median"}
    zscore = _ranking_export(client, f"{url}?method=zscore", admin)
    assert {r["method"] for r in zscore} == {"zscore"}
    assert zscore[0]["score"] != zscore[0]["raw_score"]  # z values, not points
    english = client.get(url, headers={**admin, "Accept-Language": "en"})
    assert english.text.lstrip("\ufeff").startswith('"# Each judge')
    assert client.get(f"{url}?method=max", headers=admin).status_code == 422

    top = [i.id for i in judged.innovations[:3]]
    saved = client.post(
        f"{_cid(judged)}/nomination",
        json={"innovation_ids": top, "method": "judge_effects"},
        headers=admin,
    )
    assert saved.status_code == 200, saved.text
    # Saved: the decision's method is the default now.
    assert {r["method"] for r in _ranking_export(client, url, admin)} == {"judge_effects"}

    xlsx = client.get(f"{_cid(judged)}/exports/ranking.xlsx?method=mean", headers=admin)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert "rata-rata biasa" in str(sheet["A1"].value)  # the explanation first
    assert sheet["A2"].value == "rank" and sheet["A2"].font.b and sheet.freeze_panes == "A3"
    assert sheet["E3"].value == "mean"


def test_the_scores_export_streams_in_batches(client: TestClient, factory: Factory) -> None:
    judged = judged_competition(factory, levels=tuple(range(10, 0, -1)) * 80, judges=3)
    admin = auth_headers(judged.admin)
    chunks = 0
    with client.stream("GET", f"{_cid(judged)}/exports/scores.csv", headers=admin) as response:
        assert response.status_code == 200
        lines = 0
        for chunk in response.iter_bytes():
            chunks += 1
            lines += chunk.count(b"\r\n")
    assert lines == 1 + 800 * 3 * 6
    assert chunks > 1  # 14,400 rows go out a batch at a time, not as one body
