"""Organisations on one deployment: the platform admin's list of them, their organisers doing the
admin's work inside their own organisation, and nothing of one visible to another's users."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp.models import Agency, AuditEvent, Competition, Organisation, Role, User
from kipp.organisations.service import default_id
from tests.api.test_competitions import minimal_body
from tests.factories import Factory, auth_headers

URL = "/api/v1/organisations"


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


# --------------------------------------------------------------------------- the list


def test_the_platform_admin_creates_an_organisation_and_its_first_organiser(
    client: TestClient, factory: Factory, session: Session
) -> None:
    admin = auth_headers(factory.admin())
    created = client.post(
        URL,
        json={
            "slug": "sulsel",
            "name": "Pemerintah Provinsi Sulawesi Selatan",
            "level": "provinsi",
            "region": "Provinsi Sulawesi Selatan",
        },
        headers=admin,
    )
    assert created.status_code == 201, created.text
    organisation = created.json()
    assert organisation["slug"] == "sulsel" and organisation["level"] == "provinsi"

    organiser = client.post(
        "/api/v1/users",
        json={
            "email": "panitia@sulselprov.go.id",
            "full_name": "Panitia Provinsi",
            "role": "organiser",
            "organisation_id": organisation["id"],
            "password": "a-long-enough-password",
        },
        headers=admin,
    )
    assert organiser.status_code == 201, organiser.text
    assert organiser.json()["organisation_id"] == organisation["id"]
    user = session.get(User, organiser.json()["id"])
    assert user is not None and user.role == "organiser"

    me = client.get("/api/v1/me", headers=auth_headers(user)).json()
    assert me["organisation_id"] == organisation["id"]
    assert me["organisation"]["name"] == "Pemerintah Provinsi Sulawesi Selatan"

    renamed = client.patch(
        f"{URL}/{organisation['id']}", json={"region": "Sulawesi Selatan"}, headers=admin
    )
    assert renamed.status_code == 200 and renamed.json()["region"] == "Sulawesi Selatan"
    log = client.get("/api/v1/audit", params={"entity_type": "organisation"}, headers=admin).json()
    assert [e["action"] for e in log["items"]] == ["organisation.update", "organisation.create"]
    assert log["items"][1]["sentence"].endswith(
        "added the organisation Pemerintah Provinsi Sulawesi Selatan"
    )


def test_a_slug_is_unique_and_a_bad_one_changes_nothing(
    client: TestClient, factory: Factory, session: Session
) -> None:
    admin = auth_headers(factory.admin())
    factory.organisation(slug="taken")
    before = _count(session, Organisation)
    body = {"slug": "taken", "name": "Another", "level": "kota"}
    assert client.post(URL, json=body, headers=admin).status_code == 409
    bad = client.post(URL, json={**body, "slug": "Not A Slug"}, headers=admin)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "slug"
    assert (
        client.post(URL, json={**body, "slug": "x", "level": "desa"}, headers=admin).status_code
        == 422
    )
    assert _count(session, Organisation) == before


def test_only_the_platform_admin_makes_or_changes_organisations(
    client: TestClient, factory: Factory, session: Session
) -> None:
    default = default_id(session)
    for role in (Role.ORGANISER, Role.AGENCY_ADMIN, Role.JUDGE, Role.INNOVATOR):
        headers = auth_headers(factory.user(role))
        body = {"slug": f"by-{role.value}".replace("_", "-"), "name": "X", "level": "kota"}
        assert client.post(URL, json=body, headers=headers).status_code == 403
        assert (
            client.patch(f"{URL}/{default}", json={"name": "X"}, headers=headers).status_code == 403
        )


def test_people_read_their_own_organisation_only(
    client: TestClient, factory: Factory, session: Session
) -> None:
    other = factory.organisation(name="Kota Palopo", level="kota")
    mine = factory.user(Role.INNOVATOR)
    headers = auth_headers(mine)
    listed = client.get(URL, headers=headers).json()
    assert [o["id"] for o in listed["items"]] == [default_id(session)]
    assert client.get(f"{URL}/{default_id(session)}", headers=headers).status_code == 200
    assert client.get(f"{URL}/{other.id}", headers=headers).status_code == 404
    everyone = client.get(URL, headers=auth_headers(factory.admin())).json()
    assert other.id in [o["id"] for o in everyone["items"]]


def test_the_public_lists_organisations_and_filters_competitions_by_them(
    client: TestClient, factory: Factory
) -> None:
    province = factory.organisation(slug="sulsel-pub", name="Provinsi Sulsel", level="provinsi")
    ours = factory.competition(name="KIPP Kabupaten")
    theirs = factory.competition(
        name="KIPP Provinsi", organisation_id=province.id, level="provinsi"
    )
    factory.competition(name="Hidden", organisation_id=province.id, published=False)
    listed = client.get("/api/v1/public/organisations", params={"level": "provinsi"}).json()
    assert "sulsel-pub" in [o["slug"] for o in listed["items"]]
    assert all(o["level"] == "provinsi" for o in listed["items"])

    def names(**params: str) -> list[str]:
        found = client.get("/api/v1/competitions", params={"limit": 100, **params})
        assert found.status_code == 200, found.text
        return [c["name"] for c in found.json()["items"]]

    assert names(organisation="sulsel-pub") == ["KIPP Provinsi"]
    assert names(organisation=str(province.id)) == ["KIPP Provinsi"]
    assert names(organisation="nobody") == []
    assert "KIPP Provinsi" not in names(level="kabupaten")
    assert ours.name in names(level="kabupaten") and theirs.name in names()


# --------------------------------------------------------------------------- organisers


def test_an_organiser_runs_a_competition_in_its_own_organisation(
    client: TestClient, factory: Factory, session: Session
) -> None:
    province = factory.organisation(slug="prov-run", level="provinsi")
    organiser = factory.organiser(organisation_id=province.id)
    headers = auth_headers(organiser)

    agency = client.post(
        "/api/v1/agencies", json={"code": "DINKES", "name": "Dinkes"}, headers=headers
    )
    assert agency.status_code == 201, agency.text
    assert agency.json()["organisation_id"] == province.id
    # Codes are unique per organisation: the default organisation may have DINKES too.
    factory.agency(code="DINKES")

    judge = client.post(
        "/api/v1/users",
        json={
            "email": "juri@prov.example",
            "full_name": "Juri Provinsi",
            "role": "judge",
            "agency_id": agency.json()["id"],
            "password": "a-long-enough-password",
        },
        headers=headers,
    )
    assert judge.status_code == 201, judge.text
    assert judge.json()["organisation_id"] == province.id

    created = client.post(
        "/api/v1/competitions", json=minimal_body(level="provinsi"), headers=headers
    )
    assert created.status_code == 201, created.text
    competition = created.json()
    assert competition["organisation_id"] == province.id and not competition["published"]
    cid = competition["id"]

    outsider_judge = factory.user(Role.JUDGE)  # of the default organisation
    refused = client.put(
        f"/api/v1/competitions/{cid}/judges",
        json={"user_ids": [judge.json()["id"], outsider_judge.id]},
        headers=headers,
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "user_ids.1"
    panel = client.put(
        f"/api/v1/competitions/{cid}/judges",
        json={"user_ids": [judge.json()["id"]]},
        headers=headers,
    )
    assert panel.status_code == 200, panel.text

    listed = client.get("/api/v1/competitions", params={"limit": 100}, headers=headers).json()
    assert cid in [c["id"] for c in listed["items"]]  # its own unpublished competition
    assert client.get(f"/api/v1/competitions/{cid}/ranking", headers=headers).status_code == 200
    assert client.get(f"/api/v1/competitions/{cid}/criteria", headers=headers).status_code == 200
    stored = session.get(Competition, cid)
    assert stored is not None and stored.organisation_id == province.id


def test_an_organiser_advances_its_competition_and_reads_its_ranking(
    client: TestClient, factory: Factory
) -> None:
    organiser = factory.organiser()
    competition = factory.competition(current_stage="presentation")
    factory.add_default_criteria(competition)
    judge = factory.user(Role.JUDGE)
    factory.add_panel(competition, [judge])
    innovation = factory.innovation(competition, status="eligible")
    factory.add_scoresheet(innovation, judge, 8)
    headers = auth_headers(organiser)
    moved = client.post(
        f"/api/v1/competitions/{competition.id}/advance",
        json={"force": True, "reason": "uji"},
        headers=headers,
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["current_stage"] == "nomination"
    ranking = client.get(f"/api/v1/competitions/{competition.id}/ranking", headers=headers)
    assert ranking.status_code == 200, ranking.text
    assert [e["innovation_id"] for e in ranking.json()["entries"]] == [innovation.id]


def test_another_organisations_organiser_finds_nothing_of_ours(
    client: TestClient, factory: Factory
) -> None:
    other = factory.organisation()
    outsider = auth_headers(factory.organiser(organisation_id=other.id))
    draft = factory.competition(published=False)
    published = factory.competition()
    agency = factory.agency()
    user = factory.user(Role.INNOVATOR, agency=agency)
    innovation = factory.innovation(published, agency=agency, team=[user])
    for path in (
        f"/api/v1/competitions/{draft.id}",
        f"/api/v1/competitions/{draft.id}/ranking",
        f"/api/v1/competitions/{published.id}/judges",
        f"/api/v1/competitions/{published.id}/exports/innovations.csv",
        f"/api/v1/innovations/{innovation.id}",
        f"/api/v1/users/{user.id}",
    ):
        assert client.get(path, headers=outsider).status_code == 404, path
    assert (
        client.patch(
            f"/api/v1/agencies/{agency.id}", json={"name": "Mine now"}, headers=outsider
        ).status_code
        == 404
    )
    assert (
        client.patch(
            f"/api/v1/competitions/{published.id}", json={"top_n": 1}, headers=outsider
        ).status_code
        == 404
    )
    listed = client.get("/api/v1/competitions", params={"limit": 100}, headers=outsider).json()
    ids = [c["id"] for c in listed["items"]]
    assert published.id in ids and draft.id not in ids  # the public sees the published one
    users = client.get("/api/v1/users", params={"limit": 100}, headers=outsider).json()
    assert user.id not in [u["id"] for u in users["items"]]
    agencies = client.get("/api/v1/agencies", params={"limit": 100}, headers=outsider).json()
    assert agency.id not in [a["id"] for a in agencies["items"]]
    # Proposing in another organisation's (published) competition is refused.
    proposed = client.post(
        f"/api/v1/competitions/{published.id}/innovations",
        json={"title": "Bukan milik kami", "agency_id": agency.id},
        headers=outsider,
    )
    assert proposed.status_code == 403


def test_new_objects_go_into_the_callers_organisation_unless_the_platform_admin_names_one(
    client: TestClient, factory: Factory, session: Session
) -> None:
    other = factory.organisation()
    admin = auth_headers(factory.admin())
    named = client.post(
        "/api/v1/agencies",
        json={"code": "DLH", "name": "DLH", "organisation_id": other.id},
        headers=admin,
    )
    assert named.status_code == 201 and named.json()["organisation_id"] == other.id
    plain = client.post("/api/v1/agencies", json={"code": "DLH", "name": "DLH"}, headers=admin)
    assert plain.status_code == 201 and plain.json()["organisation_id"] == default_id(session)
    competition = client.post(
        "/api/v1/competitions", json=minimal_body(organisation_id=other.id), headers=admin
    )
    assert competition.status_code == 201 and competition.json()["organisation_id"] == other.id
    missing = client.post(
        "/api/v1/agencies",
        json={"code": "X", "name": "X", "organisation_id": 999999},
        headers=admin,
    )
    assert missing.status_code == 422

    organiser = auth_headers(factory.organiser())
    before = _count(session, Agency)
    refused = client.post(
        "/api/v1/agencies",
        json={"code": "BPS", "name": "BPS", "organisation_id": other.id},
        headers=organiser,
    )
    assert refused.status_code == 403
    assert _count(session, Agency) == before


def test_an_organiser_cannot_make_or_touch_a_platform_admin(
    client: TestClient, factory: Factory, session: Session
) -> None:
    platform_admin = factory.admin()
    headers = auth_headers(factory.organiser())
    before = _count(session, User)
    made = client.post(
        "/api/v1/users",
        json={
            "email": "new-admin@example.com",
            "full_name": "Admin Baru",
            "role": "admin",
            "password": "a-long-enough-password",
        },
        headers=headers,
    )
    assert made.status_code == 403
    assert _count(session, User) == before
    assert client.get(f"/api/v1/users/{platform_admin.id}", headers=headers).status_code == 404
    assert (
        client.post(f"/api/v1/users/{platform_admin.id}/unlock", headers=headers).status_code == 404
    )


def test_an_organisers_audit_log_and_outbox_are_its_organisations(
    client: TestClient, factory: Factory, session: Session
) -> None:
    other = factory.organisation()
    outsider = factory.organiser(organisation_id=other.id)
    admin = auth_headers(factory.admin())
    ours = client.post("/api/v1/agencies", json={"code": "OURS", "name": "Ours"}, headers=admin)
    theirs = client.post(
        "/api/v1/agencies",
        json={"code": "THEIRS", "name": "Theirs"},
        headers=auth_headers(outsider),
    )
    assert ours.status_code == theirs.status_code == 201
    invited = client.post(
        "/api/v1/users",
        json={"email": "ours@example.com", "full_name": "Ours", "role": "judge"},
        headers=admin,
    )
    assert invited.status_code == 201  # an invitation e-mail waits in the outbox

    log = client.get("/api/v1/audit", params={"limit": 100}, headers=auth_headers(outsider)).json()
    assert [(e["action"], e["entity_id"]) for e in log["items"]] == [
        ("agency.create", theirs.json()["id"])
    ]
    csv = client.get("/api/v1/audit.csv", headers=auth_headers(outsider)).text
    assert "Theirs" in csv and "Ours" not in csv
    outbox = client.get("/api/v1/outbox", headers=auth_headers(outsider)).json()
    assert outbox["total"] == 0 and sum(outbox["counts"].values()) == 0
    everything = client.get("/api/v1/outbox", headers=admin).json()
    assert everything["total"] >= 1
    message_id = everything["items"][0]["id"]
    retried = client.post(f"/api/v1/outbox/{message_id}/retry", headers=auth_headers(outsider))
    assert retried.status_code == 404
    whole = _count(session, AuditEvent)
    assert whole > len(log["items"])


def test_an_organisers_import_leaves_other_organisations_accounts_alone(
    client: TestClient, factory: Factory, session: Session
) -> None:
    other = factory.organisation()
    outsider = factory.organiser(organisation_id=other.id)
    theirs_agency = factory.agency(code="DLH", organisation_id=other.id)
    ours = factory.user(Role.INNOVATOR, full_name="Warga Kita")
    rows = [
        {"email": ours.email, "full_name": "Taken Over", "role": "innovator", "agency_code": "DLH"},
        {
            "email": "fresh@example.com",
            "full_name": "Fresh",
            "role": "innovator",
            "agency_code": "DLH",
        },
    ]
    response = client.post(
        "/api/v1/imports/users",
        content=json.dumps(rows).encode(),
        headers={**auth_headers(outsider), "Content-Type": "application/json"},
    )
    assert response.status_code in (200, 422), response.text
    report = response.json()
    assert any(e.get("code") == "email_unavailable" for e in report["errors"]), report
    session.refresh(ours)
    assert ours.full_name == "Warga Kita" and ours.organisation_id == default_id(session)
    fresh = session.scalar(select(User).where(User.email == "fresh@example.com"))
    assert fresh is None or (
        fresh.organisation_id == other.id and fresh.agency_id == theirs_agency.id
    )
