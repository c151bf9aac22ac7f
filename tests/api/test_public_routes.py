"""Authenticated by default: every route requires a logged-in user unless marked public.

The allow-list below is the whole public surface of the API. A new public route fails the test
until it is listed here (and reviewed); a listed operation that stops being public fails too.
"""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from kipp.app import _check_logged_in_by_default, create_app
from kipp.config import get_settings
from kipp.deps import (
    PUBLIC,
    PUBLIC_MARK,
    Access,
    CurrentUser,
    OptionalUser,
    api_router,
    route_access,
)
from kipp.errors import install_error_handlers
from kipp.limits import route_policy

PUBLIC_OPERATIONS = {
    # logging in and out
    "create_token",
    "refresh_token",
    "logout",
    # forgotten passwords (rate-limited before the body is read; the same answer for anyone)
    "request_password_reset",
    "confirm_password_reset",
    # what the public site shows
    "list_agencies",
    "list_public_organisations",  # to filter the competitions by organisation
    "list_competitions",
    "read_competition",
    "list_competition_innovations",
    "read_public_innovation_summary",  # 404 until the list itself is public
    "list_innovation_replications",  # 404 unless the innovation is public (or yours)
    "get_competition_results",
    "get_competition_results_manifest",  # 404 to anyone but the admin and the panel
    "file_competition_objection",
    "read_competition_schedule",  # 404 to anyone but the admin until published
    "download_competition_schedule_calendar",
    "download_schedule_slot_calendar",
    # the innovation catalogue across organisations (only what templates mark public)
    "search_catalogue",
    "read_catalogue_innovation",
    # the login page's demo accounts (development only) and the health probes
    "list_demo_logins",
    "healthz",
    "readyz",
}


def _operations() -> dict[str, dict[str, object]]:
    spec = create_app(get_settings()).openapi()
    return {op["operationId"]: op for item in spec["paths"].values() for op in item.values()}


def test_the_public_operations_are_exactly_the_allow_list() -> None:
    operations = _operations()
    marked = {name for name, op in operations.items() if op.get(PUBLIC_MARK) is True}
    assert sorted(marked - PUBLIC_OPERATIONS) == [], "public but not in PUBLIC_OPERATIONS"
    assert sorted(PUBLIC_OPERATIONS - marked) == [], "listed but not (or no longer) public"


def test_every_other_operation_declares_its_bearer_security() -> None:
    for name, op in _operations().items():
        if name not in PUBLIC_OPERATIONS:
            assert op.get("security"), name


def test_the_request_guard_reads_the_same_mark() -> None:
    app = create_app(get_settings())
    for route in app.routes:
        if isinstance(route, APIRoute) and route.include_in_schema:
            listed = route.name in PUBLIC_OPERATIONS
            assert (route_access(route) is not Access.REQUIRED) is listed, route.path
            assert (route_policy(route).access is not Access.REQUIRED) is listed, route.path


def _small_app() -> FastAPI:
    router = api_router()

    @router.get("/plain")
    def plain() -> dict[str, str]:
        return {"who": "anyone?"}

    @router.get("/open", openapi_extra=PUBLIC)
    def open_route(user: OptionalUser) -> dict[str, str]:
        return {"who": user.email if user else "anonymous"}

    app = FastAPI()
    install_error_handlers(app)
    app.include_router(router, prefix="/api/v1")
    return app


def test_a_route_without_a_user_dependency_still_requires_a_login() -> None:
    with TestClient(_small_app()) as client:
        assert client.get("/api/v1/plain").status_code == 401
        assert client.get("/api/v1/open").json() == {"who": "anonymous"}
        spec = client.get("/openapi.json").json()
    assert spec["paths"]["/api/v1/plain"]["get"]["security"]
    assert spec["paths"]["/api/v1/open"]["get"][PUBLIC_MARK] is True


def test_a_route_outside_api_router_stops_the_app_from_starting() -> None:
    app = FastAPI()

    @app.get("/api/v1/sneaky")
    def sneaky() -> dict[str, str]:
        return {}

    with pytest.raises(RuntimeError, match="neither an ApiRoute nor marked public"):
        _check_logged_in_by_default(app)


def test_public_and_login_required_at_once_is_refused() -> None:
    router = api_router()

    def needs_a_user(user: OptionalUser) -> None:
        return None

    def contradictory(user: CurrentUser) -> None:
        return None

    router.get("/fine", openapi_extra=PUBLIC)(needs_a_user)
    with pytest.raises(TypeError, match="marked public but requires a logged-in user"):
        router.get("/contradictory", openapi_extra=PUBLIC)(contradictory)
