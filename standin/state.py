"""Per-server mutable state: counters, the rate-limit window, seeded fault and latency draws."""

from __future__ import annotations

import math
import random
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode

from standin.config import StandinConfig

ENDPOINTS = (
    "search_movie",
    "movie",
    "search_tv",
    "tv",
    "watch_providers",
    "collection",
    "person",
    "configuration",
    "other",
)
RECENT_REQUESTS = 200
PEAK_WINDOWS = (1.0, 5.0)
"""The windows (s) whose busiest instance /__stats reports: one second shows bursts, five show
the sustained rate, which the jitter of busy event loops (a request's arrival is stamped when
the server's loop gets to it) barely moves."""


def endpoint_of(path: str) -> str:
    """The /__stats bucket of a /3 path. `watch_providers`: the standalone
    `/3/movie/{id}/watch/providers` and `/3/tv/{id}/watch/providers` (appended, they count as
    `movie` or `tv`). `collection`: `/3/collection/{id}`; `person`: any `/3/person/` path."""
    if path.startswith(("/3/movie/", "/3/tv/")) and path.endswith("/watch/providers"):
        return "watch_providers"
    if path == "/3/search/movie":
        return "search_movie"
    if path == "/3/search/tv":
        return "search_tv"
    if path == "/3/configuration":
        return "configuration"
    if path.startswith("/3/movie/"):
        return "movie"
    if path.startswith("/3/collection/"):
        return "collection"
    if path.startswith("/3/person/"):
        return "person"
    if path.startswith("/3/tv/"):
        return "tv"
    return "other"


class Stats:
    """What the server did. Never holds a key or a token (queries and paths are redacted)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.in_flight = 0
        self._clock = clock
        self.reset()

    def reset(self) -> None:
        self.requests_total = 0
        self.by_endpoint: Counter[str] = Counter(dict.fromkeys(ENDPOINTS, 0))
        self.by_status: Counter[int] = Counter()
        self.rate_limited = 0
        self.connection_limited = 0
        self.injected_errors = 0
        self.injected_timeouts = 0
        self.client_disconnects = 0
        self.max_concurrent_seen = self.in_flight
        self.recent: deque[dict[str, Any]] = deque(maxlen=RECENT_REQUESTS)
        # per window of PEAK_WINDOWS: the arrivals inside the latest such window, and the most
        # ever seen in one
        self._arrivals: dict[float, deque[float]] = {w: deque() for w in PEAK_WINDOWS}
        self._peaks: dict[float, int] = dict.fromkeys(PEAK_WINDOWS, 0)

    def begin(self, endpoint: str) -> None:
        self.requests_total += 1
        self.by_endpoint[endpoint] += 1
        self.in_flight += 1
        self.max_concurrent_seen = max(self.max_concurrent_seen, self.in_flight)
        now = self._clock()
        for window, arrivals in self._arrivals.items():
            arrivals.append(now)
            while arrivals[0] <= now - window:
                arrivals.popleft()
            self._peaks[window] = max(self._peaks[window], len(arrivals))

    def end(self, entry: dict[str, Any], status: int | None) -> None:
        self.in_flight -= 1
        if status is None:
            self.client_disconnects += 1
        else:
            self.by_status[status] += 1
            if status == 429:
                self.rate_limited += 1
        self.recent.append({**entry, "status": status})

    def snapshot(self, synthesised_films: int) -> dict[str, Any]:
        return {
            "requests_total": self.requests_total,
            "by_endpoint": dict(self.by_endpoint),
            "by_status": {str(status): n for status, n in sorted(self.by_status.items())},
            "rate_limited": self.rate_limited,
            "connection_limited": self.connection_limited,
            "injected_errors": self.injected_errors,
            "injected_timeouts": self.injected_timeouts,
            "client_disconnects": self.client_disconnects,
            "in_flight": self.in_flight,
            "max_concurrent_seen": self.max_concurrent_seen,
            "peak_requests_per_second": self._peaks[1.0],
            "peak_requests_per_5_seconds": self._peaks[5.0],
            "synthesised_films": synthesised_films,
            "recent_requests": list(self.recent),
        }


@dataclass(frozen=True, slots=True)
class Admission:
    allowed: bool
    count: int  # requests seen in the current second, this one included
    retry_after: int  # whole seconds, >= 1


class SlidingWindow:
    """At most `limit` admitted requests in any 1-second window (0 = unlimited)."""

    def __init__(self, limit: int, clock: Callable[[], float]) -> None:
        self.limit = limit
        self._clock = clock
        self._admitted: deque[float] = deque()
        self._attempts: deque[float] = deque()

    def admit(self) -> Admission:
        now = self._clock()
        for times in (self._admitted, self._attempts):
            while times and times[0] <= now - 1.0:
                times.popleft()
        self._attempts.append(now)
        if self.limit == 0 or len(self._admitted) < self.limit:
            self._admitted.append(now)
            return Admission(True, len(self._attempts), 0)
        wait = math.ceil(self._admitted[0] + 1.0 - now)
        return Admission(False, len(self._attempts), max(1, wait))

    def clear(self) -> None:
        self._admitted.clear()
        self._attempts.clear()


Fault = Literal["timeout", 502, 503, 504] | None


class Chaos:
    """Seeded draws: which requests fail or hang, and how long each one waits."""

    def __init__(self, config: StandinConfig) -> None:
        self._config = config
        self.reseed()

    def reseed(self) -> None:
        self._faults = random.Random(self._config.seed)
        self._latency = random.Random(self._config.seed + 1)

    def fault(self) -> Fault:
        config = self._config
        if config.error_rate == 0 and config.timeout_rate == 0:
            return None
        draw = self._faults.random()
        if draw < config.timeout_rate:
            return "timeout"
        if draw < config.timeout_rate + config.error_rate:
            status: Fault = self._faults.choice((502, 503, 503, 504))
            return status
        return None

    def delay_seconds(self) -> float:
        config = self._config
        if config.latency_ms == 0 and config.jitter_ms == 0:
            return 0.0
        jitter = self._latency.uniform(-config.jitter_ms, config.jitter_ms)
        return max(0.0, config.latency_ms + jitter) / 1000


class StandinState:
    """Everything a running stand-in mutates; one per app."""

    def __init__(self, config: StandinConfig) -> None:
        self.config = config
        self.stats = Stats(config.clock)
        self.window = SlidingWindow(config.rate_limit, config.clock)
        self.chaos = Chaos(config)

    def reset(self) -> None:
        """Zero the counters, forget the rate window, replay the seeded draws from the start."""
        self.stats.reset()
        self.window.clear()
        self.chaos.reseed()

    def authenticated(self, api_key: str | None, authorization: str | None) -> bool:
        if api_key is not None and api_key == self.config.api_key:
            return True
        token = self.config.bearer_token
        return token is not None and authorization == f"Bearer {token}"

    def redact(self, query_string: str) -> str:
        """The query as logged: `api_key`, and any value holding a secret, become REDACTED (and
        a secret inside a parameter's name too)."""
        pairs = [
            (self.mask(key), "REDACTED" if key == "api_key" or self.mask(value) != value else value)
            for key, value in parse_qsl(query_string, keep_blank_values=True)
        ]
        return urlencode(pairs)

    def mask(self, text: str) -> str:
        """`text` (a path, say) with every occurrence of the key or the token REDACTED."""
        for secret in (self.config.api_key, self.config.bearer_token):
            if secret:
                text = text.replace(secret, "REDACTED")
        return text
