"""The one module that talks to TMDB: an injected `httpx.AsyncClient`, an injected rate limiter
(`tmdb.limiter`: in-process, or one budget shared by every process through PostgreSQL), capped
retries with exponential backoff and jitter on 429, 5xx, timeouts, connection errors and
unreadable bodies, `Retry-After` honoured (and applied to every request: one 429 pauses the
whole process, as TMDB asks of a client): the safety net under the limiter.

Credentials never appear in a log line or an error: errors name the endpoint, never the URL.
"""

from __future__ import annotations

import asyncio
import functools
import random
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx
import pydantic
import structlog
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt

from letterboxd_stats.tmdb.decision import TmdbKind
from letterboxd_stats.tmdb.limiter import LocalLimiter, RateLimiter
from letterboxd_stats.tmdb.schemas import (
    APPENDED,
    PROVIDERS_PART,
    TV_APPENDED,
    CollectionDetails,
    MovieDetails,
    PersonCredits,
    SearchAnswer,
    SearchResult,
    TvDetails,
    TvSearchAnswer,
    TvSearchResult,
    WatchProviders,
)

log = structlog.get_logger(__name__)

DETAILS_APPEND = APPENDED
Answer = TypeVar("Answer", bound=pydantic.BaseModel)
DISABLED_NOTICE = (
    "TMDB enrichment is disabled: set TMDB_API_KEY or TMDB_BEARER_TOKEN. "
    "Your export is imported; statistics from the CSV files are available."
)


class TmdbError(Exception):
    """Base of TMDB failures; `str()` is safe to show (no URL, no key)."""


class TmdbAuthError(TmdbError):
    """401: the key or token was rejected. Retrying cannot help."""


class TmdbNotFound(TmdbError):
    pass


class TmdbRetriesExhausted(TmdbError):
    """Retries exhausted (429/5xx/timeouts/connection errors/bad bodies)."""


class TmdbNotConfigured(TmdbError):
    """No API key or bearer token is set: TMDB cannot be asked at all."""


