"""Per-key allowances of one process: how often a key may do something (`Quota`, a token
bucket per key), and how many of something a key may hold open at once (`Slots`).

Keys are whatever the caller counts by (a session, a client address); they stay in memory,
never in a log. A flood of new keys cannot grow either without bound: `Quota` forgets the
least recently used beyond `keys`, `Slots` keeps only keys that hold something.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from cachetools import LRUCache


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float


class Quota:
    """At most `per_minute` takes a minute for each key, in bursts of up to `per_minute`: a
    bucket of that many tokens per key, refilled evenly over a minute."""

    def __init__(
        self, per_minute: int, *, keys: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self.per_minute = per_minute
        self._rate = per_minute / 60.0  # tokens per second
        self._buckets: LRUCache[str, _Bucket] = LRUCache(keys)
        self._clock = clock

    def wait_for(self, key: str) -> float:
        """Seconds until `key` may take again (0: now), without taking."""
        bucket = self._refilled(key)
        return 0.0 if bucket.tokens >= 1 else (1 - bucket.tokens) / self._rate

    def take(self, key: str) -> None:
        self._refilled(key).tokens -= 1

    def _refilled(self, key: str) -> _Bucket:
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = _Bucket(float(self.per_minute), now)
        else:
            bucket.tokens = min(self.per_minute, bucket.tokens + (now - bucket.at) * self._rate)
            bucket.at = now
        self._buckets[key] = bucket
        return bucket


def take_all(quotas: list[tuple[Quota, str]]) -> float:
    """Take from every (quota, key) if all allow it, and return 0; else take nothing and
    return the longest wait."""
    wait = max((quota.wait_for(key) for quota, key in quotas), default=0.0)
    if wait == 0:
        for quota, key in quotas:
            quota.take(key)
    return wait


class Slots:
    """At most `limit` held at once per key."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self._held: Counter[str] = Counter()

    def full(self, key: str) -> bool:
        return self._held[key] >= self.limit

    def hold(self, key: str) -> None:
        self._held[key] += 1

    def release(self, key: str) -> None:
        self._held[key] -= 1
        if self._held[key] <= 0:
            del self._held[key]

    def held(self, key: str) -> int:
        return self._held[key]
