"""Logins, refresh-token rotation with reuse detection, personal access tokens."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.orm import Session

from kipp import clock
from kipp.config import Settings
from kipp.errors import InvalidCredentials, InvalidRefreshToken, NotFound, TooManyRequests
from kipp.models import ApiToken, LoginFailure, RefreshToken, User
from kipp.security import (
    API_TOKEN_PREFIX,
    REFRESH_TOKEN_PREFIX,
    create_access_token,
    decode_access_token,
    new_opaque_token,
    token_digest,
    verify_password,
)

# A client address may fail for several accounts (an office behind one NAT) before it is held.
ADDRESS_LIMIT_FACTOR = 4
# A personal token's last use is written at most this often: a script's every GET need not
# write (and, on SQLite, wait for the write lock).
LAST_USED_RESOLUTION = timedelta(seconds=60)


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


def _normalise_email(email: str) -> str:
    return email.strip().lower()


def _retry_after(*, session: Session, key: str, settings: Settings, limit: int) -> int | None:
    """Seconds until ``key`` may try again, or None when it is under its limit."""
    since = clock.now() - timedelta(seconds=settings.login_window_seconds)
    failures = session.scalars(
        select(LoginFailure.failed_at)
        .where(LoginFailure.key == key, LoginFailure.failed_at > since)
        .order_by(LoginFailure.failed_at.desc())
        .limit(limit)
    ).all()
    if len(failures) < limit:
        return None
    oldest_counted = failures[-1]
    wait = (oldest_counted - since).total_seconds()
    return max(1, math.ceil(wait))


def _issue_pair(*, session: Session, user: User, settings: Settings, family_id: str) -> TokenPair:
    now = clock.now()
    refresh = new_opaque_token(REFRESH_TOKEN_PREFIX)
    session.add(
        RefreshToken(
            user_id=user.id,
            family_id=family_id,
            token_hash=token_digest(refresh),
            created_at=now,
            expires_at=now + timedelta(days=settings.refresh_token_days),
        )
    )
    lifetime = timedelta(minutes=settings.access_token_minutes)
    access = create_access_token(
        user_id=user.id, secret_key=settings.secret_key, lifetime=lifetime, now=now
    )
    session.flush()
    return TokenPair(
        access_token=access, refresh_token=refresh, expires_in=int(lifetime.total_seconds())
    )


def login(
    *, session: Session, settings: Settings, email: str, password: str, client_address: str
) -> TokenPair:
    """Password login, rate-limited per account and per client address."""
    email = _normalise_email(email)
    account_key, address_key = f"account:{email}", f"address:{client_address}"
    for key, limit in (
        (account_key, settings.login_max_failures),
        (address_key, settings.login_max_failures * ADDRESS_LIMIT_FACTOR),
    ):
        wait = _retry_after(session=session, key=key, settings=settings, limit=limit)
        if wait is not None:
            raise TooManyRequests(
                f"Too many failed logins; try again in {wait} seconds.",
                headers={"Retry-After": str(wait)},
            )
    user = session.scalar(select(User).where(func.lower(User.email) == email))
    if not verify_password(password, user.password_hash if user else None) or user is None:
        now = clock.now()
        # Failures older than the window count for nothing: drop them as new ones arrive.
        session.execute(
            delete(LoginFailure).where(
                LoginFailure.failed_at <= now - timedelta(seconds=settings.login_window_seconds)
            )
        )
        session.add_all(
            [
                LoginFailure(key=account_key, failed_at=now),
                LoginFailure(key=address_key, failed_at=now),
            ]
        )
        session.flush()
        raise InvalidCredentials("Wrong e-mail or password.")
    if not user.is_active:
        raise InvalidCredentials("This account is deactivated.")
    session.execute(delete(LoginFailure).where(LoginFailure.key == account_key))
    return _issue_pair(
        session=session, user=user, settings=settings, family_id=secrets.token_hex(16)
    )


def refresh(*, session: Session, settings: Settings, refresh_token: str) -> TokenPair:
    """Rotate: the presented token is spent; presenting a spent one revokes its whole family."""
    now = clock.now()
    stored = session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == token_digest(refresh_token))
    )
    if stored is None:
        raise InvalidRefreshToken("Unknown refresh token.")
    if stored.used_at is None and stored.revoked_at is None and stored.expires_at <= now:
        raise InvalidRefreshToken("The refresh token has expired.")
    # Spend it with one conditional UPDATE: of two requests presenting the same token at once
    # (a thief racing the owner) only one can win; the other is reuse, and revokes the family.
    spent = cast(
        CursorResult[Any],
        session.execute(
            update(RefreshToken)
            .where(
                RefreshToken.id == stored.id,
                RefreshToken.used_at.is_(None),
                RefreshToken.revoked_at.is_(None),
            )
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    if spent.rowcount != 1:
        session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == stored.family_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
            .execution_options(synchronize_session=False)
        )
        raise InvalidRefreshToken("This refresh token was already used; its session is revoked.")
    user = session.get(User, stored.user_id)
    if user is None or not user.is_active:
        raise InvalidRefreshToken("The account is deactivated.")
    return _issue_pair(session=session, user=user, settings=settings, family_id=stored.family_id)


def user_from_bearer(*, session: Session, settings: Settings, token: str) -> User | None:
    """The active user behind an access JWT or a personal access token, or None."""
    if token.startswith(API_TOKEN_PREFIX):
        now = clock.now()
        api_token = session.scalar(
            select(ApiToken).where(ApiToken.token_hash == token_digest(token))
        )
        if api_token is None or api_token.revoked_at is not None:
            return None
        if api_token.expires_at is not None and api_token.expires_at <= now:
            return None
        last_used = api_token.last_used_at
        if last_used is None or now - last_used >= LAST_USED_RESOLUTION:
            api_token.last_used_at = now
        user_id = api_token.user_id
    else:
        decoded = decode_access_token(token, secret_key=settings.secret_key)
        if decoded is None:
            return None
        user_id = decoded
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    return user


def create_api_token(
    *, session: Session, user: User, name: str, expires_at: datetime | None
) -> tuple[ApiToken, str]:
    token = new_opaque_token(API_TOKEN_PREFIX)
    api_token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=token_digest(token),
        prefix=token[: len(API_TOKEN_PREFIX) + 4],
        created_at=clock.now(),
        expires_at=expires_at,
    )
    session.add(api_token)
    session.flush()
    return api_token, token


def list_api_tokens(*, session: Session, user: User) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.id)
        )
    )


def revoke_api_token(*, session: Session, user: User, token_id: int) -> None:
    api_token = session.get(ApiToken, token_id)
    if api_token is None or api_token.user_id != user.id or api_token.revoked_at is not None:
        raise NotFound("No such token.")
    api_token.revoked_at = clock.now()
    session.flush()


def revoke_all_for_user(*, session: Session, user_id: int) -> None:
    """Deactivation: every refresh token and personal token of the user stops working."""
    now = clock.now()
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
