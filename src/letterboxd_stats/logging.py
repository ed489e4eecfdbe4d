"""structlog set-up and the request-id middleware (a pure ASGI middleware)."""

from __future__ import annotations

import logging
import sys
import time
import uuid
from typing import Any

import httpx
import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger("letterboxd_stats")


def configure_logging(level: str = "info", json: bool = False) -> None:
    """structlog for our events; the stdlib `httpx` logger gets the API-key redaction (once)."""
    redact_api_keys()
    numeric = logging.getLevelNamesMapping()[level.upper()]
    renderer: Any = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=_stderr_logger,
        cache_logger_on_first_use=False,
    )


class RedactApiKey(logging.Filter):
    """httpx logs every request's URL at INFO (`HTTP Request: GET <url> ...`), shown wherever
    the host enables stdlib logging: the `api_key` in those URLs (TMDB's) becomes REDACTED."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                arg.copy_set_param("api_key", "REDACTED")
                if isinstance(arg, httpx.URL) and "api_key" in arg.params
                else arg
                for arg in record.args
            )
        return True


def redact_api_keys() -> None:
    """Install `RedactApiKey` on the `httpx` logger, once per process."""
    httpx_log = logging.getLogger("httpx")
    if not any(isinstance(f, RedactApiKey) for f in httpx_log.filters):
        httpx_log.addFilter(RedactApiKey())


def _stderr_logger(*_args: Any) -> structlog.PrintLogger:
    """Whatever `sys.stderr` is now (servers and test runners replace it)."""
    return structlog.PrintLogger(file=sys.stderr)


def short_id(value: object) -> str:
    """Session ids are the only key to a session: logs at info level get only a prefix."""
    return str(value)[:8]


class RequestContextMiddleware:
    """Binds a `request_id` for every log line of a request, echoes it as `X-Request-ID`,
    and writes one access-log event per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex[:16]
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                log.info(
                    "http.request",
                    method=scope["method"],
                    path=redacted_path(scope["path"]),
                    status=status,
                    ms=round((time.perf_counter() - started) * 1000, 1),
                )


def redacted_path(path: str) -> str:
    """Every id of a path by its first 8 characters: `/api/session/<uuid>/status` ->
    `/api/session/1a2b3c4d…/status`, `/compare/<uuid>/<uuid>` likewise (a library's id is
    its owner's key; anything of 32 characters or more is taken for one)."""
    parts = path.split("/")
    for i, part in enumerate(parts):
        if len(part) >= 32:
            parts[i] = short_id(part) + "…"
    return "/".join(parts)
