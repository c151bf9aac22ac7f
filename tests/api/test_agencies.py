from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp.models import Agency, AuditEvent, Role
from tests.factories import Factory, auth_headers

REFUSED_ROLES = (Role.INNOVATOR, Role.AGENCY_ADMIN, Role.JUDGE)


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Agency)) or 0


def test_anyone_lists_agencies(client: TestClient, factory: Factory) -> None:
    factory.agency(code="DLH", name="Dinas Lingkungan Hidup")
    factory.agency(code="BAPPEDA", name="Bappeda")
    response = client.get("/api/v1/agencies")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2
    assert [a["code"] for a in body["items"]] == ["BAPPEDA", "DLH"]
    paged = client.get("/api/v1/agencies", params={"limit": 1, "offset": 1}).json()
    assert paged["total"] == 2 and [a["code"] for a in paged["items"]] == ["DLH"]


def test_bad_paging_is_problem_json(client: TestClient) -> None:
    response = client.get("/api/v1/agencies", params={"limit": 0})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "limit"


def test_admin_creates_updates_deletes_and_it_is_audited(
    client: TestClient, factory: Factory, session: Session
) -> None:
    headers = auth_headers(factory.admin())
    created = client.post(
        "/api/v1/agencies", json={"code": "DLH", "name": "Dinas LH"}, headers=headers
    )
    assert created.status_code == 201
    agency_id = created.json()["id"]
    patched = client.patch(
        f"/api/v1/agencies/{agency_id}",
        json={"name": "Dinas Lingkungan Hidup"},
        headers=headers,
    )
    assert patched.status_code == 200
    assert patched.json() == {
        "id": agency_id,
        "code": "DLH",
        "name": "Dinas Lingkungan Hidup",
        "organisation_id": created.json()["organisation_id"],
    }
    assert client.delete(f"/api/v1/agencies/{agency_id}", headers=headers).status_code == 204
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_type == "agency").order_by(AuditEvent.id)
    ).all()
    assert actions == ["agency.create", "agency.update", "agency.delete"]


def test_duplicate_code_is_a_conflict_and_changes_nothing(
    client: TestClient, factory: Factory, session: Session
) -> None:
    factory.agency(code="DLH")
    headers = auth_headers(factory.admin())
    before = _count(session)
    response = client.post(
        "/api/v1/agencies",
        json={"code": "dlh", "name": "x"},
        headers={**headers, "Accept-Language": "en"},
    )
    assert response.status_code == 409
    assert response.json()["errors"] == [
        {
            "field": "code",
            "pointer": "/code",
            "code": "already_used",
            "message": "Already used by another agency.",
        }
    ]

    assert _count(session) == before


def test_bad_input_changes_nothing(client: TestClient, factory: Factory, session: Session) -> None:
    headers = auth_headers(factory.admin())
    before = _count(session)
    for body in ({"code": "", "name": "x"}, {"code": "has space", "name": "x"}, {"name": "x"}):
        response = client.post("/api/v1/agencies", json=body, headers=headers)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["field"] == "code"
    assert _count(session) == before


def test_agency_in_use_cannot_be_deleted(
    client: TestClient, factory: Factory, session: Session
) -> None:
    agency = factory.agency()
    factory.user(agency=agency)
    response = client.delete(f"/api/v1/agencies/{agency.id}", headers=auth_headers(factory.admin()))
    assert response.status_code == 409
    assert session.get(Agency, agency.id) is not None


def test_unknown_agency_is_404(client: TestClient, factory: Factory) -> None:
    headers = auth_headers(factory.admin())
    assert (
        client.patch("/api/v1/agencies/999999", json={"name": "x"}, headers=headers).status_code
        == 404
    )
    assert client.delete("/api/v1/agencies/999999", headers=headers).status_code == 404


def test_writes_are_refused_to_other_roles(
    client: TestClient, factory: Factory, session: Session
) -> None:
    agency = factory.agency()
    before = _count(session)
    assert client.post("/api/v1/agencies", json={"code": "X", "name": "x"}).status_code == 401
    for role in REFUSED_ROLES:
        headers = auth_headers(factory.user(role))
        assert (
            client.post(
                "/api/v1/agencies", json={"code": "X", "name": "x"}, headers=headers
            ).status_code
            == 403
        ), role
        assert (
            client.patch(
                f"/api/v1/agencies/{agency.id}", json={"name": "y"}, headers=headers
            ).status_code
            == 403
        ), role
        assert client.delete(f"/api/v1/agencies/{agency.id}", headers=headers).status_code == 403
    assert _count(session) == before + len(REFUSED_ROLES)  # the factory's own agencies
