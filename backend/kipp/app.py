"""create_app(): the API routers, the one error handler, health checks and the built SPA."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, Response
from fastapi.routing import APIRoute

from kipp import __version__, health
from kipp.afterlife.router import router as afterlife_router
from kipp.agencies.router import router as agencies_router
from kipp.audit.router import router as audit_router
from kipp.auth.router import router as auth_router
from kipp.catalogue.router import router as catalogue_router
from kipp.competitions.router import router as competitions_router
from kipp.compression import CompressJson
from kipp.config import Settings, get_settings
from kipp.demo.router import router as demo_router
from kipp.deps import PUBLIC, ApiRoute, is_public
from kipp.errors import PROBLEM_JSON, NotFound, install_error_handlers
from kipp.exports.router import router as exports_router
from kipp.headers import SecurityHeaders, install_docs
from kipp.i18n import Msg
from kipp.imports.router import router as imports_router
from kipp.innovations.router import router as innovations_router
from kipp.limits import RequestGuard
from kipp.notify.router import outbox_router
from kipp.notify.router import router as notify_router
from kipp.organisations.router import router as organisations_router
from kipp.panel.router import router as panel_router
from kipp.promotions.router import router as promotions_router
from kipp.ranking.router import router as ranking_router
from kipp.request_id import RequestIdMiddleware
from kipp.results.router import router as results_router
from kipp.rubric.router import router as rubric_router
from kipp.schedule.router import router as schedule_router
from kipp.scoring.router import router as scoring_router
from kipp.stageflow.router import router as stageflow_router
from kipp.static import SpaFiles, is_hashed_asset
from kipp.users.password_router import router as password_router
from kipp.users.router import router as users_router
from kipp.worker import BackgroundWorker

API_PREFIX = "/api/v1"

API_ROUTERS: list[APIRouter] = [
    auth_router,
    notify_router,
    organisations_router,
    agencies_router,
    users_router,
    password_router,
    competitions_router,
    stageflow_router,
    innovations_router,
    ranking_router,
    results_router,
    catalogue_router,
    promotions_router,
    schedule_router,
    rubric_router,
    afterlife_router,
    panel_router,
    scoring_router,
    imports_router,
    exports_router,
    audit_router,
    outbox_router,
    demo_router,
]


def _operation_id(route: APIRoute) -> str:
    """Readable, stable operationIds: the route function's name (``create_token``)."""
    return route.name


def _problem_responses_in_openapi(app: FastAPI) -> None:
    """Every error answer is documented as what it is: application/problem+json (Problem),
    including FastAPI's own 422, which the error handler renders as a Problem too."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        problem = {"$ref": "#/components/schemas/Problem"}
        validation = {"$ref": "#/components/schemas/HTTPValidationError"}
        for path in schema["paths"].values():
            for operation in path.values():
                for code, response in operation.get("responses", {}).items():
                    if not (code.isdigit() and int(code) >= 400):
                        continue
                    content = response.get("content", {})
                    declared = content.get(PROBLEM_JSON) or content.get("application/json") or {}
                    body = declared.get("schema") or problem
                    response["content"] = {
                        PROBLEM_JSON: {"schema": problem if body == validation else body}
                    }
        components = schema.get("components", {}).get("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _check_logged_in_by_default(app: FastAPI) -> None:
    """Refuse to start when a route could be public by accident: every route is either an
    ``ApiRoute`` (which requires a logged-in user) or explicitly marked public."""
    for route in app.routes:
        if isinstance(route, APIRoute) and not (isinstance(route, ApiRoute) or is_public(route)):
            raise RuntimeError(
                f"{route.path} is neither an ApiRoute nor marked public: build its router "
                "with kipp.deps.api_router, or mark it openapi_extra=PUBLIC"
            )


def _spa_routes(app: FastAPI, settings: Settings) -> None:
    """Serve the built SPA with history-mode fallback; unknown API paths stay problem+json.

    With ``KIPP_HTTP_CACHING`` (the default) files go through kipp.static: precompressed copies
    by Accept-Encoding, hashed assets immutable, the rest revalidated with 304s; a missing
    hashed asset is a 404 rather than index.html (a stale page must not run HTML as script)."""
    dist = settings.frontend_dist
    index = dist / "index.html"
    files = SpaFiles(dist, compressed=settings.compression)

    @app.get("/{path:path}", include_in_schema=False, openapi_extra=PUBLIC)
    def spa(path: str, request: Request) -> Response:
        if path == "api" or path.startswith("api/"):
            raise NotFound(
                Msg(id="Tidak ada rute API /{path}.", en="No API route /{path}.").format(path=path)
            )
        if not settings.http_caching:
            candidate = (dist / path).resolve()
            if path and candidate.is_file() and dist.resolve() in candidate.parents:
                return FileResponse(candidate)
            if not index.is_file():
                raise NotFound(
                    Msg(
                        id="Aplikasi web belum dibangun; jalankan `make run`.",
                        en="The web app is not built; run `make run`.",
                    )
                )
            return FileResponse(index, headers={"Cache-Control": "no-cache"})
        found = files.find(path)
        if found is None and is_hashed_asset(path):
            raise NotFound(
                Msg(
                    id="Berkas /{path} tidak ada di build ini.", en="No file /{path} in this build."
                ).format(path=path)
            )
        if found is None and not index.is_file():
            raise NotFound(
                Msg(
                    id="Aplikasi web belum dibangun; jalankan `make run`.",
                    en="The web app is not built; run `make run`.",
                )
            )
        return files.response(found or index, request.headers)


def _worker_lifespan(settings: Settings) -> Any:
    """Run the delivery worker in a thread while the server runs (``kipp serve``)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        worker = BackgroundWorker(settings)
        worker.start()
        try:
            yield
        finally:
            await asyncio.to_thread(worker.stop)

    return lifespan


def create_app(settings: Settings | None = None, *, background_worker: bool = False) -> FastAPI:
    """The app. ``background_worker``: also deliver e-mail and run the periodic jobs in a
    thread (the served app only, and only when KIPP_RUN_WORKER is true; never in tests)."""
    settings = settings or get_settings()
    app = FastAPI(
        lifespan=_worker_lifespan(settings) if background_worker and settings.run_worker else None,
        title="KIPP API",
        version=__version__,
        summary="Kompetisi Inovasi Pelayanan Publik: proposals, judging, fair ranking, TOP N.",
        generate_unique_id_function=_operation_id,
        # /docs is served by kipp.headers with its own CSP; one docs page is enough.
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(app)
    # Inner first: the guard answers 401/413 before any body is read; the headers wrap it,
    # and the request id wraps everything so even the guard's answers carry it.
    if settings.compression:
        # Innermost: only the app's own JSON answers are compressed; the order below stays.
        app.add_middleware(CompressJson)
    app.add_middleware(RequestGuard, settings=settings)
    app.add_middleware(SecurityHeaders, settings=settings)
    app.add_middleware(RequestIdMiddleware)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    for router in API_ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    _problem_responses_in_openapi(app)
    health.install(app, settings)
    install_docs(app)
    _spa_routes(app, settings)
    _check_logged_in_by_default(app)
    return app
