"""Dependency aliases: the session, the settings, the current user and role guards; and the
one mark that makes a route public (every other API route requires a logged-in user)."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator, Sequence
from enum import Enum
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Request, params
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import get_dependant
from fastapi.routing import APIRoute
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.routing import BaseRoute

from kipp.auth import service as auth_service
from kipp.config import IPNetwork, Settings, get_settings
from kipp.db import get_session
from kipp.errors import Forbidden, Unauthorized, request_language
from kipp.i18n import Lang, Msg
from kipp.models import Agency, Competition, Innovation, Role, User
from kipp.policy import has_role, manages, visible_or_404
from kipp.schemas import MAX_ID

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
            Msg(
                id="Token tidak sah, sudah kedaluwarsa, atau sudah dicabut.",
                en="The token is invalid, expired or revoked.",
            ),
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


OptionalUser = Annotated[User | None, Depends(get_optional_user)]


def get_current_user(user: OptionalUser) -> User:
    if user is None:
        raise Unauthorized(
            Msg(id="Silakan masuk terlebih dahulu.", en="Log in first."),
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_roles(*roles: Role) -> object:
    """A dependency giving the current user when they hold one of ``roles`` (else 403: a role
    that may never do this learns nothing from the answer, whatever the object)."""

    def _guard(user: CurrentUser) -> User:
        if not has_role(user, *roles):
            raise Forbidden(
                Msg(id="Peran Anda tidak diizinkan melakukan ini.", en="Your role may not do this.")
            )

        return user

    return Depends(_guard)


# --------------------------------------------------------------------------- organisations

# The path parameters naming an object that belongs to an organisation, and how to find it:
# (the object's owning organisation as a query, what it is called in the 404).
_OWNED_BY: Final[dict[str, tuple[Any, Msg]]] = {
    "competition_id": (
        lambda value: select(Competition.organisation_id).where(Competition.id == value),
        Msg(id="Kompetisi {id} tidak ada.", en="Competition {id} does not exist."),
    ),
    "innovation_id": (
        # A proposal belongs to its competition's organisation (a promoted one sits in the
        # next level's competition, whatever organisation its agency belongs to).
        lambda value: (
            select(Competition.organisation_id)
            .join(Innovation, Innovation.competition_id == Competition.id)
            .where(Innovation.id == value)
        ),
        Msg(id="Inovasi {id} tidak ada.", en="Innovation {id} does not exist."),
    ),
    "agency_id": (
        lambda value: select(Agency.organisation_id).where(Agency.id == value),
        Msg(id="Perangkat daerah {id} tidak ada.", en="Agency {id} does not exist."),
    ),
    "user_id": (
        lambda value: select(User.organisation_id).where(User.id == value),
        Msg(id="Pengguna {id} tidak ada.", en="User {id} does not exist."),
    ),
    "judge_id": (
        lambda value: select(User.organisation_id).where(User.id == value),
        Msg(id="Pengguna {id} tidak ada.", en="User {id} does not exist."),
    ),
}


def ensure_manages_path(session: Session, user: User, path_params: dict[str, Any]) -> None:
    """404 when a path parameter names an object of an organisation ``user`` does not manage
    (an organiser of another organisation may not learn it exists). A missing object is left to
    the route, which says so in its own words."""
    for name, (owner_of, not_found) in _OWNED_BY.items():
        raw = path_params.get(name)
        if raw is None or not str(raw).isdigit() or not 1 <= int(raw) <= MAX_ID:
            continue  # not an id: the route's own validation answers (422)
        organisation_id = session.scalar(owner_of(int(raw)))
        if organisation_id is not None:
            visible_or_404(manages(user, organisation_id), not_found.format(id=raw))


def _organising_team(user: CurrentUser, request: Request, session: SessionDep) -> User:
    """The platform admin or an organiser (else 403), when every object the path names belongs
    to an organisation they manage (else 404)."""
    if not has_role(user, Role.ADMIN, Role.ORGANISER):
        raise Forbidden(
            Msg(id="Peran Anda tidak diizinkan melakukan ini.", en="Your role may not do this.")
        )
    ensure_manages_path(session, user, dict(request.path_params))
    return user


# The organising team acting on its own organisation's objects: the platform admin everywhere,
# an organiser in its organisation (another organisation's ids in the path answer 404).
AdminUser = Annotated[User, Depends(_organising_team)]
# The platform admin only (organisations themselves).
PlatformAdminUser = Annotated[User, require_roles(Role.ADMIN)]
JudgeUser = Annotated[User, require_roles(Role.JUDGE)]
ProposerUser = Annotated[
    User, require_roles(Role.INNOVATOR, Role.AGENCY_ADMIN, Role.ORGANISER, Role.ADMIN)
]


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
# The language the caller reads (Accept-Language): what KIPP later writes to them is in it.
RequestLang = Annotated[Lang, Depends(request_language)]


# --------------------------------------------------------------------------- public routes

PUBLIC_MARK: Final = "x-public"
"""The OpenAPI extension that marks an operation anyone may call. It is the only opt-out: the
route's login dependency (``ApiRoute``), the request guard (``kipp.limits``) and the OpenAPI
document all read it."""

PUBLIC: Final[dict[str, Any]] = {PUBLIC_MARK: True}
"""``openapi_extra=PUBLIC`` on a route: anonymous callers are welcome (merge it with a route's
other extras: ``openapi_extra={**PUBLIC, …}``)."""


class Access(Enum):
    """What a route asks of the caller."""

    PUBLIC = "public"  # marked public: the token is not looked at
    OPTIONAL = "optional"  # marked public and reads the caller: a bad token is refused
    REQUIRED = "required"  # the default: a valid credential, or 401


def is_public(route: BaseRoute) -> bool:
    """Whether ``route`` carries the public mark."""
    return isinstance(route, APIRoute) and bool((route.openapi_extra or {}).get(PUBLIC_MARK))


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any] | None]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def route_access(route: BaseRoute) -> Access:
    """What ``route`` asks of the caller, from its public mark: logged in unless marked; a
    public route that reads the caller (``OptionalUser``) refuses a bad token. Plain Starlette
    routes (the OpenAPI document, static files) are no API operations: public."""
    if not isinstance(route, APIRoute):
        return Access.PUBLIC
    if not is_public(route):
        return Access.REQUIRED
    return Access.OPTIONAL if get_optional_user in set(_calls(route.dependant)) else Access.PUBLIC


class ApiRoute(APIRoute):
    """An API route that requires a logged-in user unless marked public (``PUBLIC``).

    The login dependency is added when the route does not already depend on the current user
    (through ``CurrentUser`` or a role guard), so forgetting it cannot make a route public.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        public_route = bool((kwargs.get("openapi_extra") or {}).get(PUBLIC_MARK))
        dependencies: list[params.Depends] = list(kwargs.get("dependencies") or [])
        if not public_route and not _depends_on_login(path, endpoint, dependencies):
            dependencies.insert(0, Depends(get_current_user))
        kwargs["dependencies"] = dependencies
        super().__init__(path, endpoint, **kwargs)
        if public_route and get_current_user in set(_calls(self.dependant)):
            raise TypeError(f"{path} is marked public but requires a logged-in user")


def _depends_on_login(
    path: str, endpoint: Callable[..., Any], dependencies: Sequence[params.Depends]
) -> bool:
    calls = set(_calls(get_dependant(path=path, call=endpoint)))
    for depends in dependencies:
        if depends.dependency is not None:
            calls.add(depends.dependency)
            calls.update(_calls(get_dependant(path=path, call=depends.dependency)))
    return get_current_user in calls


def api_router(**kwargs: Any) -> APIRouter:
    """An ``APIRouter`` whose routes require a logged-in user unless marked public."""
    return APIRouter(route_class=ApiRoute, **kwargs)
