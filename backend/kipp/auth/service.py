"""Logins, refresh-token rotation with reuse detection, personal access tokens."""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.orm import Session

from kipp import clock
from kipp.config import Settings
from kipp.errors import (
    InvalidCredentials,
    InvalidRefreshToken,
    NotFound,
    TooManyRequests,
    ValidationFailed,
)
from kipp.i18n import Msg
from kipp.models import ApiToken, LoginFailure, RefreshToken, User
from kipp.security import (
    API_TOKEN_PREFIX,
    REFRESH_TOKEN_PREFIX,
    create_access_token,
    decode_access_claims,
    new_opaque_token,
    token_digest,
    verify_password,
)

# A client address may fail for several accounts (an office behind one NAT) before it is held.
ADDRESS_LIMIT_FACTOR = 4
# A personal token's last use is written at most this often: a script's every GET need not
# write (and, on SQLite, wait for the write lock).
LAST_USED_RESOLUTION = timedelta(seconds=60)
# Longer names are no account (an e-mail has at most 254 characters): refused before any work.
MAX_EMAIL_LENGTH = 254
MAX_PASSWORD_LENGTH = 1024
MAX_ADDRESS_KEY = 64


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


def held_for(*, session: Session, key: str, settings: Settings, limit: int) -> int | None:
    """Seconds until ``key`` may try again after ``limit`` attempts in the login window, or
    None: the limiter other public forms (password reset) share with the login."""
    return _retry_after(session=session, key=key, settings=settings, limit=limit)


def count_attempt(*, session: Session, key: str, settings: Settings) -> None:
    """Count one attempt against ``key`` (dropping attempts older than the window)."""
    now = clock.now()
    session.execute(
        delete(LoginFailure).where(
            LoginFailure.failed_at <= now - timedelta(seconds=settings.login_window_seconds)
        )
    )
    session.add(LoginFailure(key=key, failed_at=now))
    session.flush()


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
        user_id=user.id,
        secret_key=settings.secret_key,
        lifetime=lifetime,
        now=now,
        session_version=user.session_version,
    )
    session.flush()
    return TokenPair(
        access_token=access, refresh_token=refresh, expires_in=int(lifetime.total_seconds())
    )


