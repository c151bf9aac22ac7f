from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from kipp.audit import service as audit_service
from kipp.models import AuditEvent, Role
from tests.factories import Factory, auth_headers


def _make_events(client: TestClient, headers: dict[str, str]) -> list[int]:
    ids = []
    for code in ("A1", "A2", "A3"):
        ids.append(
            client.post(
                "/api/v1/agencies", json={"code": code, "name": code}, headers=headers
            ).json()["id"]
        )
    return ids


def test_admin_reads_the_log_with_filters(client: TestClient, factory: Factory) -> None:
    client.headers.pop("Accept-Language")  # the app's default: Indonesian
    admin = factory.admin()
    headers = auth_headers(admin)
    ids = _make_events(client, headers)
    log = client.get("/api/v1/audit", params={"entity_type": "agency"}, headers=headers).json()
    assert log["total"] == 3
    first = log["items"][-1]
    assert first["action"] == "agency.create"
    assert first["actor_id"] == admin.id and first["actor_email"] == admin.email
    assert first["actor_name"] == admin.full_name
    assert first["object_label"] == "A1" and first["changes"] == []
    assert first["sentence"] == f"{admin.full_name} menambahkan perangkat daerah A1"
    one = client.get(
        "/api/v1/audit", params={"entity_type": "agency", "entity_id": ids[1]}, headers=headers
    ).json()
    assert one["total"] == 1 and one["items"][0]["object_label"] == "A2"


def test_verify_finds_an_altered_event(
    client: TestClient, factory: Factory, session: Session
) -> None:
    headers = auth_headers(factory.admin())
    _make_events(client, headers)
    assert client.get("/api/v1/audit/verify", headers=headers).json()["ok"] is True
    target = session.scalars(
        select(AuditEvent.id).where(AuditEvent.action == "agency.create").order_by(AuditEvent.id)
    ).first()
    session.execute(
        update(AuditEvent).where(AuditEvent.id == target).values(reason="quietly edited")
    )
    report = client.get("/api/v1/audit/verify", headers=headers).json()
    assert report["ok"] is False
    assert [b["event_id"] for b in report["breaks"]] == [target]


def test_verify_finds_a_removed_event(session: Session, factory: Factory) -> None:
    for n in range(3):
        audit_service.record(
            session=session, actor=None, action="test.event", entity_type="test", entity_id=n
        )
    middle = (
        session.execute(text("SELECT id FROM audit_events WHERE action = 'test.event' ORDER BY id"))
        .scalars()
        .all()[1]
    )
    session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": middle})
    report = audit_service.verify_chain(session=session)
    assert not report.ok
    assert report.breaks[0].event_id > middle


def test_audit_is_admin_only(client: TestClient, factory: Factory) -> None:
    assert client.get("/api/v1/audit").status_code == 401
    assert client.get("/api/v1/audit/verify").status_code == 401
    for role in (Role.INNOVATOR, Role.AGENCY_ADMIN, Role.JUDGE):
        headers = auth_headers(factory.user(role))
        assert client.get("/api/v1/audit", headers=headers).status_code == 403
        assert client.get("/api/v1/audit/verify", headers=headers).status_code == 403


def _verify(client: TestClient, headers: dict[str, str], **params: str) -> dict[str, Any]:
    response = client.get("/api/v1/audit/verify", params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_verify_reports_the_head_and_an_anchor_catches_removed_newest_events(
    client: TestClient, factory: Factory, session: Session
) -> None:
    headers = auth_headers(factory.admin())
    _make_events(client, headers)
    report = _verify(client, headers)
    newest = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert newest is not None
    count = session.scalar(select(func.count()).select_from(AuditEvent))
    assert report["head"] == {"id": newest.id, "hash": newest.hash, "count": count}
    assert report["anchor"] is None
    head = report["head"]

    # Later events do not disturb the anchor: it is still where it was.
    added = client.post("/api/v1/agencies", json={"code": "A4", "name": "A4"}, headers=headers)
    assert added.status_code == 201
    later = _verify(client, headers, anchor=head["hash"].upper())
    assert later["ok"] is True and later["head"]["count"] == count + 1
    assert later["anchor"] == {
        "hash": head["hash"],
        "found": True,
        "event_id": head["id"],
        "position": count,
    }

    # Removing the newest events leaves an intact, shorter chain: only the anchor shows it.
    session.execute(delete(AuditEvent).where(AuditEvent.id >= head["id"]))
    unanchored = _verify(client, headers)
    assert unanchored["ok"] is True and unanchored["head"]["count"] == count - 1
    anchored = _verify(client, headers, anchor=head["hash"])
    assert anchored["ok"] is False and anchored["breaks"] == []
    assert anchored["anchor"] == {
        "hash": head["hash"],
        "found": False,
        "event_id": None,
        "position": None,
    }


def test_an_anchor_fails_when_events_up_to_it_were_removed(
    client: TestClient, factory: Factory, session: Session
) -> None:
    headers = auth_headers(factory.admin())
    _make_events(client, headers)
    head = _verify(client, headers)["head"]
    first = session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).first()
    session.execute(delete(AuditEvent).where(AuditEvent.id == first))
    report = _verify(client, headers, anchor=head["hash"])
    assert report["ok"] is False and report["anchor"]["found"] is True
    assert report["breaks"][0]["event_id"] > first


