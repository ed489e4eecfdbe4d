"""The last line of error handling: an exception nothing else handled (a bug) is logged with its
traceback and answered like every other error, `{"error": "Internal", "detail": ...}` (500).

Starlette's own `ServerErrorMiddleware` sits outside every user middleware: what it answers
misses the request id and the security headers, and the server then drops the connection. This
middleware is added innermost (inside the request-id and security-header middleware), so the
500 carries their headers, and the server never sees the exception."""

from __future__ import annotations

import structlog
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from letterboxd_stats.errors import Internal
from letterboxd_stats.kit.responses import ErrorBody

log = structlog.get_logger(__name__)


def internal_error() -> Internal:
    """What the client is told: never the exception's message (it may hold a secret), but the
    request id under which the log has the traceback."""
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    under = f" (request id {request_id})" if request_id else ""
    return Internal(f"an unexpected error on the server; it is logged{under}")


class InternalErrorMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            log.exception("request.failed", error=type(exc).__name__)
            if started:  # half an answer is out: only the server can end it
                raise
            error = internal_error()
            body = ErrorBody(error=error.error, detail=error.detail).model_dump()
            await JSONResponse(body, status_code=error.status_code)(scope, receive, send)