def _account_key(email: str) -> str:
    """A bounded key for an e-mail, whatever its length (hashes keep no address readable)."""
    return hashlib.sha256(email.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class FailureKeys:
    """The rate-limit keys of one attempt, bounded in length: the (account, address) pair
    and the address. The account's failures from anywhere are the pairs under its prefix."""

    account_prefix: str
    pair: str
    address: str

    @classmethod
    def of(cls, *, email: str, client_address: str) -> FailureKeys:
        prefix = f"pair:{_account_key(email)}:"
        address = client_address[:MAX_ADDRESS_KEY]
        return cls(account_prefix=prefix, pair=prefix + address, address=f"address:{address}")


def _too_many(wait: int) -> TooManyRequests:
    return TooManyRequests(
        Msg(
            id="Terlalu banyak percobaan masuk yang gagal; coba lagi dalam {wait} detik.",
            en="Too many failed logins; try again in {wait} seconds.",
        ).format(wait=wait),
        headers={"Retry-After": str(wait)},
    )


def _account_delay(*, session: Session, prefix: str, settings: Settings) -> int | None:
    """Seconds the account must still wait, when it failed too often from anywhere.

    The owner is slowed, never locked: one attempt per ``login_account_delay_seconds``
    after the last failure, so an attacker on other addresses cannot keep them out.
    """
    since = clock.now() - timedelta(seconds=settings.login_window_seconds)
    count, last = session.execute(
        select(func.count(), func.max(LoginFailure.failed_at)).where(
            LoginFailure.key.startswith(prefix, autoescape=True), LoginFailure.failed_at > since
        )
    ).one()
    if count < settings.login_max_failures or last is None:
        return None
    remaining = settings.login_account_delay_seconds - (clock.now() - last).total_seconds()
    return math.ceil(remaining) if remaining > 0 else None


def login(
    *, session: Session, settings: Settings, email: str, password: str, client_address: str
) -> TokenPair:
    """Password login. Failures are counted per (account, address) and per address, which are
    held for the window; an account failing from many addresses is only slowed down."""
    if len(email) > MAX_EMAIL_LENGTH or len(password) > MAX_PASSWORD_LENGTH:
        # Refused before any work: such a name is no account and must not become a key.
        too_long = Msg(id="Maksimal {n} karakter.", en="At most {n} characters.")
        raise ValidationFailed(
            Msg(
                id="E-mail atau kata sandi terlalu panjang.",
                en="The e-mail or password is too long.",
            ),
            errors=[
                {
                    "field": "username",
                    "code": "string_too_long",
                    "message": too_long.format(n=MAX_EMAIL_LENGTH),
                }
            ]
            if len(email) > MAX_EMAIL_LENGTH
            else [
                {
                    "field": "password",
                    "code": "string_too_long",
                    "message": too_long.format(n=MAX_PASSWORD_LENGTH),
                }
            ],
        )
    email = _normalise_email(email)
    keys = FailureKeys.of(email=email, client_address=client_address)
    for key, limit in (
        (keys.pair, settings.login_max_failures),
        (keys.address, settings.login_max_failures * ADDRESS_LIMIT_FACTOR),
    ):
        wait = _retry_after(session=session, key=key, settings=settings, limit=limit)
        if wait is not None:
            raise _too_many(wait)
    wait = _account_delay(session=session, prefix=keys.account_prefix, settings=settings)
    if wait is not None:
        raise _too_many(wait)
    user = session.scalar(select(User).where(func.lower(User.email) == email))
    if not verify_password(password, user.password_hash if user else None) or user is None:
        now = clock.now()
        # Failures older than the window count for nothing: drop them as new ones arrive.
        session.execute(
            delete(LoginFailure).where(
                LoginFailure.failed_at <= now - timedelta(seconds=settings.login_window_seconds)
            )
        )
        session.add_all([LoginFailure(key=key, failed_at=now) for key in (keys.pair, keys.address)])
        session.flush()
        raise InvalidCredentials(
            Msg(id="E-mail atau kata sandi salah.", en="Wrong e-mail or password.")
        )
    if not user.is_active:
        raise InvalidCredentials(
            Msg(id="Akun ini sudah dinonaktifkan.", en="This account is deactivated.")
        )
    # The owner's own failures from this address are forgiven; other addresses' still count.
    session.execute(delete(LoginFailure).where(LoginFailure.key == keys.pair))
    return _issue_pair(
        session=session, user=user, settings=settings, family_id=secrets.token_hex(16)
    )


def forget_failures(*, session: Session, user: User) -> int:
    """Forget every failed login counted against ``user``'s account (from any address).

    Returns how many failures were forgotten (the caller audits the unlock).
    """
    prefix = FailureKeys.of(email=_normalise_email(user.email), client_address="").account_prefix
    result = cast(
        CursorResult[Any],
        session.execute(
            delete(LoginFailure)
            .where(LoginFailure.key.startswith(prefix, autoescape=True))
            .execution_options(synchronize_session=False)
        ),
    )
    return int(result.rowcount or 0)


def refresh(*, session: Session, settings: Settings, refresh_token: str) -> TokenPair:
    """Rotate: the presented token is spent; presenting a spent one revokes its whole family."""
    now = clock.now()
    stored = session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == token_digest(refresh_token))
    )
    if stored is None:
        raise InvalidRefreshToken(
            Msg(id="Token penyegaran tidak dikenal.", en="Unknown refresh token.")
        )
    if stored.used_at is None and stored.revoked_at is None and stored.expires_at <= now:
        raise InvalidRefreshToken(
            Msg(id="Token penyegaran sudah kedaluwarsa.", en="The refresh token has expired.")
        )
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
        raise InvalidRefreshToken(
            Msg(
                id="Token penyegaran ini sudah pernah dipakai; sesinya dicabut.",
                en="This refresh token was already used; its session is revoked.",
            )
        )
    user = session.get(User, stored.user_id)
    if user is None or not user.is_active:
        raise InvalidRefreshToken(
            Msg(id="Akun ini sudah dinonaktifkan.", en="The account is deactivated.")
        )
    return _issue_pair(session=session, user=user, settings=settings, family_id=stored.family_id)


