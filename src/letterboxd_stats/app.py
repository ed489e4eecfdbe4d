"""create_app(): routes, error handlers, and the lifespan that builds and disposes resources."""

from __future__ import annotations

import functools
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import structlog
from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.exceptions import HTTPException

from letterboxd_stats import __version__
from letterboxd_stats.cards.endpoints import session_router as card_router
from letterboxd_stats.cards.endpoints import share_router as share_card_router
from letterboxd_stats.compare.endpoints import router as compare_router
from letterboxd_stats.completion.endpoints import router as completion_router
from letterboxd_stats.config import Settings, get_settings
from letterboxd_stats.db import disk_full, unavailable
from letterboxd_stats.deps import SessionMakerDep
from letterboxd_stats.errors import (
    AppError,
    DatabaseBusy,
    DatabaseUnavailable,
    DiskFull,
    LowOnDisk,
)
from letterboxd_stats.ingest.endpoints import router as upload_router
from letterboxd_stats.kit.answers import Answers
from letterboxd_stats.kit.disk import DiskWatch
from letterboxd_stats.kit.failures import InternalErrorMiddleware
from letterboxd_stats.kit.responses import ErrorBody, error_responses
from letterboxd_stats.kit.security import SecurityHeadersMiddleware
from letterboxd_stats.kit.server import HeaderLimitMiddleware
from letterboxd_stats.logging import RequestContextMiddleware, configure_logging
from letterboxd_stats.metrics import Metrics, MetricsMiddleware
from letterboxd_stats.metrics import router as metrics_router
from letterboxd_stats.resources import service_resources
from letterboxd_stats.review.endpoints import router as review_router
from letterboxd_stats.sessions.cleanup import PeriodicCleanup, session_ttl
from letterboxd_stats.sessions.endpoints import router as session_router
from letterboxd_stats.sessions.limits import UserLimits
from letterboxd_stats.stats.endpoints import router as stats_router
from letterboxd_stats.watchlist.endpoints import router as watchlist_router
from letterboxd_stats.watchlist.ranking import RankedLists
from letterboxd_stats.web import mount_static
from letterboxd_stats.web import router as pages_router

log = structlog.get_logger(__name__)
BUSY_RETRY_SECONDS = 2
TITLE = "letterboxd-stats"
DESCRIPTION = "Statistics for a Letterboxd data export, enriched from TMDB."

health_router = APIRouter()


@health_router.get("/api/health", tags=["health"], responses=error_responses(503))
async def health(request: Request, sessionmaker: SessionMakerDep) -> dict[str, str]:
    """200 when the database answers and the disk is not full."""
    try:
        async with sessionmaker() as db:
            await db.execute(text("SELECT 1"))
    except (OSError, DBAPIError) as exc:
        raise DatabaseUnavailable("the database does not answer") from exc
    disk: DiskWatch = request.app.state.disk
    if (problem := disk.problem()) is not None:
        raise LowOnDisk(problem)
    return {"status": "ok"}


# Every feature's routes, in the order they are matched. Each route was built (its parameters'
# and answer's models) once, when its module was imported, and every app of the process shares
# it: `include_router` would build them again for each app, ~50 ms of CPU an app, and the tests
# make hundreds. So `app.dependency_overrides` does not reach these routes; the app's state does.
ROUTES = tuple(
    route
    for router in (
        upload_router,
        session_router,
        stats_router,
        compare_router,
        watchlist_router,
        completion_router,
        review_router,
        card_router,
        share_card_router,
        metrics_router,
        pages_router,
        health_router,
    )
    for route in router.routes
)


@functools.cache
def _openapi() -> dict[str, Any]:
    """The OpenAPI document: every app of the process has the same routes, so the same document
    (FastAPI would build it again for each app, ~0.3 s of CPU)."""
    return get_openapi(title=TITLE, version=__version__, description=DESCRIPTION, routes=ROUTES)


