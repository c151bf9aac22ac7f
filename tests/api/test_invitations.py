"""Invitations and password reset: single-use links by e-mail, no account enumeration."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp import clock
from kipp.models import ActionToken, ApiToken, AuditEvent, OutboxMessage, RefreshToken, Role, User
from kipp.security import token_digest
from tests.factories import PASSWORD, Factory, auth_headers

NEW_PASSWORD = "kata-sandi-baru-1"


def _link_token(session: Session, address: str, kind: str) -> str:
    mails = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.to_address == address, OutboxMessage.kind == kind)
        .order_by(OutboxMessage.id)
    ).all()
    assert mails, f"no {kind} e-mail to {address}"
    found = re.search(r"/set-password#token=([\w-]+)", mails[-1].body)
    assert found is not None
    return found.group(1)


def _login(client: TestClient, email: str, password: str) -> int:
    return client.post(
        "/api/v1/auth/token", data={"username": email, "password": password}
    ).status_code


def test_admin_invites_without_a_password_and_the_link_sets_it(
    client: TestClient, session: Session, factory: Factory
) -> None:
    admin = factory.admin()
    agency = factory.agency()
    created = client.post(
        "/api/v1/users",
        json={
            "email": "Baru@Example.com",
            "full_name": "Inovator Baru",
            "role": "innovator",
            "agency_id": agency.id,
        },
        headers=auth_headers(admin),
    )
    assert created.status_code == 201, created.text
    mail = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "invitation")).one()
    assert mail.to_address == "baru@example.com"
    assert mail.subject == "Undangan ke KIPP: atur kata sandi Anda"
    assert "http://127.0.0.1:8000/set-password#token=" in mail.body
    token = _link_token(session, "baru@example.com", "invitation")
    stored = session.scalars(select(ActionToken)).one()
    assert stored.token_hash == token_digest(token) and token not in stored.token_hash
    assert stored.expires_at - stored.created_at == timedelta(days=7)
    # Until the password is set, no password logs in: the same answer as a wrong one.
    assert _login(client, "baru@example.com", "") in (401, 422)
    assert _login(client, "baru@example.com", PASSWORD) == 401
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "user.invite")).one()
    assert token not in str(audit.after)

    confirmed = client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD}
    )
    assert confirmed.status_code == 204, confirmed.text
    assert _login(client, "baru@example.com", NEW_PASSWORD) == 200
    again = client.post(
        "/api/v1/auth/password-reset/confirm",
        json={"token": token, "password": "lain-lagi-123"},
        headers={"Accept-Language": "en"},
    )
    assert again.status_code == 400
    assert again.json()["title"] == "This link is not valid"
    assert "used already" in again.json()["detail"]


def test_a_password_given_means_no_invitation_unless_asked(
    client: TestClient, session: Session, factory: Factory
) -> None:
    admin = factory.admin()
    body = {"full_name": "Juri", "role": "judge", "password": "rahasia-123"}
    assert (
        client.post(
            "/api/v1/users", json={**body, "email": "j1@example.com"}, headers=auth_headers(admin)
        ).status_code
        == 201
    )
    assert session.scalars(select(OutboxMessage)).all() == []
    assert (
        client.post(
            "/api/v1/users",
            json={**body, "email": "j2@example.com", "invite": True},
            headers=auth_headers(admin),
        ).status_code
        == 201
    )
    assert [m.to_address for m in session.scalars(select(OutboxMessage))] == ["j2@example.com"]
    assert _login(client, "j1@example.com", "rahasia-123") == 200


def test_resending_voids_the_older_link_and_agency_admins_reach_only_theirs(
    client: TestClient, session: Session, factory: Factory
) -> None:
    agency = factory.agency()
    agency_admin = factory.user(Role.AGENCY_ADMIN, agency=agency)
    mine = factory.user(Role.INNOVATOR, agency=agency)
    other = factory.user(Role.INNOVATOR)
    url = f"/api/v1/users/{mine.id}/invitation"
    assert client.post(url, headers=auth_headers(agency_admin)).status_code == 202
    first = _link_token(session, mine.email, "invitation")
    assert client.post(url, headers=auth_headers(agency_admin)).status_code == 202
    second = _link_token(session, mine.email, "invitation")
    assert first != second
    stale = client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": first, "password": NEW_PASSWORD}
    )
    assert stale.status_code == 400
    assert (
        client.post(
            f"/api/v1/users/{other.id}/invitation", headers=auth_headers(agency_admin)
        ).status_code
        == 404
    )
    assert (
        client.post(f"/api/v1/users/{mine.id}/invitation", headers=auth_headers(mine)).status_code
        == 403
    )
    fresh = client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": second, "password": NEW_PASSWORD}
    )
    assert fresh.status_code == 204


def test_import_invites_the_new_users_without_a_password(
    client: TestClient, session: Session, factory: Factory
) -> None:
    admin = factory.admin()
    csv = (
        "email,full_name,role,password\n"
        "a@example.com,Juri A,judge,\n"
        "b@example.com,Juri B,judge,rahasia-123\n"
    )
    answer = client.post(
        "/api/v1/imports/users",
        content=csv,
        headers={**auth_headers(admin), "Content-Type": "text/csv"},
    )
    assert answer.status_code == 200, answer.text
    assert [m.to_address for m in session.scalars(select(OutboxMessage))] == ["a@example.com"]
    assert _login(client, "b@example.com", "rahasia-123") == 200


def test_reset_answers_the_same_for_any_address_and_mails_only_accounts(
    client: TestClient, session: Session, factory: Factory
) -> None:
    user = factory.user(Role.JUDGE)
    known = client.post("/api/v1/auth/password-reset", json={"email": user.email.upper()})
    unknown = client.post("/api/v1/auth/password-reset", json={"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    mails = session.scalars(select(OutboxMessage)).all()
    assert [(m.to_address, m.kind) for m in mails] == [(user.email, "password_reset")]
    token = _link_token(session, user.email, "password_reset")
    stored = session.scalars(select(ActionToken)).one()
    assert stored.token_hash == token_digest(token)
    assert stored.expires_at - stored.created_at == timedelta(minutes=30)


def test_confirm_ends_every_session_and_token_of_the_user(
    client: TestClient, session: Session, factory: Factory
) -> None:
    user = factory.user(Role.INNOVATOR)
    pair = client.post(
        "/api/v1/auth/token", data={"username": user.email, "password": PASSWORD}
    ).json()
    pat = client.post(
        "/api/v1/me/api-tokens",
        json={"name": "skrip"},
        headers={"Authorization": f"Bearer {pair['access_token']}"},
    ).json()
    client.post("/api/v1/auth/password-reset", json={"email": user.email})
    client.post(f"/api/v1/users/{user.id}/invitation", headers=auth_headers(factory.admin()))
    reset = _link_token(session, user.email, "password_reset")
    invitation = _link_token(session, user.email, "invitation")
    assert (
        client.post(
            "/api/v1/auth/password-reset/confirm", json={"token": reset, "password": NEW_PASSWORD}
        ).status_code
        == 204
    )
    for bearer in (pair["access_token"], pat["token"]):
        assert (
            client.get("/api/v1/me", headers={"Authorization": f"Bearer {bearer}"}).status_code
            == 401
        )
    assert (
        client.post(
            "/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
        ).status_code
        == 401
    )
    session.expire_all()
    assert all(t.revoked_at is not None for t in session.scalars(select(RefreshToken)))
    assert all(t.revoked_at is not None for t in session.scalars(select(ApiToken)))
    # The other link of the user (the invitation) is void too.
    assert (
        client.post(
            "/api/v1/auth/password-reset/confirm",
            json={"token": invitation, "password": "lain-lagi-123"},
        ).status_code
        == 400
    )
    assert (
        session.scalars(select(AuditEvent).where(AuditEvent.action == "user.password_set"))
        .one()
        .entity_id
        == user.id
    )


def test_an_expired_link_and_a_weak_password_are_refused(
    client: TestClient, session: Session, factory: Factory, monkeypatch: object
) -> None:
    user = factory.user(Role.JUDGE)
    client.post("/api/v1/auth/password-reset", json={"email": user.email})
    token = _link_token(session, user.email, "password_reset")
    weak = client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": token, "password": "short"}
    )
    assert weak.status_code == 422
    assert weak.json()["errors"][0]["field"] == "password"
    stored = session.scalars(select(ActionToken)).one()
    stored.expires_at = clock.now() - timedelta(seconds=1)
    session.flush()
    expired = client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD}
    )
    assert expired.status_code == 400
    assert expired.json()["title"] == "This link is not valid"
    in_indonesian = client.post(
        "/api/v1/auth/password-reset/confirm",
        json={"token": token, "password": NEW_PASSWORD},
        headers={"Accept-Language": "id"},
    )
    assert in_indonesian.json()["title"] == "Tautan ini tidak berlaku"
    session.expire_all()
    assert session.get(User, user.id).password_hash == user.password_hash  # type: ignore[union-attr]


def test_reset_is_rate_limited_per_address_before_the_body_is_read(
    client: TestClient, session: Session, factory: Factory
) -> None:
    user = factory.user(Role.JUDGE)
    for _ in range(3):
        assert (
            client.post("/api/v1/auth/password-reset", json={"email": user.email}).status_code
            == 202
        )
    # A fourth for the same address: the same answer, but no more e-mail (no flooding).
    assert client.post("/api/v1/auth/password-reset", json={"email": user.email}).status_code == 202
    assert len(session.scalars(select(OutboxMessage)).all()) == 3
    for n in range(6):
        client.post("/api/v1/auth/password-reset", json={"email": f"x{n}@example.com"})
    held = client.post(
        "/api/v1/auth/password-reset",
        content=b"not json at all",
        headers={"Content-Type": "application/json"},
    )
    assert held.status_code == 429
    assert int(held.headers["Retry-After"]) > 0
    assert client.post("/api/v1/auth/password-reset/confirm", content=b"{").status_code == 429
