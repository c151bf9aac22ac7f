"""Login, refresh rotation and reuse, /me, personal access tokens, token attacks, rate limits."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from fastapi import FastAPI
from fastapi.testclient import TestClient
from jose import jwt
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp.auth.service import FailureKeys
from kipp.config import get_settings
from kipp.errors import InvalidRefreshToken
from kipp.models import ApiToken, AuditEvent, LoginFailure, Organisation, RefreshToken, Role
from kipp.security import create_access_token
from tests.factories import PASSWORD, Factory, auth_headers


def _login(client: TestClient, email: str, password: str = PASSWORD, **kwargs: object):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/auth/token", data={"username": email, "password": password}, **kwargs
    )


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_login_returns_a_token_pair(client: TestClient, factory: Factory) -> None:
    user = factory.user(Role.JUDGE)
    response = _login(client, user.email)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == get_settings().access_token_minutes * 60
    me = client.get("/api/v1/me", headers=_bearer(body["access_token"]))
    assert me.status_code == 200
    organisation = factory.session.get(Organisation, user.organisation_id)
    assert organisation is not None
    assert me.json() == {
        "id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "role": "judge",
        "agency_id": user.agency_id,
        "organisation_id": user.organisation_id,
        "organisation": {
            "id": user.organisation_id,
            "slug": organisation.slug,
            "name": organisation.name,
            "level": organisation.level,
        },
        "locale": "id",
    }


def test_login_email_is_case_insensitive(client: TestClient, factory: Factory) -> None:
    user = factory.user()
    assert _login(client, user.email.upper()).status_code == 200


def test_wrong_password_and_unknown_email_look_the_same(
    client: TestClient, factory: Factory
) -> None:
    user = factory.user()
    wrong = _login(client, user.email, "not-the-password")
    unknown = _login(client, "nobody@example.com")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.headers["content-type"] == "application/problem+json"
    assert wrong.json()["title"] == unknown.json()["title"]


def test_login_form_validation_is_problem_json(client: TestClient) -> None:
    client.headers.pop("Accept-Language")  # no language named: Indonesian
    response = client.post("/api/v1/auth/token", data={"username": "a@example.com"})
    assert response.status_code == 422
    body = response.json()
    assert {
        "field": "password",
        "pointer": "/password",
        "code": "missing",
        "message": "Wajib diisi.",
    } in body["errors"]
    assert body["detail"] == "Periksa isian yang ditandai."
    english = client.post(
        "/api/v1/auth/token", data={"username": "a@example.com"}, headers={"Accept-Language": "en"}
    ).json()
    assert english["detail"] == "Check the marked field."
    assert {
        "field": "password",
        "pointer": "/password",
        "code": "missing",
        "message": "Required.",
    } in (english["errors"])


def test_me_requires_a_token(client: TestClient) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_token_attacks_get_401(client: TestClient, factory: Factory) -> None:
    user = factory.user()
    secret = get_settings().secret_key
    exp = int((datetime.now(UTC) + timedelta(minutes=5)).timestamp())
    good = create_access_token(user_id=user.id, secret_key=secret, lifetime=timedelta(minutes=5))
    header, _payload, signature = good.split(".")
    attacks = {
        "alg none": f"{_b64({'alg': 'none'})}.{_b64({'sub': str(user.id), 'type': 'access', 'exp': exp})}.",
        "wrong key": create_access_token(
            user_id=user.id, secret_key="another-key", lifetime=timedelta(minutes=5)
        ),
        "expired": create_access_token(
            user_id=user.id,
            secret_key=secret,
            lifetime=timedelta(minutes=5),
            now=datetime.now(UTC) - timedelta(hours=1),
        ),
        "tampered": f"{header}.{_b64({'sub': '999999', 'type': 'access', 'exp': exp})}.{signature}",
        "HS512 with our key": jwt.encode(
            {"sub": str(user.id), "type": "access", "exp": exp}, secret, algorithm="HS512"
        ),
        "garbage": "not-a-token",
        "unknown personal token": "kipp_pat_unknown",
    }
    for name, token in attacks.items():
        response = client.get("/api/v1/me", headers=_bearer(token))
        assert response.status_code == 401, name
    assert client.get("/api/v1/me", headers=_bearer(good)).status_code == 200


def test_refresh_rotates_and_reuse_revokes_the_family(
    client: TestClient, factory: Factory, session: Session
) -> None:
    user = factory.user()
    first = _login(client, user.email).json()
    second = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    pair = second.json()
    assert pair["refresh_token"] != first["refresh_token"]
    assert client.get("/api/v1/me", headers=_bearer(pair["access_token"])).status_code == 200

    # The spent token presented again: refused, and the whole family is revoked.
    reuse = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reuse.status_code == 401
    after = client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert after.status_code == 401
    live = session.scalar(
        select(func.count())
        .select_from(RefreshToken)
        .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
    )
    assert live == 0


def test_refresh_families_are_independent(client: TestClient, factory: Factory) -> None:
    user = factory.user()
    phone = _login(client, user.email).json()
    laptop = _login(client, user.email).json()
    client.post("/api/v1/auth/refresh", json={"refresh_token": phone["refresh_token"]})
    client.post("/api/v1/auth/refresh", json={"refresh_token": phone["refresh_token"]})  # reuse
    response = client.post("/api/v1/auth/refresh", json={"refresh_token": laptop["refresh_token"]})
    assert response.status_code == 200


def test_unknown_or_empty_refresh_token(client: TestClient) -> None:
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": "nope"}).status_code == 401
    bad = client.post("/api/v1/auth/refresh", json={"refresh_token": ""})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "refresh_token"


def test_expired_refresh_token(client: TestClient, factory: Factory) -> None:
    user = factory.user()
    pair = _login(client, user.email).json()
    later = datetime.now(UTC) + timedelta(days=get_settings().refresh_token_days, hours=1)
    with time_machine.travel(later, tick=False):
        response = client.post(
            "/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
        )
    assert response.status_code == 401


def test_access_token_expires(client: TestClient, factory: Factory) -> None:
    user = factory.user()
    pair = _login(client, user.email).json()
    later = datetime.now(UTC) + timedelta(minutes=get_settings().access_token_minutes + 1)
    with time_machine.travel(later, tick=False):
        assert client.get("/api/v1/me", headers=_bearer(pair["access_token"])).status_code == 401


def test_deactivated_user_is_refused_everywhere_at_once(
    client: TestClient, factory: Factory
) -> None:
    admin = factory.admin()
    user = factory.user()
    pair = _login(client, user.email).json()
    pat = client.post(
        "/api/v1/me/api-tokens", json={"name": "script"}, headers=_bearer(pair["access_token"])
    ).json()["token"]
    response = client.patch(
        f"/api/v1/users/{user.id}", json={"is_active": False}, headers=auth_headers(admin)
    )
    assert response.status_code == 200
    assert client.get("/api/v1/me", headers=_bearer(pair["access_token"])).status_code == 401
    assert client.get("/api/v1/me", headers=_bearer(pat)).status_code == 401
    refresh = client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refresh.status_code == 401
    assert _login(client, user.email).status_code == 401


def test_failed_logins_are_rate_limited_per_account(client: TestClient, factory: Factory) -> None:
    user = factory.user()
    limit = get_settings().login_max_failures
    for _ in range(limit):
        assert _login(client, user.email, "wrong-password").status_code == 401
    blocked = _login(client, user.email)  # even the right password waits
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    assert blocked.headers["content-type"] == "application/problem+json"
    later = datetime.now(UTC) + timedelta(seconds=get_settings().login_window_seconds + 1)
    with time_machine.travel(later, tick=False):
        assert _login(client, user.email).status_code == 200


def test_failed_logins_are_rate_limited_per_client_address(
    client: TestClient, factory: Factory
) -> None:
    limit = get_settings().login_max_failures * 4
    for n in range(limit):
        _login(client, f"guess{n}@example.com", "wrong-password")
    user = factory.user()
    assert _login(client, user.email).status_code == 429


def test_a_success_resets_the_account_count(client: TestClient, factory: Factory) -> None:
    user = factory.user()
    limit = get_settings().login_max_failures
    for _ in range(limit - 1):
        _login(client, user.email, "wrong-password")
    assert _login(client, user.email).status_code == 200
    for _ in range(limit - 1):
        _login(client, user.email, "wrong-password")
    assert _login(client, user.email).status_code == 200


def test_personal_access_tokens(client: TestClient, factory: Factory, session: Session) -> None:
    user = factory.user()
    headers = auth_headers(user)
    created = client.post("/api/v1/me/api-tokens", json={"name": "import script"}, headers=headers)
    assert created.status_code == 201
    body = created.json()
    assert body["token"].startswith("kipp_pat_")
    assert body["name"] == "import script"

    # Usable as a bearer token, and its last use is recorded.
    assert client.get("/api/v1/me", headers=_bearer(body["token"])).json()["id"] == user.id
    listed = client.get("/api/v1/me/api-tokens", headers=headers).json()
    assert listed["total"] == 1
    assert "token" not in listed["items"][0]
    assert listed["items"][0]["last_used_at"] is not None
    stored = session.get(ApiToken, body["id"])
    assert stored is not None and body["token"] not in stored.token_hash

    assert client.delete(f"/api/v1/me/api-tokens/{body['id']}", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=_bearer(body["token"])).status_code == 401
    assert client.get("/api/v1/me/api-tokens", headers=headers).json()["total"] == 0
    again = client.delete(f"/api/v1/me/api-tokens/{body['id']}", headers=headers)
    assert again.status_code == 404


def test_personal_access_token_expiry(client: TestClient, factory: Factory) -> None:
    user = factory.user()
    expires = datetime.now(UTC) + timedelta(days=1)
    token = client.post(
        "/api/v1/me/api-tokens",
        json={"name": "short", "expires_at": expires.isoformat()},
        headers=auth_headers(user),
    ).json()["token"]
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 200
    with time_machine.travel(expires + timedelta(seconds=1), tick=False):
        assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401


def test_personal_access_token_bad_input_changes_nothing(
    client: TestClient, factory: Factory, session: Session
) -> None:
    user = factory.user()
    headers = auth_headers(user)
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    for body in ({"name": ""}, {}, {"name": "x", "expires_at": past}):
        response = client.post("/api/v1/me/api-tokens", json=body, headers=headers)
        assert response.status_code == 422, body
        assert response.json()["errors"]
    assert session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_cannot_revoke_someone_elses_token(client: TestClient, factory: Factory) -> None:
    owner, other = factory.user(), factory.user()
    token_id = client.post(
        "/api/v1/me/api-tokens", json={"name": "mine"}, headers=auth_headers(owner)
    ).json()["id"]
    response = client.delete(f"/api/v1/me/api-tokens/{token_id}", headers=auth_headers(other))
    assert response.status_code == 404
    assert client.get("/api/v1/me/api-tokens", headers=auth_headers(owner)).json()["total"] == 1


def test_api_tokens_need_a_login(client: TestClient) -> None:
    assert client.get("/api/v1/me/api-tokens").status_code == 401
    assert client.post("/api/v1/me/api-tokens", json={"name": "x"}).status_code == 401
    assert client.delete("/api/v1/me/api-tokens/1").status_code == 401


def test_a_refresh_token_spent_concurrently_is_reuse(
    client: TestClient, factory: Factory, session: Session
) -> None:
    """Two requests presenting one refresh token at once (a thief racing the owner): the one
    that reads the token before the other's spend commits must not get a second pair."""
    from kipp.auth import service as auth_service

    user = factory.user()
    first = _login(client, user.email).json()
    stored = session.scalar(select(RefreshToken).where(RefreshToken.user_id == user.id))
    assert stored is not None and stored.used_at is None  # this request has read it unspent
    # ... and meanwhile the other request spends it and commits (behind the ORM's back).
    session.execute(
        RefreshToken.__table__.update()
        .where(RefreshToken.__table__.c.id == stored.id)
        .values(used_at=datetime.now(UTC))
    )
    with pytest.raises(InvalidRefreshToken):
        auth_service.refresh(
            session=session, settings=get_settings(), refresh_token=first["refresh_token"]
        )
    live = session.scalar(
        select(func.count())
        .select_from(RefreshToken)
        .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
    )
    assert live == 0  # reuse: the family is revoked, no new token was issued


