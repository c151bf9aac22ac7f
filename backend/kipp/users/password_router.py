"""Password reset by e-mail, public: ask for a link, set a password with it.

The client address is rate-limited before the body is read (the body is parsed by hand, after
the limiter, so FastAPI's own parsing cannot come first); the answer to a request is the same
whether or not the address has an account.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request, status
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from kipp.deps import PUBLIC, ClientAddress, SessionDep, SettingsDep, api_router
from kipp.errors import InvalidActionToken, TooManyRequests, ValidationFailed, responses_for
from kipp.users import invitations
from kipp.users.schemas import PasswordResetAccepted, PasswordResetConfirmIn, PasswordResetIn

router = api_router(prefix="/auth/password-reset", tags=["auth"])
Body = TypeVar("Body", bound=BaseModel)
ACCEPTED = PasswordResetAccepted(
    detail="If the address has an account, a link to set a new password is on its way."
)


def _within_limit(session: SessionDep, settings: SettingsDep, address: ClientAddress) -> str:
    invitations.check_address(session=session, settings=settings, client_address=address)
    return address


LimitedAddress = Annotated[str, Depends(_within_limit)]


async def _parse(request: Request, model: type[Body]) -> Body:
    try:
        return model.model_validate_json(await request.body())
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        ) from None


async def _reset_body(request: Request, _address: LimitedAddress) -> PasswordResetIn:
    return await _parse(request, PasswordResetIn)


async def _confirm_body(request: Request, _address: LimitedAddress) -> PasswordResetConfirmIn:
    return await _parse(request, PasswordResetConfirmIn)


def _body_doc(model: type[BaseModel]) -> dict[str, Any]:
    return {
        **PUBLIC,
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": model.model_json_schema()}},
        },
    }


@router.post(
    "",
    response_model=PasswordResetAccepted,
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses_for(TooManyRequests, ValidationFailed),
    openapi_extra=_body_doc(PasswordResetIn),
)
def request_password_reset(
    body: Annotated[PasswordResetIn, Depends(_reset_body)],
    session: SessionDep,
    settings: SettingsDep,
    address: LimitedAddress,
) -> PasswordResetAccepted:
    """Ask for a link to set a new password (valid 30 minutes, single use). Always 202 with
    the same body: nobody learns whether an address has an account."""
    invitations.request_reset(
        session=session, settings=settings, email=body.email, client_address=address
    )
    return ACCEPTED


@router.post(
    "/confirm",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses_for(InvalidActionToken, TooManyRequests, ValidationFailed),
    openapi_extra=_body_doc(PasswordResetConfirmIn),
)
def confirm_password_reset(
    body: Annotated[PasswordResetConfirmIn, Depends(_confirm_body)],
    session: SessionDep,
    settings: SettingsDep,
    address: LimitedAddress,
) -> None:
    """Set the password with the token of a reset or invitation link. The link is spent;
    every other link, session and token of the user stops working."""
    invitations.confirm(
        session=session,
        settings=settings,
        token=body.token,
        password=body.password,
        client_address=address,
    )