class _Retryable(TmdbError):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class ClientOptions:
    base_url: str
    api_key: str | None
    bearer_token: str | None
    rate_limit: float = 40.0
    max_connections: int = 20
    max_attempts: int = 5
    backoff_seconds: float = 0.5
    backoff_max_seconds: float = 30.0


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One TLS context per process, shared by every client: loading the CA certificates costs
    about 35 ms of CPU, which a context per client would pay again each time."""
    return httpx.create_ssl_context()


def build_http_client(
    max_connections: int,
    timeout_seconds: float,
    transport: httpx.AsyncBaseTransport | None = None,
    *,
    observe: Callable[[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport] | None = None,
) -> httpx.AsyncClient:
    """Keep-alive connections, at most `max_connections` (`transport`, given in tests, replaces
    httpx's own), explicit timeouts. `observe` wraps the transport (metrics count the requests
    that got no answer there: httpx has no hook for them)."""
    if transport is None:
        limits = httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections
        )
        transport = httpx.AsyncHTTPTransport(limits=limits, verify=tls_context())
    return httpx.AsyncClient(
        transport=observe(transport) if observe is not None else transport,
        timeout=httpx.Timeout(timeout_seconds, connect=min(5.0, timeout_seconds), pool=None),
        headers={"Accept": "application/json"},
    )


Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


class TmdbClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        options: ClientOptions,
        *,
        limiter: RateLimiter | None = None,
        user_limiter: RateLimiter | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.monotonic,
    ) -> None:
        self._http = http
        # Waits (backoff, a 429's pause) go through `sleep` and are timed by `clock`: a test
        # injects both, so that a fake sleep moves a fake clock instead of spinning on real time.
        self._sleep = sleep
        self._clock = clock
        self._options = options
        self._base = options.base_url.rstrip("/")
        # Acquired once per request sent (retries included); by default the in-process even
        # pace of `options.rate_limit`. An error of a shared limiter's database (raised once
        # the limiter has waited out its patience) propagates as it is: a database outage to
        # the job, never a TMDB failure of one film.
        self._limiter = limiter if limiter is not None else LocalLimiter(options.rate_limit)
        # Requests a user asks for by hand (`user=True`) first wait for a slot of their own
        # share, before they take a connection or a slot of the budget: however many users
        # ask, they never hold more than that share of the budget, and jobs keep the rest.
        self._user_limiter = user_limiter
        self._in_flight = asyncio.Semaphore(options.max_connections)
        self._paused_until = 0.0
        self._params: dict[str, str] = {}
        self._headers: dict[str, str] = {}
        if options.bearer_token:
            self._headers["Authorization"] = f"Bearer {options.bearer_token}"
        elif options.api_key:
            self._params["api_key"] = options.api_key
        self.requests_sent = 0
        self.rate_limited = 0

    @property
    def limiter(self) -> RateLimiter:
        return self._limiter

    async def search_movie(
        self, query: str, params: dict[str, int], *, user: bool = False
    ) -> list[SearchResult]:
        """The first page of results; a result without a usable id (none, or beyond what an
        id can be) is not a film and is left out."""
        answer = await self._get(
            "/search/movie",
            {"query": query, "include_adult": "false", "page": "1", **_str(params)},
            SearchAnswer,
            user=user,
        )
        return answer.results

    async def movie(
        self, tmdb_id: int, *, user: bool = False, providers: bool = False
    ) -> MovieDetails:
        """A movie's details with its credits, keywords and release dates, and (`providers`:
        a watchlist's film) where it streams."""
        append = f"{DETAILS_APPEND},{PROVIDERS_PART}" if providers else DETAILS_APPEND
        return await self._get(
            f"/movie/{tmdb_id}", {"append_to_response": append}, MovieDetails, user=user
        )

    async def search_tv(
        self, query: str, params: dict[str, int], *, user: bool = False
    ) -> list[TvSearchResult]:
        """The first page of TV series (`first_air_date_year` narrows it); as `search_movie`."""
        answer = await self._get(
            "/search/tv",
            {"query": query, "include_adult": "false", "page": "1", **_str(params)},
            TvSearchAnswer,
            user=user,
        )
        return answer.results

    async def tv(self, tv_id: int, *, user: bool = False) -> TvDetails:
        return await self._get(
            f"/tv/{tv_id}", {"append_to_response": TV_APPENDED}, TvDetails, user=user
        )

    async def collection(self, collection_id: int) -> CollectionDetails:
        """A collection (franchise) and its films."""
        return await self._get(f"/collection/{collection_id}", {}, CollectionDetails, user=False)

    async def movie_credits(self, person_id: int) -> PersonCredits:
        """The films a person played in (`cast`) or worked on (`crew`)."""
        return await self._get(f"/person/{person_id}/movie_credits", {}, PersonCredits, user=False)

    async def watch_providers(self, kind: TmdbKind, tmdb_id: int) -> WatchProviders:
        """Where a film or series can be watched, by region (JustWatch's data): what a movie's
        details carry appended, asked for alone when only that is stale or missing."""
        return await self._get(
            f"/{kind.value}/{tmdb_id}/watch/providers", {}, WatchProviders, user=False
        )

    async def _get(
        self,
        path: str,
        params: dict[str, str],
        shape: type[Answer],
        *,
        user: bool,
    ) -> Answer:
        retrying = AsyncRetrying(
            retry=retry_if_exception_type(_Retryable),
            stop=stop_after_attempt(self._options.max_attempts),
            wait=self._wait,
            sleep=self._sleep,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    if user and self._user_limiter is not None:
                        await self._user_limiter.acquire()
                    body = await self._once(path, params)
                    try:
                        return shape.model_validate_json(body)
                    except pydantic.ValidationError as exc:  # a 200 that is not usable
                        problem = _problem(exc)
                        log.info("tmdb.bad_body", endpoint=_endpoint(path), problem=problem)
                        raise _Retryable(problem) from None
        except _Retryable as exc:
            raise TmdbRetriesExhausted(
                f"TMDB did not answer after {self._options.max_attempts} attempts ({exc.reason})"
            ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    async def _once(self, path: str, params: dict[str, str]) -> bytes:
        """The body of a 200 answer; any other answer raises."""
        await self._respect_pause()
        async with self._in_flight:
            await self._limiter.acquire()
            while self._paused_until > self._clock():  # a 429 came while we waited:
                await self._respect_pause()  # after the pause, take a fresh slot, so that
                await self._limiter.acquire()  # the waiting requests do not fire at once
            started = time.perf_counter()
            self.requests_sent += 1
            try:
                response = await self._http.get(
                    self._base + path, params={**params, **self._params}, headers=self._headers
                )
            except httpx.TimeoutException:
                log.info("tmdb.timeout", endpoint=_endpoint(path))
                raise _Retryable("timeout") from None
            except httpx.TransportError as exc:
                log.info(
                    "tmdb.connection_error", endpoint=_endpoint(path), error=type(exc).__name__
                )
                raise _Retryable(f"connection error: {type(exc).__name__}") from None
        ms = round((time.perf_counter() - started) * 1000, 1)
        status = response.status_code
        if status == 200:
            log.debug("tmdb.request", endpoint=_endpoint(path), status=status, ms=ms)
            return response.content
        log.info("tmdb.request", endpoint=_endpoint(path), status=status, ms=ms)
        if status == 401:
            raise TmdbAuthError("TMDB rejected the API key")
        if status == 404:
            raise TmdbNotFound(f"TMDB has no {_endpoint(path)}")
        if status == 429:
            self.rate_limited += 1
            retry_after = _retry_after(response)
            self._pause(retry_after if retry_after is not None else 1.0)
            raise _Retryable("HTTP 429", retry_after)
        if status >= 500:
            raise _Retryable(f"HTTP {status}", _retry_after(response))
        raise TmdbError(f"TMDB answered HTTP {status} for {_endpoint(path)}")

    def _pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    async def _respect_pause(self) -> None:
        while (delay := self._paused_until - self._clock()) > 0:
            until = self._paused_until
            await self._sleep(delay)
            if self._paused_until <= until:  # not extended by another 429 meanwhile
                return

    def _wait(self, state: RetryCallState) -> float:
        """Exponential backoff with full jitter; never shorter than Retry-After."""
        exc = state.outcome.exception() if state.outcome else None
        base = self._options.backoff_seconds * (2 ** (state.attempt_number - 1))
        delay = random.uniform(0, min(self._options.backoff_max_seconds, base))
        if isinstance(exc, _Retryable) and exc.retry_after is not None:
            delay = max(delay, exc.retry_after)
        return delay


def _problem(exc: pydantic.ValidationError) -> str:
    """What made an answer unusable, without its values: `json_invalid`, `id: missing`…"""
    error = exc.errors(include_url=False, include_input=False, include_context=False)[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['type']}" if where else error["type"]


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def _str(params: dict[str, int]) -> dict[str, str]:
    return {key: str(value) for key, value in params.items()}


def _endpoint(path: str) -> str:
    """`/movie/603` -> `movie 603`, `/tv/87108` -> `tv 87108`, `/search/movie` ->
    `search/movie`: for logs and errors."""
    parts = path.strip("/").split("/")
    return " ".join(parts) if parts[0] in ("movie", "tv") else "/".join(parts)
