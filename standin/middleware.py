"""The gate in front of every /3 route: connection cap, auth, rate limit, injected faults and
latency, TMDB's headers, and the counters behind /__stats. A pure ASGI middleware, so a hung
request notices the client leaving and the counters see every response."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.datastructures import Headers, MutableHeaders, QueryParams
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from standin.responses import invalid_key, rate_limited, server_error
from standin.state import StandinState, endpoint_of

_BASE_HEADERS = {"server": "openresty", "vary": "Accept-Encoding"}


def cache_control(endpoint: str, status: int) -> str | None:
    """As recorded: 600 s for searches, 8 h for details, 300 s for a 401; none when throttled."""
    if status == 401:
        return "public, max-age=300"
    if status == 429 or status >= 500:
        return None
    if endpoint in ("search_movie", "search_tv"):
        return "public, max-age=600"
    return "public, max-age=28800"


def is_api(path: str) -> bool:
    return path == "/3" or path.startswith("/3/")


class StandinMiddleware:
    def __init__(self, app: ASGIApp, state: StandinState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_api(scope["path"]):
            await self.app(scope, receive, send)
            return
        endpoint = endpoint_of(scope["path"])
        status: int | None = None

        async def send_tmdb(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = MutableHeaders(scope=message)
                for name, value in _BASE_HEADERS.items():
                    headers.setdefault(name, value)
                if (cache := cache_control(endpoint, status)) is not None:
                    headers.setdefault("cache-control", cache)
            await send(message)

        entry = {
            "method": scope["method"],
            "endpoint": endpoint,
            "path": self.state.mask(scope["path"]),
            "query": self.state.redact(scope["query_string"].decode("latin-1")),
        }
        self.state.stats.begin(endpoint)
        try:
            await self._handle(scope, receive, send_tmdb)
        finally:
            self.state.stats.end(entry, status)

    async def _handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        state, config = self.state, self.state.config
        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        fault = state.chaos.fault()
        if fault == "timeout":
            state.stats.injected_timeouts += 1
            if await _client_left_within(receive, config.hang_seconds):
                return
            await server_error(504)(scope, receive, send)
            return
        if fault is not None:
            state.stats.injected_errors += 1
            await server_error(fault)(scope, receive, send)
            return
        if (delay := state.chaos.delay_seconds()) > 0:
            await asyncio.sleep(delay)
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope) -> Response | None:
        state, config = self.state, self.state.config
        if config.max_connections and state.stats.in_flight > config.max_connections:
            state.stats.connection_limited += 1
            return rate_limited(state.stats.in_flight, config.max_connections, 1)
        api_key = QueryParams(scope["query_string"]).get("api_key")
        if not state.authenticated(api_key, Headers(scope=scope).get("authorization")):
            return invalid_key()
        admission = state.window.admit()
        if not admission.allowed:
            return rate_limited(admission.count, config.rate_limit, admission.retry_after)
        return None


async def _client_left_within(receive: Receive, seconds: float) -> bool:
    """Wait `seconds`, or less if the client disconnects; True when it did."""

    async def disconnected() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    watcher: asyncio.Task[Any] = asyncio.ensure_future(disconnected())
    sleeper: asyncio.Task[Any] = asyncio.ensure_future(asyncio.sleep(seconds))
    try:
        done, _ = await asyncio.wait({watcher, sleeper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (watcher, sleeper):
            task.cancel()
        await asyncio.gather(watcher, sleeper, return_exceptions=True)
    return watcher in done
