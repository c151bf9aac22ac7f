"""Dependency aliases: the session, the settings, the current user and role guards."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from kipp.auth import service as auth_service
from kipp.config import IPNetwork, Settings, get_settings
from kipp.db import get_session
from kipp.errors import Forbidden, Unauthorized
from kipp.models import Role, User

# Exit code runs when the route function returns, so the commit happens before the response
# is sent: nothing acknowledged is ever lost.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
BearerToken = Annotated[str | None, Depends(oauth2_scheme)]


def get_optional_user(
    session: SessionDep, settings: SettingsDep, token: BearerToken
) -> User | None:
    """The caller, when a token is presented; a bad token is refused, not treated as anonymous."""
    if token is None:
        return None
    user = auth_service.user_from_bearer(session=session, settings=settings, token=token)
    if user is None:
        raise Unauthorized(
            "The token is invalid, expired or revoked.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


OptionalUser = Annotated[User | None, Depends(get_optional_user)]


def get_current_user(user: OptionalUser) -> User:
    if user is None:
        raise Unauthorized("Log in first.", headers={"WWW-Authenticate": "Bearer"})
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_roles(*roles: Role) -> object:
    allowed = {r.value for r in roles}

    def _guard(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise Forbidden("Your role may not do this.")
        return user

    return Depends(_guard)


AdminUser = Annotated[User, require_roles(Role.ADMIN)]
JudgeUser = Annotated[User, require_roles(Role.JUDGE)]
ProposerUser = Annotated[User, require_roles(Role.INNOVATOR, Role.AGENCY_ADMIN, Role.ADMIN)]


def _ip(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: IPAddress | None, trusted: Sequence[IPNetwork]) -> bool:
    return address is not None and any(address in network for network in trusted)


def forwarded_client(
    *, peer: str | None, forwarded_for: str | None, trusted: Sequence[IPNetwork]
) -> str:
    """The client's address: the peer, unless the peer is a trusted proxy; then the nearest
    address in X-Forwarded-For that is not a trusted proxy (read from the right, since only
    the entries our own proxies appended can be believed)."""
    peer = peer or "unknown"
    if not trusted or not forwarded_for or not _trusted(_ip(peer), trusted):
        return peer
    client = peer
    for entry in reversed(forwarded_for.split(",")):
        address = _ip(entry)
        if address is None:
            break  # garbage the client wrote itself: the last believable hop stands
        client = str(address)
        if not _trusted(address, trusted):
            break
    return client


def forwarded_scheme(
    *, peer: str | None, scheme: str, forwarded_proto: str | None, trusted: Sequence[IPNetwork]
) -> str:
    """``https`` or ``http`` as the client used it: X-Forwarded-Proto only from a trusted proxy."""
    if forwarded_proto and trusted and _trusted(_ip(peer or ""), trusted):
        claimed = forwarded_proto.split(",")[-1].strip().lower()
        if claimed in {"http", "https"}:
            return claimed
    return scheme


def client_address(request: Request, settings: SettingsDep) -> str:
    """The one place the client address (for rate limits, objections) is decided:
    X-Forwarded-For counts only when the peer is in KIPP_TRUSTED_PROXIES."""
    return forwarded_client(
        peer=request.client.host if request.client else None,
        forwarded_for=request.headers.get("x-forwarded-for"),
        trusted=settings.trusted_proxy_networks,
    )


ClientAddress = Annotated[str, Depends(client_address)]
