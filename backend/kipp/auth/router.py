from __future__ import annotations

from typing import Annotated

from fastapi import Depends, status
from fastapi.security import OAuth2PasswordRequestForm

from kipp.auth import service
from kipp.auth.schemas import (
    ApiTokenCreated,
    ApiTokenIn,
    ApiTokenOut,
    MeOut,
    MeUpdate,
    RefreshIn,
    TokenOut,
)
from kipp.deps import PUBLIC, ClientAddress, CurrentUser, SessionDep, SettingsDep, api_router
from kipp.errors import (
    InvalidCredentials,
    NotFound,
    TooManyRequests,
    Unauthorized,
    ValidationFailed,
    responses_for,
)
from kipp.models import Organisation
from kipp.schemas import IdPath, Page

router = api_router(tags=["auth"])


def _token_out(pair: service.TokenPair) -> TokenOut:
    return TokenOut(
        access_token=pair.access_token, expires_in=pair.expires_in, refresh_token=pair.refresh_token
    )


@router.post(
    "/auth/token",
    response_model=TokenOut,
    responses=responses_for(InvalidCredentials, TooManyRequests, ValidationFailed),
    openapi_extra=PUBLIC,
)
def create_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
    address: ClientAddress,
) -> TokenOut:
    """Log in with e-mail (`username`) and password: an access token and a refresh token."""
    pair = service.login(
        session=session,
        settings=settings,
        email=form.username,
        password=form.password,
        client_address=address,
    )
    return _token_out(pair)


@router.post(
    "/auth/refresh",
    response_model=TokenOut,
    responses=responses_for(Unauthorized, ValidationFailed),
    openapi_extra=PUBLIC,
)
def refresh_token(body: RefreshIn, session: SessionDep, settings: SettingsDep) -> TokenOut:
    """Trade a refresh token for a new pair; the presented token is spent."""
    return _token_out(
        service.refresh(session=session, settings=settings, refresh_token=body.refresh_token)
    )


@router.post(
    "/auth/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses_for(ValidationFailed),
    openapi_extra=PUBLIC,
)
def logout(body: RefreshIn, session: SessionDep) -> None:
    """End this login on the server: the refresh token and every token refreshed from it
    are revoked. Logging out twice, or with an unknown token, is not an error."""
    service.logout(session=session, refresh_token=body.refresh_token)


@router.get("/me", response_model=MeOut, responses=responses_for(Unauthorized))
def read_me(user: CurrentUser, session: SessionDep) -> MeOut:
    """Who am I, and in which organisation."""
    return MeOut.of(user, session.get(Organisation, user.organisation_id))


@router.patch("/me", response_model=MeOut, responses=responses_for(Unauthorized, ValidationFailed))
def update_me(body: MeUpdate, user: CurrentUser, session: SessionDep) -> MeOut:
    """My preferences: ``locale``, the language (id, en) of my notifications and e-mails."""
    updated = service.update_preferences(session=session, user=user, locale=body.locale)
    return MeOut.of(updated, session.get(Organisation, updated.organisation_id))


@router.post(
    "/me/api-tokens",
    response_model=ApiTokenCreated,
    status_code=status.HTTP_201_CREATED,
    responses=responses_for(Unauthorized, ValidationFailed),
)
def create_api_token(
    body: ApiTokenIn, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> ApiTokenCreated:
    """A personal access token for scripts; the token is shown this once. Without
    `expires_at` it expires after the default lifetime (90 days); at most 365 days."""
    api_token, token = service.create_api_token(
        session=session,
        settings=settings,
        user=user,
        name=body.name,
        expires_at=body.expires_at,
    )
    return ApiTokenCreated(
        id=api_token.id,
        name=api_token.name,
        token=token,
        created_at=api_token.created_at,
        expires_at=api_token.expires_at,
    )


@router.get(
    "/me/api-tokens", response_model=Page[ApiTokenOut], responses=responses_for(Unauthorized)
)
def list_api_tokens(user: CurrentUser, session: SessionDep) -> Page[ApiTokenOut]:
    """My personal access tokens that are not revoked (never the token itself)."""
    tokens = service.list_api_tokens(session=session, user=user)
    return Page(items=[ApiTokenOut.model_validate(t) for t in tokens], total=len(tokens))


@router.delete(
    "/me/api-tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses_for(Unauthorized, NotFound),
)
def revoke_api_token(token_id: IdPath, user: CurrentUser, session: SessionDep) -> None:
    """Revoke one of my personal access tokens; it stops working at once."""
    service.revoke_api_token(session=session, user=user, token_id=token_id)