def create_app(
    settings: Settings | None = None,
    *,
    tmdb_transport: httpx.AsyncBaseTransport | None = None,
    engine: AsyncEngine | None = None,
) -> FastAPI:
    """`tmdb_transport` replaces the network under the TMDB client (tests fake TMDB there);
    `engine`, one for the settings' database that the caller disposes (tests share one)."""
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_json)
    metrics = Metrics()  # this app's own registry

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The statistics hold many small objects (a few per film and per viewing); CPython's
        # default thresholds run full collections over them every few requests (measured:
        # 60 % of a cold /stats). Collect the young generation far less often.
        gc.set_threshold(50_000, 20, 50)
        async with service_resources(
            settings, tmdb_transport=tmdb_transport, metrics=metrics, engine=engine
        ) as resources:
            app.state.settings = settings
            app.state.engine = resources.engine
            app.state.sessionmaker = resources.sessionmaker
            app.state.http = resources.http
            app.state.lookups = resources.lookups
            app.state.runner = resources.runner
            app.state.refresher = resources.refresher
            app.state.limits = UserLimits.from_settings(settings)
            await resources.runner.start()
            resources.refresher.start()  # stopped with the resources, before the runner
            app.state.trainer = resources.trainer
            app.state.providers = resources.providers
            cleanup = PeriodicCleanup(
                resources.sessionmaker,
                settings.cleanup_interval_seconds,
                session_ttl(settings.session_ttl_days),
            )
            cleanup.start()
            log.info("app.start", database=resources.engine.url.get_backend_name())
            try:
                yield
            finally:
                await cleanup.stop()
                log.info("app.stop")

    app = FastAPI(
        title=TITLE,
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        routes=list(ROUTES),
    )
    app.openapi = _openapi  # type: ignore[method-assign]
    app.add_middleware(InternalErrorMiddleware)  # innermost: its 500 gets the headers below
    app.add_middleware(HeaderLimitMiddleware, limit=settings.server_max_header_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.state.metrics = metrics
    app.state.disk = DiskWatch.from_settings(settings)
    app.state.stats_answers = Answers(settings.stats_cache_bytes)
    app.state.watchlists = RankedLists()  # the watchlists' rows, per library and region
    _add_error_handlers(app)
    mount_static(app)

    return app


def _body(error: str, detail: str, status: int) -> JSONResponse:
    return JSONResponse(ErrorBody(error=error, detail=detail).model_dump(), status_code=status)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def app_error(_request: Request, exc: AppError) -> JSONResponse:
        log.info("request.rejected", error=exc.error, status=exc.status_code)
        response = _body(exc.error, exc.detail, exc.status_code)
        response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = [
            f"{'.'.join(str(p) for p in err.get('loc', ()))}: {err.get('msg', 'invalid')}"
            for err in exc.errors()
        ]
        return _body("ValidationError", "; ".join(parts) or "invalid request", 422)

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        names = {400: "MalformedRequest", 404: "NotFound", 405: "MethodNotAllowed"}
        response = _body(names.get(exc.status_code, "HTTPError"), str(exc.detail), exc.status_code)
        response.headers.update(exc.headers or {})  # a 405's Allow, a 401's WWW-Authenticate
        return response

    async def out_of_space(request: Request, exc: Exception) -> JSONResponse:
        request.app.state.disk.seen_full()  # /api/health says so for a while
        log.error("disk_full", error=type(exc).__name__)
        full = DiskFull(
            "the server's disk is full: nothing was stored; try again once space is freed"
        )
        return await app_error(request, full)

    async def os_error(request: Request, exc: Exception) -> JSONResponse:
        if not disk_full(exc):
            raise exc  # a bug: a 500 with its traceback in the log
        return await out_of_space(request, exc)

    async def database_down(request: Request, exc: Exception) -> JSONResponse:
        if disk_full(exc):  # SQLite's "database or disk is full" is an OperationalError too
            return await out_of_space(request, exc)
        if not unavailable(exc):
            raise exc  # a bug, not an outage: a 500 with its traceback in the log
        log.warning("database.unavailable", error=type(exc).__name__)
        down = DatabaseUnavailable("the database does not answer; try again soon")
        return _body(down.error, down.detail, down.status_code)

    async def database_busy(request: Request, exc: Exception) -> JSONResponse:
        log.warning("database.busy", error=type(exc).__name__)
        busy = DatabaseBusy(
            "the server is busy: every database connection is in use; try again in a moment",
            retry_after=BUSY_RETRY_SECONDS,
        )
        return await app_error(request, busy)

    app.add_exception_handler(DBAPIError, database_down)
    app.add_exception_handler(ConnectionError, database_down)
    app.add_exception_handler(OSError, os_error)  # ENOSPC writing an upload's temporary file
    app.add_exception_handler(PoolTimeout, database_busy)
