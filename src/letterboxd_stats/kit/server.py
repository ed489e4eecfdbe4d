"""The HTTP server's limits, from the settings: uvicorn's options (`letterboxd-stats serve`,
which the Dockerfile and compose.yaml run) and the header-size check behind them."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from letterboxd_stats.config import Settings
from letterboxd_stats.errors import HeadersTooLarge


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """h11, not httptools: only h11 bounds a request head that is still arriving (a larger
    one is answered 400 and the connection closed); httptools has no such limit."""
    return {
        "http": "h11",
        "h11_max_incomplete_event_size": settings.server_max_header_bytes,
        "timeout_keep_alive": settings.server_keep_alive_seconds,
        "timeout_graceful_shutdown": settings.server_graceful_shutdown_seconds,
    }


def head_size(scope: Scope) -> int:
    """Bytes of the request line's target and of every header (names, values, separators)."""
    target = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
    return target + sum(len(name) + len(value) + 4 for name, value in scope["headers"])


class HeaderLimitMiddleware:
    """Answers 431 `HeadersTooLarge` to a request whose head is over `limit` bytes. h11 stops
    a head that grows past the limit while it arrives; one read in a single chunk is caught
    here, before any route sees it."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or head_size(scope) <= self.limit:
            await self.app(scope, receive, send)
            return
        error = HeadersTooLarge(
            f"the request's headers are larger than the {self.limit:,}-byte limit "
            "(SERVER_MAX_HEADER_BYTES)"
        )
        body = json.dumps({"error": error.error, "detail": error.detail}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": error.status_code,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
