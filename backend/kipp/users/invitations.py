"""Single-use links by e-mail: invitations to set a first password, and password resets.

The link carries a random token; only its SHA-256 digest is stored (``ActionToken``). Setting
a password from either kind of link spends it, voids every other link of the user and ends
every session and token the user had. Reset requests always get the same answer (no account
enumeration) and are rate-limited per client address and per e-mail address.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kipp import clock
from kipp.audit import service as audit_service
from kipp.auth import service as auth_service
from kipp.config import Settings
from kipp.errors import InvalidActionToken, TooManyRequests
from kipp.i18n import Msg
from kipp.models import ActionPurpose, ActionToken, User
from kipp.notify import service as notify_service
from kipp.notify import templates
from kipp.security import hash_password, token_digest
from kipp.users import service as users_service

SET_PASSWORD_PATH = "/set-password"
MAX_TOKEN_LENGTH = 200
INVALID_LINK = Msg(
    id="Tautan ini tidak berlaku: mungkin sudah dipakai, sudah kedaluwarsa, atau diganti "
    "tautan yang lebih baru. Minta tautan baru.",
    en="This link is not valid: it was used already, it expired, or a newer link replaced it. "
    "Ask for a new one.",
)
TOO_MANY = Msg(
    id="Terlalu banyak permintaan; coba lagi dalam {wait} detik.",
    en="Too many requests; try again in {wait} seconds.",
)


def _issue(*, session: Session, user: User, purpose: ActionPurpose, lifetime: timedelta) -> str:
    """A fresh link token for ``user``; earlier unused links of the same purpose are void."""
    now = clock.now()
    session.execute(
        update(ActionToken)
        .where(
            ActionToken.user_id == user.id,
            ActionToken.purpose == purpose,
            ActionToken.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    token = secrets.token_urlsafe(32)
    session.add(
        ActionToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=token_digest(token),
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    session.flush()
    return token


def link_path(token: str) -> str:
    """The set-password page with the token in the fragment (never sent to a server, so
    proxies and access logs do not see it)."""
    return f"{SET_PASSWORD_PATH}#token={token}"


def invite(*, session: Session, settings: Settings, actor: User | None, user: User) -> None:
    """E-mail ``user`` a link to set their password (valid ``invitation_days``); an earlier
    invitation stops working. Audited (never the token)."""
    token = _issue(
        session=session,
        user=user,
        purpose=ActionPurpose.INVITATION,
        lifetime=timedelta(days=settings.invitation_days),
    )
    notify_service.send(
        session,
        letter=templates.invitation(
            full_name=user.full_name, link=link_path(token), days=settings.invitation_days
        ),
        recipients=[notify_service.recipient_of(user)],
    )
    audit_service.record(
        session=session,
        actor=actor,
        action="user.invite",
        entity_type="user",
        entity_id=user.id,
        after={"email": user.email, "expires_in_days": settings.invitation_days},
    )


def _address_key(client_address: str) -> str:
    return f"reset:address:{client_address[:64]}"


def _email_key(email: str) -> str:
    return "reset:email:" + hashlib.sha256(email.encode()).hexdigest()[:32]


def _too_many(wait: int) -> TooManyRequests:
    return TooManyRequests(TOO_MANY.format(wait=wait), headers={"Retry-After": str(wait)})


def check_address(*, session: Session, settings: Settings, client_address: str) -> None:
    """429 when this client address asked too often (checked before the body is read)."""
    wait = auth_service.held_for(
        session=session,
        key=_address_key(client_address),
        settings=settings,
        limit=settings.password_reset_max_per_address,
    )
    if wait is not None:
        raise _too_many(wait)


def request_reset(*, session: Session, settings: Settings, email: str, client_address: str) -> None:
    """Send a reset link when ``email`` is an active account; the caller answers the same
    either way. An address asked for too often gets nothing more until the window passes
    (silently: the answer must not differ)."""
    email = users_service.normalise_email(email)
    email_key = _email_key(email)
    flooded = (
        auth_service.held_for(
            session=session,
            key=email_key,
            settings=settings,
            limit=settings.password_reset_max_per_email,
        )
        is not None
    )
    for key in (_address_key(client_address), email_key):
        auth_service.count_attempt(session=session, key=key, settings=settings)
    user = session.scalar(select(User).where(func.lower(User.email) == email))
    # The token is made whatever the outcome: the answer takes about the same time.
    token = secrets.token_urlsafe(32)
    token_digest(token)
    if flooded or user is None or not user.is_active:
        return
    token = _issue(
        session=session,
        user=user,
        purpose=ActionPurpose.PASSWORD_RESET,
        lifetime=timedelta(minutes=settings.password_reset_minutes),
    )
    notify_service.send(
        session,
        letter=templates.password_reset(
            full_name=user.full_name,
            link=link_path(token),
            minutes=settings.password_reset_minutes,
        ),
        recipients=[notify_service.recipient_of(user)],
    )
    audit_service.record(
        session=session,
        actor=None,
        action="user.password_reset_request",
        entity_type="user",
        entity_id=user.id,
        after={"expires_in_minutes": settings.password_reset_minutes},
    )


def confirm(
    *, session: Session, settings: Settings, token: str, password: str, client_address: str
) -> User:
    """Set the password from a reset or invitation link: the link is spent, the user's other
    links are void, every session and token of the user ends. A bad, used or expired link is
    one 400 (counted against the client address)."""
    now = clock.now()
    stored = (
        session.scalar(select(ActionToken).where(ActionToken.token_hash == token_digest(token)))
        if len(token) <= MAX_TOKEN_LENGTH
        else None
    )
    user = session.get(User, stored.user_id) if stored is not None else None
    if (
        stored is None
        or stored.used_at is not None
        or stored.expires_at <= now
        or user is None
        or not user.is_active
    ):
        auth_service.count_attempt(
            session=session, key=_address_key(client_address), settings=settings
        )
        raise InvalidActionToken(INVALID_LINK)
    # Spend every open link of the user (this one included) in one statement; of two
    # requests presenting the same link at once, only one finds it still open.
    spent = session.execute(
        update(ActionToken)
        .where(ActionToken.user_id == user.id, ActionToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if not spent.rowcount:  # type: ignore[attr-defined]
        raise InvalidActionToken(INVALID_LINK)
    users_service.set_password_hash(
        session=session, user=user, password_hash=hash_password(password)
    )
    session.flush()
    audit_service.record(
        session=session,
        actor=user,
        action="user.password_set",
        entity_type="user",
        entity_id=user.id,
        after={"via": stored.purpose},
    )
    return user