def test_personal_access_token_last_use_is_written_at_most_once_a_minute(
    client: TestClient, factory: Factory, session: Session
) -> None:
    user = factory.user()
    start = datetime(2030, 3, 1, 8, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        created = client.post(
            "/api/v1/me/api-tokens", json={"name": "script"}, headers=auth_headers(user)
        ).json()
    headers = _bearer(created["token"])

    def last_used() -> datetime | None:
        session.expire_all()
        stored = session.get(ApiToken, created["id"])
        assert stored is not None
        return stored.last_used_at

    assert last_used() is None
    for seconds, expected in ((0, 0), (1, 0), (59, 0), (60, 60), (119, 60), (121, 121)):
        with time_machine.travel(start + timedelta(seconds=seconds), tick=False):
            assert client.get("/api/v1/me", headers=headers).status_code == 200
        assert last_used() == start + timedelta(seconds=expected), seconds


def test_failures_older_than_the_window_are_pruned(
    client: TestClient, factory: Factory, session: Session
) -> None:
    user = factory.user()
    _login(client, user.email, "wrong-password")
    assert session.scalar(select(func.count()).select_from(LoginFailure)) == 2
    later = datetime.now(UTC) + timedelta(seconds=get_settings().login_window_seconds + 1)
    with time_machine.travel(later, tick=False):
        _login(client, "someone-else@example.com", "wrong-password")
    keys = session.scalars(select(LoginFailure.key)).all()
    # Keys are bounded: the e-mail is hashed (issue 10, #9).
    expected = FailureKeys.of(email="someone-else@example.com", client_address="testclient")
    assert sorted(keys) == sorted([expected.pair, expected.address])


# --- Issue 10: hardening -------------------------------------------------------------------


def _client_from(app: FastAPI, address: str) -> TestClient:
    return TestClient(app, client=(address, 40000))


def test_failures_from_one_address_do_not_lock_the_owner_out(
    app: FastAPI, client: TestClient, factory: Factory
) -> None:
    # #3: five wrong passwords from one address used to make the right one answer 429 from
    # everywhere for 15 minutes.
    user = factory.user()
    limit = get_settings().login_max_failures
    attacker = _client_from(app, "198.51.100.66")
    for _ in range(limit):
        assert _login(attacker, user.email, "wrong-password").status_code == 401
    start = datetime.now(UTC)
    owner = _client_from(app, "203.0.113.10")
    with time_machine.travel(start, tick=False):
        slowed = _login(owner, user.email)
    # The owner is slowed for a few seconds, not locked for the window.
    assert slowed.status_code == 429
    assert 0 < int(slowed.headers["retry-after"]) <= get_settings().login_account_delay_seconds
    delay = timedelta(seconds=get_settings().login_account_delay_seconds + 1)
    with time_machine.travel(start + delay, tick=False):
        assert _login(owner, user.email).status_code == 200
        # The attacker's own address stays held for this account, even with the password.
        held = _login(attacker, user.email)
        assert held.status_code == 429
        assert int(held.headers["retry-after"]) > delay.total_seconds()


def test_an_address_failing_for_many_accounts_is_held(app: FastAPI, factory: Factory) -> None:
    user = factory.user()
    prober = _client_from(app, "198.51.100.77")
    for n in range(get_settings().login_max_failures * 4):
        _login(prober, f"guess{n}@example.com", "wrong-password")
    assert _login(prober, user.email).status_code == 429
    assert _login(_client_from(app, "203.0.113.11"), user.email).status_code == 200


def test_admin_unlocks_an_account(client: TestClient, factory: Factory, session: Session) -> None:
    user = factory.user()
    for _ in range(get_settings().login_max_failures):
        _login(client, user.email, "wrong-password")
    assert _login(client, user.email).status_code == 429
    url = f"/api/v1/users/{user.id}/unlock"
    assert client.post(url).status_code == 401
    assert client.post(url, headers=auth_headers(factory.user(Role.AGENCY_ADMIN))).status_code == (
        403
    )
    assert client.post("/api/v1/users/999999/unlock", headers=auth_headers(factory.admin())).json()[
        "status"
    ] == (404)
    admin = factory.admin()
    assert client.post(url, headers=auth_headers(admin)).status_code == 204
    assert _login(client, user.email).status_code == 200
    event = session.scalar(
        select(AuditEvent).where(AuditEvent.action == "user.unlock").order_by(AuditEvent.id.desc())
    )
    assert event is not None and event.entity_id == user.id and event.actor_id == admin.id
    assert event.after == {"failed_logins_forgotten": get_settings().login_max_failures}


def test_an_access_token_stops_working_after_a_password_change(
    client: TestClient, factory: Factory
) -> None:
    # #4: the README promises that a new password ends every session, access tokens included.
    user = factory.user()
    access = _login(client, user.email).json()["access_token"]
    assert client.get("/api/v1/me", headers=_bearer(access)).status_code == 200
    changed = client.patch(
        f"/api/v1/users/{user.id}",
        json={"password": "a-brand-new-password"},
        headers=auth_headers(factory.admin()),
    )
    assert changed.status_code == 200
    assert client.get("/api/v1/me", headers=_bearer(access)).status_code == 401
    fresh = _login(client, user.email, "a-brand-new-password").json()["access_token"]
    assert client.get("/api/v1/me", headers=_bearer(fresh)).status_code == 200


def test_a_token_from_before_a_deactivation_stays_dead_after_reactivation(
    client: TestClient, factory: Factory
) -> None:
    user = factory.user()
    access = _login(client, user.email).json()["access_token"]
    admin_headers = auth_headers(factory.admin())
    for active in (False, True):
        response = client.patch(
            f"/api/v1/users/{user.id}", json={"is_active": active}, headers=admin_headers
        )
        assert response.status_code == 200
    assert client.get("/api/v1/me", headers=_bearer(access)).status_code == 401
    assert _login(client, user.email).status_code == 200


def test_an_access_token_without_expiry_or_session_version_is_refused(
    client: TestClient, factory: Factory
) -> None:
    user = factory.user()
    secret = get_settings().secret_key
    claims = {"sub": str(user.id), "type": "access", "sv": 1}
    no_exp = jwt.encode(claims, secret, algorithm="HS256")
    exp = int((datetime.now(UTC) + timedelta(minutes=5)).timestamp())
    no_sv = jwt.encode({"sub": str(user.id), "type": "access", "exp": exp}, secret, "HS256")
    good = jwt.encode({**claims, "exp": exp}, secret, algorithm="HS256")
    assert client.get("/api/v1/me", headers=_bearer(good)).status_code == 200
    for token in (no_exp, no_sv):
        assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401


def test_logout_revokes_the_refresh_token_family(client: TestClient, factory: Factory) -> None:
    user = factory.user()
    first = _login(client, user.email).json()
    second = client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    ).json()
    other_login = _login(client, user.email).json()
    out = client.post("/api/v1/auth/logout", json={"refresh_token": second["refresh_token"]})
    assert out.status_code == 204
    refused = client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert refused.status_code == 401
    # Another login (another device) is not logged out.
    kept = client.post("/api/v1/auth/refresh", json={"refresh_token": other_login["refresh_token"]})
    assert kept.status_code == 200
    # Twice, or with an unknown token: nothing to do, no error, nothing revealed.
    again = client.post("/api/v1/auth/logout", json={"refresh_token": second["refresh_token"]})
    assert again.status_code == 204
    unknown = client.post("/api/v1/auth/logout", json={"refresh_token": "kipp_rt_unknown"})
    assert unknown.status_code == 204


