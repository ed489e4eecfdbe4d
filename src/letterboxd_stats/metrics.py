"""Prometheus metrics, served at `GET /metrics` (text format 0.0.4).

Every app builds its own `Metrics` on a registry of its own (never the global default one), so
several apps in one process (the tests) do not collide. What is measured:

* `letterboxd_http_requests_total{method,route,status}` and
  `letterboxd_http_request_duration_seconds{method,route}`: `route` is the route's template
  (`/api/session/{session_id}/status`), never the path: a session id is the only key to a
  session and must not leave the process.
* `letterboxd_jobs{state="queued"|"running"}`: read from the job runner at each scrape.
* `letterboxd_films_enriched_total`: films (library and watchlist entries) whose enrichment
  result this process stored.
* `letterboxd_tmdb_requests_total{endpoint,status}`: every HTTP request to TMDB, retries
  included; `endpoint` is `search`, `movie` or `other`, `status` the HTTP status or `error`
  (timeout, connection failure). `letterboxd_tmdb_rate_limited_total`: the 429s among them.

Several processes (several app instances, or procrastinate workers run apart): each exposes
its own counters and Prometheus scrapes every one; sum them in queries. The exception is
`letterboxd_jobs` on PostgreSQL: it counts the queue's jobs across all processes, so every
instance reports the same figure (take `max`, not `sum`). On SQLite it counts this process's
jobs.
"""

from __future__ import annotations

import re
import time

import httpx
import structlog
from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from letterboxd_stats.enrich.runner import JobRunner

log = structlog.get_logger(__name__)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"  # the route label of a request no route answered (404s of any path)
_MOVIE = re.compile(r".*/movie/\d+")


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.http_requests = Counter(
            "letterboxd_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.http_duration = Histogram(
            "letterboxd_http_request_duration_seconds",
            "Time to answer an HTTP request (to the end of its body), by method and route.",
            ["method", "route"],
            registry=self.registry,
        )
        self.jobs = Gauge(
            "letterboxd_jobs",
            "Enrichment jobs queued and running (PostgreSQL: of every process).",
            ["state"],
            registry=self.registry,
        )
        self.films_enriched = Counter(
            "letterboxd_films_enriched",
            "Films (library and watchlist) whose enrichment result this process stored.",
            registry=self.registry,
        )
        self.tmdb_requests = Counter(
            "letterboxd_tmdb_requests",
            "HTTP requests to TMDB (retries included), by endpoint and status (or 'error').",
            ["endpoint", "status"],
            registry=self.registry,
        )
        self.tmdb_rate_limited = Counter(
            "letterboxd_tmdb_rate_limited",
            "429 (rate limited) answers received from TMDB.",
            registry=self.registry,
        )

    def films_stored(self, count: int) -> None:
        self.films_enriched.inc(count)

    def count_answers(self, http: httpx.AsyncClient) -> None:
        """Count the TMDB client's answers, by endpoint and status, through a response hook."""

        async def on_response(response: httpx.Response) -> None:
            self.tmdb_requests.labels(_endpoint(response.request.url), response.status_code).inc()
            if response.status_code == 429:
                self.tmdb_rate_limited.inc()

        hooks = http.event_hooks
        http.event_hooks = {**hooks, "response": [*hooks.get("response", []), on_response]}

    def count_errors(self, transport: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        """The transport, counting the TMDB requests that got no answer (status "error")."""
        return _CountErrors(transport, self)

    async def read_jobs(self, runner: JobRunner) -> None:
        """Set the jobs gauge from the runner (at scrape time: the runner counts, not us)."""
        try:
            jobs = await runner.active_jobs()
            queued, running = float(jobs.get("todo", 0)), float(jobs.get("doing", 0))
        except Exception as exc:  # the queue unreadable (database away): NaN, not stale figures
            log.warning("metrics.jobs_unavailable", error=type(exc).__name__)
            queued = running = float("nan")
        self.jobs.labels("queued").set(queued)
        self.jobs.labels("running").set(running)


class _CountErrors(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, metrics: Metrics) -> None:
        self._inner = inner
        self._metrics = metrics

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await self._inner.handle_async_request(request)
        except httpx.TransportError:
            self._metrics.tmdb_requests.labels(_endpoint(request.url), "error").inc()
            raise

    async def aclose(self) -> None:
        await self._inner.aclose()


def _endpoint(url: httpx.URL) -> str:
    """A fixed label from the path (never the URL: its query holds the API key)."""
    path = url.path.rstrip("/")
    if path.endswith("/search/movie"):
        return "search"
    if _MOVIE.fullmatch(path):
        return "movie"
    return "other"


class MetricsMiddleware:
    """Counts and times every HTTP request by its route template (a pure ASGI middleware)."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_see(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_see)
        finally:
            method = scope["method"] if scope["method"] in METHODS else "other"
            route = _route(scope)
            self.metrics.http_requests.labels(method, route, status).inc()
            self.metrics.http_duration.labels(method, route).observe(time.perf_counter() - started)


def _route(scope: Scope) -> str:
    """The template of the route the router chose (it leaves the route in the scope)."""
    route = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    if isinstance(template, str) and not isinstance(route, Mount):
        return template
    plain = _plain_route(scope)
    if plain is not None:
        return plain
    # A mounted app (the static files; FastAPI's router does not leave the Mount in the
    # scope): routing extends `root_path` by the mount's path. One label for the whole mount.
    if isinstance(route, Mount) and isinstance(template, str):
        return template.rstrip("/") + "/{path}"
    if "app_root_path" in scope:
        mounted = str(scope.get("root_path", ""))[len(str(scope["app_root_path"])) :]
        if mounted:
            return mounted.rstrip("/") + "/{path}"
    return UNMATCHED


def _plain_route(scope: Scope) -> str | None:
    """A plain Starlette route (FastAPI's own `/docs`, `/openapi.json`, `/redoc`) leaves its
    endpoint in the scope, not itself: its template is that of the app's route with it."""
    endpoint = scope.get("endpoint")
    if endpoint is None:
        return None
    for route in getattr(scope.get("app"), "routes", ()):
        if isinstance(route, Route) and route.endpoint is endpoint:
            return route.path_format
    return None


router = APIRouter(include_in_schema=False)


@router.get("/metrics")
async def metrics_endpoint(request: Request) -> Response:
    """Prometheus text format; `letterboxd_jobs` is read from the runner now."""
    metrics: Metrics = request.app.state.metrics
    await metrics.read_jobs(request.app.state.runner)
    return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_PLAIN_0_0_4)
