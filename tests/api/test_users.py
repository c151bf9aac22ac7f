from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp.models import Role, User
from tests.factories import Factory, auth_headers


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def _new_user(
    agency_id: int | None, role: str = "innovator", email: str = "new@example.com"
) -> dict[str, object]:
    return {
        "email": email,
        "full_name": "Andi Inovator",
        "role": role,
        "agency_id": agency_id,
        "password": "a-long-password",
    }


def test_admin_creates_and_reads_users(client: TestClient, factory: Factory) -> None:
    agency = factory.agency()
    headers = auth_headers(factory.admin())
    created = client.post("/api/v1/users", json=_new_user(agency.id), headers=headers)
    assert created.status_code == 201
    body = created.json()
    assert body["email"] == "new@example.com" and body["is_active"] is True
    assert "password" not in body and "password_hash" not in body
    read = client.get(f"/api/v1/users/{body['id']}", headers=headers)
    assert read.status_code == 200 and read.json()["role"] == "innovator"
    listed = client.get("/api/v1/users", params={"role": "innovator"}, headers=headers).json()
    assert body["id"] in [u["id"] for u in listed["items"]]
    # The new user can log in with the password given.
    login = client.post(
        "/api/v1/auth/token", data={"username": "NEW@example.com", "password": "a-long-password"}
    )
    assert login.status_code == 200


def test_bad_input_changes_nothing(client: TestClient, factory: Factory, session: Session) -> None:
    agency = factory.agency()
    existing = factory.user()
    headers = auth_headers(factory.admin())
    before = _count(session)
    cases = [
        ({**_new_user(agency.id), "email": "not-an-email"}, 422, "email"),
        ({**_new_user(agency.id), "password": "short"}, 422, "password"),
        ({**_new_user(agency.id), "role": "superuser"}, 422, "role"),
        (_new_user(None), 422, "agency_id"),
        (_new_user(999999), 422, "agency_id"),
        (_new_user(agency.id, email=existing.email), 409, "email"),
    ]
    for body, status, field in cases:
        response = client.post("/api/v1/users", json=body, headers=headers)
        assert response.status_code == status, body
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["field"] == field, body
    assert _count(session) == before


def test_admin_updates_a_user(client: TestClient, factory: Factory) -> None:
    user = factory.user(Role.JUDGE)
    headers = auth_headers(factory.admin())
    response = client.patch(
        f"/api/v1/users/{user.id}",
        json={"full_name": "Kepala Dinas", "password": "another-long-one"},
        headers=headers,
    )
    assert response.status_code == 200 and response.json()["full_name"] == "Kepala Dinas"
    login = client.post(
        "/api/v1/auth/token", data={"username": user.email, "password": "another-long-one"}
    )
    assert login.status_code == 200


def test_admin_cannot_deactivate_themselves(client: TestClient, factory: Factory) -> None:
    admin = factory.admin()
    response = client.patch(
        f"/api/v1/users/{admin.id}", json={"is_active": False}, headers=auth_headers(admin)
    )
    assert response.status_code == 409


def test_unknown_user_is_404(client: TestClient, factory: Factory) -> None:
    headers = auth_headers(factory.admin())
    assert client.get("/api/v1/users/999999", headers=headers).status_code == 404
    assert client.patch("/api/v1/users/999999", json={}, headers=headers).status_code == 404


def test_agency_admin_manages_only_innovators_of_their_agency(
    client: TestClient, factory: Factory, session: Session
) -> None:
    agency, other_agency = factory.agency(), factory.agency()
    agency_admin = factory.user(Role.AGENCY_ADMIN, agency=agency)
    own = factory.user(Role.INNOVATOR, agency=agency)
    foreign = factory.user(Role.INNOVATOR, agency=other_agency)
    judge = factory.user(Role.JUDGE, agency=agency)
    headers = auth_headers(agency_admin)

    listed = client.get("/api/v1/users", headers=headers).json()
    assert [u["id"] for u in listed["items"]] == [own.id]
    assert client.get(f"/api/v1/users/{own.id}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/users/{foreign.id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/users/{judge.id}", headers=headers).status_code == 404

    created = client.post("/api/v1/users", json=_new_user(agency.id), headers=headers)
    assert created.status_code == 201
    before = _count(session)
    for body in (
        _new_user(other_agency.id, email="x@example.com"),
        _new_user(agency.id, "judge", "y@example.com"),
    ):
        assert client.post("/api/v1/users", json=body, headers=headers).status_code == 403
    promote = client.patch(f"/api/v1/users/{own.id}", json={"role": "admin"}, headers=headers)
    assert promote.status_code == 403
    assert session.get(User, own.id).role == "innovator"  # type: ignore[union-attr]
    assert _count(session) == before