def test_a_malformed_anchor_is_a_validation_error(client: TestClient, factory: Factory) -> None:
    headers = auth_headers(factory.admin())
    response = client.get("/api/v1/audit/verify", params={"anchor": "abc"}, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "anchor"


# --------------------------------------------------------------------------- readable log


def test_an_advance_reads_as_a_sentence_with_names_and_only_the_changes(
    client: TestClient, factory: Factory
) -> None:
    client.headers.pop("Accept-Language")  # the app's default: Indonesian
    admin = factory.admin(full_name="Tim Pelaksana")
    competition = factory.competition(name="KIPP Kabupaten Luwu Utara 2021")
    factory.innovation(competition)
    headers = auth_headers(admin)
    patched = client.patch(
        f"/api/v1/competitions/{competition.id}", json={"top_n": 5}, headers=headers
    )
    assert patched.status_code == 200, patched.text
    moved = client.post(f"/api/v1/competitions/{competition.id}/advance", headers=headers)
    assert moved.status_code == 200, moved.text
    log = client.get(
        "/api/v1/audit", params={"competition_id": competition.id}, headers=headers
    ).json()
    advance, update = log["items"][0], log["items"][1]
    assert advance["sentence"] == (
        "Tim Pelaksana memindahkan KIPP Kabupaten Luwu Utara 2021 ke tahap Seleksi administrasi"
    )
    labels = {c["label"]: (c["before"], c["after"]) for c in advance["changes"]}
    assert labels["Tahap"] == ("Pengajuan", "Seleksi administrasi")
    assert "Jadwal Seleksi administrasi: mulai" in labels
    assert update["changes"] == [
        {"field": "top_n", "label": "Jumlah TOP N", "before": "7", "after": "5"}
    ]
    english = client.get(
        "/api/v1/audit",
        params={"competition_id": competition.id, "limit": 1},
        headers={**headers, "Accept-Language": "en"},
    ).json()
    assert english["total"] == 2 and len(english["items"]) == 1
    assert english["items"][0]["sentence"] == (
        "Tim Pelaksana moved KIPP Kabupaten Luwu Utara 2021 to the Administrative selection stage"
    )


def test_filters_by_actor_action_and_time(client: TestClient, factory: Factory) -> None:
    first, second = factory.admin(), factory.admin()
    _make_events(client, auth_headers(first))
    client.post("/api/v1/agencies", json={"code": "B1", "name": "B1"}, headers=auth_headers(second))
    headers = auth_headers(first)
    by_actor = client.get("/api/v1/audit", params={"actor_id": second.id}, headers=headers).json()
    assert [e["object_label"] for e in by_actor["items"]] == ["B1"]
    by_action = client.get(
        "/api/v1/audit",
        params={"action": "agency.create", "limit": 2, "offset": 1},
        headers=headers,
    ).json()
    assert by_action["total"] >= 4 and len(by_action["items"]) == 2
    newest = by_actor["items"][0]["created_at"]
    since = client.get("/api/v1/audit", params={"from": newest}, headers=headers).json()
    assert [e["object_label"] for e in since["items"]] == ["B1"]
    until = client.get(
        "/api/v1/audit", params={"to": newest, "action": "agency.create"}, headers=headers
    ).json()
    assert "B1" not in [e["object_label"] for e in until["items"]]
    empty = client.get("/api/v1/audit", params={"from": newest, "to": newest}, headers=headers)
    assert empty.status_code == 422
    assert empty.headers["content-type"] == "application/problem+json"
    naive = client.get("/api/v1/audit", params={"from": "2021-10-01T00:00:00"}, headers=headers)
    assert naive.status_code == 422
    for url in ("/api/v1/audit", "/api/v1/audit.csv"):  # refused before anything streams
        for bound in ({"from": "0001-01-01T00:00:00+14:00"}, {"to": "9999-12-31T23:59:59-14:00"}):
            out_of_range = client.get(url, params=bound, headers=headers)
            assert out_of_range.status_code == 422, out_of_range.text


def test_the_log_downloads_as_csv(client: TestClient, factory: Factory) -> None:
    client.headers.pop("Accept-Language")  # the app's default: Indonesian
    admin = factory.admin(full_name="Tim Pelaksana")
    headers = auth_headers(admin)
    _make_events(client, headers)
    formula = client.post(
        "/api/v1/agencies", json={"code": "X1", "name": "=HYPERLINK()"}, headers=headers
    )
    assert formula.status_code == 201, formula.text
    response = client.get("/api/v1/audit.csv", params={"entity_type": "agency"}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("waktu (UTC),pelaku,aksi,objek,kalimat")
    assert len(lines) == 1 + 4
    assert "Tim Pelaksana menambahkan perangkat daerah A3" in response.text
    assert "'=HYPERLINK()" in lines[1]  # defused: a spreadsheet shows it as text
    english = client.get(
        "/api/v1/audit.csv", headers={**headers, "Accept-Language": "en"}
    ).content.decode("utf-8-sig")
    assert english.startswith("time (UTC),actor,action")
    assert client.get("/api/v1/audit.csv").status_code == 401
    refused = client.get("/api/v1/audit.csv", headers=auth_headers(factory.user(Role.JUDGE)))
    assert refused.status_code == 403
