"""Dependency aliases: the session, the settings, the current user and role guards."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from kipp.config import Settings, get_settings
from kipp.db import get_session
from kipp.errors import Forbidden, Unauthorized
from kipp.models import Role, User

# Exit code runs when the route function returns, so the commit happens before the response
# is sent: nothing acknowledged is ever lost.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
BearerToken = Annotated[str | None, Depends(oauth2_scheme)]


def get_optional_user(
    session: SessionDep, settings: SettingsDep, token: BearerToken
) -> User | None:
    """The caller, when a token is presented; a bad token is refused, not treated as anonymous."""
    if token is None:
        return None
    from kipp.auth import service as auth_service

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


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


ClientAddress = Annotated[str, Depends(client_address)]