def test_personal_access_tokens_get_a_default_and_a_maximum_lifetime(
    client: TestClient, factory: Factory
) -> None:
    user = factory.user()
    settings = get_settings()
    created = client.post(
        "/api/v1/me/api-tokens", json={"name": "script"}, headers=auth_headers(user)
    )
    assert created.status_code == 201
    expires = datetime.fromisoformat(created.json()["expires_at"])
    expected = datetime.now(UTC) + timedelta(days=settings.api_token_default_days)
    assert abs(expires - expected) < timedelta(minutes=1)
    too_long = datetime.now(UTC) + timedelta(days=settings.api_token_max_days + 1)
    refused = client.post(
        "/api/v1/me/api-tokens",
        json={"name": "forever", "expires_at": too_long.isoformat()},
        headers=auth_headers(user),
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "expires_at"
    token = created.json()["token"]
    with time_machine.travel(expires + timedelta(seconds=1), tick=False):
        assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401


def test_a_personal_token_stored_without_expiry_ends_at_the_maximum(
    client: TestClient, factory: Factory, session: Session
) -> None:
    user = factory.user()
    token = client.post(
        "/api/v1/me/api-tokens", json={"name": "old"}, headers=auth_headers(user)
    ).json()
    stored = session.get(ApiToken, token["id"])
    assert stored is not None
    stored.expires_at = None  # as made before expiries were required
    session.flush()
    assert client.get("/api/v1/me", headers=_bearer(token["token"])).status_code == 200
    end = stored.created_at + timedelta(days=get_settings().api_token_max_days, seconds=1)
    with time_machine.travel(end, tick=False):
        assert client.get("/api/v1/me", headers=_bearer(token["token"])).status_code == 401


def test_an_absurd_username_is_refused_early_and_never_stored(
    client: TestClient, session: Session
) -> None:
    response = _login(client, "x" * 900_000 + "@example.com", "wrong-password")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert session.scalar(select(func.count()).select_from(LoginFailure)) == 0
    # A long but plausible one is counted under a bounded key.
    _login(client, "y" * 240 + "@example.com", "wrong-password")
    keys = session.scalars(select(LoginFailure.key)).all()
    assert keys and max(len(k) for k in keys) <= 120


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(
    app: FastAPI, factory: Factory, session: Session
) -> None:
    # #5: by default the peer is the client, whatever X-Forwarded-For claims.
    proxy = _client_from(app, "10.0.0.5")
    spoofed = {"X-Forwarded-For": "203.0.113.99"}
    _login(proxy, "nobody@example.com", "wrong-password", headers=spoofed)
    keys = set(session.scalars(select(LoginFailure.key)))
    assert "address:10.0.0.5" in keys and "address:203.0.113.99" not in keys

    trusted = get_settings().model_copy(update={"trusted_proxies": ["10.0.0.0/8"]})
    app.dependency_overrides[get_settings] = lambda: trusted
    _login(proxy, "nobody@example.com", "wrong-password", headers=spoofed)
    keys = set(session.scalars(select(LoginFailure.key)))
    assert "address:203.0.113.99" in keys
    # From an untrusted peer, the header still counts for nothing.
    _login(_client_from(app, "198.51.100.1"), "x@example.com", "wrong", headers=spoofed)
    assert "address:198.51.100.1" in set(session.scalars(select(LoginFailure.key)))