def test_other_roles_are_refused(client: TestClient, factory: Factory) -> None:
    target = factory.user()
    assert client.get("/api/v1/users").status_code == 401
    assert client.post("/api/v1/users", json=_new_user(None)).status_code == 401
    for role in (Role.INNOVATOR, Role.JUDGE):
        headers = auth_headers(factory.user(role))
        assert client.get("/api/v1/users", headers=headers).status_code == 403
        assert client.get(f"/api/v1/users/{target.id}", headers=headers).status_code == 403
        assert (
            client.post("/api/v1/users", json=_new_user(None), headers=headers).status_code == 403
        )
        patch = client.patch(f"/api/v1/users/{target.id}", json={"full_name": "x"}, headers=headers)
        assert patch.status_code == 403


def test_a_new_password_ends_existing_sessions_and_tokens(
    client: TestClient, factory: Factory
) -> None:
    user = factory.user()
    login = client.post(
        "/api/v1/auth/token", data={"username": user.email, "password": "correct-horse-battery"}
    ).json()
    pat = client.post(
        "/api/v1/me/api-tokens",
        json={"name": "script"},
        headers={"Authorization": f"Bearer {login['access_token']}"},
    ).json()["token"]
    response = client.patch(
        f"/api/v1/users/{user.id}",
        json={"password": "a-brand-new-password"},
        headers=auth_headers(factory.admin()),
    )
    assert response.status_code == 200
    refresh = client.post("/api/v1/auth/refresh", json={"refresh_token": login["refresh_token"]})
    assert refresh.status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {pat}"}).status_code == 401


def _without_request_id(body: dict[str, object]) -> dict[str, object]:
    """A problem body less its request id, which differs on every request by design."""
    return {k: v for k, v in body.items() if k != "request_id"}


def test_agency_admins_cannot_learn_which_emails_have_accounts_elsewhere(
    client: TestClient, factory: Factory
) -> None:
    client.headers.pop("Accept-Language")  # no language named: Indonesian
    # Issue 10, #6: "… already has an account" told an agency admin about accounts anywhere.
    agency = factory.agency()
    agency_admin = factory.user(Role.AGENCY_ADMIN, agency=agency)
    own = factory.user(Role.INNOVATOR, agency=agency)
    elsewhere = factory.user(Role.JUDGE, agency=factory.agency())
    headers = auth_headers(agency_admin)
    answers = []
    for email in (elsewhere.email, own.email):
        created = client.post(
            "/api/v1/users", json=_new_user(agency.id, email=email), headers=headers
        )
        renamed = client.patch(f"/api/v1/users/{own.id}", json={"email": email}, headers=headers)
        answers.append((created.status_code, _without_request_id(created.json())))
        if email == elsewhere.email:
            answers.append((renamed.status_code, _without_request_id(renamed.json())))
    # One neutral answer, the same for an account in another agency as for one of their own.
    assert all(answer == answers[0] for answer in answers)
    status, body = answers[0]
    assert status == 409
    assert elsewhere.email not in body["detail"] and "sudah" not in body["detail"]
    assert body["errors"] == [
        {
            "field": "email",
            "pointer": "/email",
            "code": "email_unavailable",
            "message": "Tidak dapat dipakai.",
        }
    ]
    # The admin still learns why.
    admin = client.post(
        "/api/v1/users",
        json=_new_user(agency.id, email=elsewhere.email),
        headers={**auth_headers(factory.admin()), "Accept-Language": "en"},
    )

    assert admin.status_code == 409 and "already has an account" in admin.json()["detail"]


def test_a_deactivation_ends_access_tokens_at_once(client: TestClient, factory: Factory) -> None:
    user = factory.user()
    headers = auth_headers(user)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    admin_headers = auth_headers(factory.admin())
    off = client.patch(f"/api/v1/users/{user.id}", json={"is_active": False}, headers=admin_headers)
    assert off.status_code == 200
    on = client.patch(f"/api/v1/users/{user.id}", json={"is_active": True}, headers=admin_headers)
    assert on.status_code == 200
    assert client.get("/api/v1/me", headers=headers).status_code == 401
