"""Operations endpoints: liveness, readiness and Prometheus metrics.

- ``/healthz``: the process answers.
- ``/readyz``: the database answers, its schema is at the newest migration, and the evidence
  storage is writable (a local folder) or answers (an S3 bucket) — what a load balancer should wait for after a deploy or an upgrade.
- ``/metrics``: the Prometheus text format — requests and latency by route and status, and
  login failures in the rate-limit window, e-mails in the outbox by status. With several workers set
  ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder shared by them (docs/deploy.md), so every
  worker's counts are added up whichever worker answers the scrape.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from datetime import timedelta
from functools import lru_cache
from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kipp import clock, storage
from kipp.config import Settings
from kipp.db import get_engine
from kipp.deps import PUBLIC
from kipp.migrate import alembic_config
from kipp.models import LoginFailure, OutboxMessage, OutboxStatus

REQUESTS = Counter(
    "kipp_http_requests_total",
    "HTTP requests answered, by method, route template and status code.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "kipp_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


class MetricsMiddleware:
    """Counts every HTTP request by its route *template* (``/api/v1/innovations/{iid}``, never
    the raw path, so ids don't explode the label set); unmatched paths count as ``unmatched``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            route = _route_template(scope)
            method = scope.get("method", "")
            REQUESTS.labels(method, route, str(status)).inc()
            LATENCY.labels(method, route).observe(time.perf_counter() - started)


def _route_template(scope: Scope) -> str:
    """The full template of the matched route. An included router's route may know only its
    own part (``/competitions/{competition_id}``); the prefix is what precedes that part, filled
    in, at the end of the request path."""
    template = getattr(scope.get("route"), "path", None)
    if not isinstance(template, str):
        return "unmatched"
    path: str = scope.get("path", "")
    try:
        filled = template.format(**scope.get("path_params", {}))
    except (KeyError, IndexError, ValueError):
        return template
    if path.endswith(filled):
        return path[: len(path) - len(filled)] + template
    return template


class _LoginFailureCollector(Collector):
    """Failed logins within the rate-limit window, read from the database at scrape time (the
    table every worker shares), so the figure is right with any number of workers."""

    def __init__(self, settings: Settings) -> None:
        self.window = settings.login_window_seconds

    def collect(self) -> Iterable[GaugeMetricFamily]:
        since = clock.now() - timedelta(seconds=self.window)
        gauge = GaugeMetricFamily(
            "kipp_login_failures_recent",
            "Failed logins recorded within the login rate-limit window.",
        )
        try:
            with Session(get_engine()) as session:
                count = session.scalar(
                    select(func.count())
                    .select_from(LoginFailure)
                    .where(LoginFailure.failed_at >= since)
                )
        except Exception:  # a scrape must not fail because the database is down: /readyz says so
            return
        gauge.add_metric([], float(count or 0))
        yield gauge


class _OutboxCollector(Collector):
    """E-mails in the outbox by status, read from the database at scrape time: alert on a
    growing ``dead`` (given up) or ``pending`` (mail not configured, or the server is away)."""

    def collect(self) -> Iterable[GaugeMetricFamily]:
        gauge = GaugeMetricFamily(
            "kipp_outbox_messages", "E-mails in the outbox, by status.", labels=["status"]
        )
        counts = {status.value: 0 for status in OutboxStatus}
        try:
            with Session(get_engine()) as session:
                rows = session.execute(
                    select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
                ).all()
        except Exception:  # a scrape must not fail because the database is down: /readyz says so
            return
        for status, count in rows:
            counts[str(status)] = int(count)
        for status, count in counts.items():
            gauge.add_metric([status], float(count))
        yield gauge


@lru_cache
def _migration_heads() -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def readiness(settings: Settings) -> dict[str, str]:
    """Each check's verdict: ``ok`` or what is wrong, for the operator."""
    checks: dict[str, str] = {}
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
            current = frozenset(MigrationContext.configure(connection).get_current_heads())
        checks["database"] = "ok"
        heads = _migration_heads()
        checks["schema"] = (
            "ok"
            if current == heads
            else f"at {', '.join(sorted(current)) or 'no revision'}, expected "
            f"{', '.join(sorted(heads))}: run `kipp db upgrade`"
        )
    except Exception as exc:  # any failure to reach the database means "not ready"
        checks["database"] = f"unreachable ({type(exc).__name__})"
    checks["storage"] = _storage_check(settings)
    return checks


def _storage_check(settings: Settings) -> str:
    """The local folder is writable, or the S3 bucket answers (every host must reach it)."""
    try:
        return storage.for_settings(settings).check()
    except Exception as exc:  # e.g. no AWS credentials or region at all: not ready, say why
        return f"unreachable ({type(exc).__name__})"


def _registry(settings: Settings) -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    return _with_login_failures(registry, settings)


_LOGIN_COLLECTORS: dict[int, _LoginFailureCollector] = {}


def _with_login_failures(registry: CollectorRegistry, settings: Settings) -> CollectorRegistry:
    if id(registry) not in _LOGIN_COLLECTORS:
        collector = _LoginFailureCollector(settings)
        registry.register(collector)
        registry.register(_OutboxCollector())
        _LOGIN_COLLECTORS[id(registry)] = collector
    return registry


def install(app: FastAPI, settings: Settings) -> None:
    """Add the health routes and the request metrics to the app."""
    app.add_middleware(MetricsMiddleware)
    registry = _registry(settings)

    @app.get("/healthz", tags=["health"], openapi_extra=PUBLIC)
    def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get(
        "/readyz",
        tags=["health"],
        responses={503: {"description": "Not ready: a check failed (database, schema, storage)"}},
        openapi_extra=PUBLIC,
    )
    def readyz() -> JSONResponse:
        """Readiness: the database answers at the newest schema and the storage is writable."""
        checks = readiness(settings)
        ok = all(verdict == "ok" for verdict in checks.values())
        body: dict[str, Any] = {"status": "ok" if ok else "unavailable", "checks": checks}
        return JSONResponse(body, status_code=200 if ok else 503)

    @app.get("/metrics", include_in_schema=False, openapi_extra=PUBLIC)
    def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