def _api_token_expiry(api_token: ApiToken, settings: Settings) -> datetime:
    """When a personal token stops working; one made before expiries were required lives at
    most the maximum lifetime."""
    if api_token.expires_at is not None:
        return api_token.expires_at
    return api_token.created_at + timedelta(days=settings.api_token_max_days)


def user_from_bearer(*, session: Session, settings: Settings, token: str) -> User | None:
    """The active user behind an access JWT (of the user's current session version) or a
    personal access token, or None."""
    if token.startswith(API_TOKEN_PREFIX):
        now = clock.now()
        api_token = session.scalar(
            select(ApiToken).where(ApiToken.token_hash == token_digest(token))
        )
        if api_token is None or api_token.revoked_at is not None:
            return None
        if _api_token_expiry(api_token, settings) <= now:
            return None
        last_used = api_token.last_used_at
        if last_used is None or now - last_used >= LAST_USED_RESOLUTION:
            api_token.last_used_at = now
        user = session.get(User, api_token.user_id)
    else:
        claims = decode_access_claims(token, secret_key=settings.secret_key)
        if claims is None:
            return None
        user = session.get(User, claims.user_id)
        if user is not None and user.session_version != claims.session_version:
            return None  # issued before a password change, deactivation or reactivation
    if user is None or not user.is_active:
        return None
    return user


def create_api_token(
    *, session: Session, settings: Settings, user: User, name: str, expires_at: datetime | None
) -> tuple[ApiToken, str]:
    """A personal token; without ``expires_at`` it lives the default days, never beyond the
    maximum (422)."""
    now = clock.now()
    latest = now + timedelta(days=settings.api_token_max_days)
    if expires_at is None:
        expires_at = now + timedelta(days=settings.api_token_default_days)
    elif expires_at > latest:
        days = settings.api_token_max_days
        raise ValidationFailed(
            Msg(
                id="Token akses pribadi berlaku paling lama {days} hari.",
                en="A personal access token may live at most {days} days.",
            ).format(days=days),
            errors=[
                {
                    "field": "expires_at",
                    "code": "too_late",
                    "message": Msg(
                        id="Paling lambat {days} hari dari sekarang.",
                        en="At most {days} days from now.",
                    ).format(days=days),
                }
            ],
        )
    token = new_opaque_token(API_TOKEN_PREFIX)
    api_token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=token_digest(token),
        prefix=token[: len(API_TOKEN_PREFIX) + 4],
        created_at=now,
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
        raise NotFound(Msg(id="Token ini tidak ada.", en="No such token."))

    api_token.revoked_at = clock.now()
    session.flush()


def logout(*, session: Session, refresh_token: str) -> None:
    """End one login on the server: the refresh token's whole family is revoked. An unknown
    or already revoked token changes nothing (logging out twice is fine)."""
    stored = session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == token_digest(refresh_token))
    )
    if stored is None:
        return
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == stored.family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=clock.now())
        .execution_options(synchronize_session=False)
    )


def end_sessions(*, session: Session, user: User) -> None:
    """Every access token issued so far stops working (the session version moves on), and
    every refresh token and personal token is revoked: a new password, a deactivation."""
    bump_session_version(user)
    revoke_all_for_user(session=session, user_id=user.id)


def bump_session_version(user: User) -> None:
    """Access tokens issued before now stop working at their next request."""
    user.session_version = (user.session_version or 1) + 1


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


def update_preferences(*, session: Session, user: User, locale: str) -> User:
    """The user's own preferences: the language their messages and e-mails are written in."""
    user.locale = locale
    session.flush()
    return user
