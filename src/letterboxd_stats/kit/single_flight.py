"""Concurrent callers of one key share one call, and its result is kept in a store (pure: no
feature, no I/O of its own). The enrichment pipeline uses it for TMDB matches and details, the
users' lookups (`sessions.lookups`) for searches."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, TypeVar

from cachetools import LRUCache

T = TypeVar("T")


class SingleFlight:
    """Concurrent callers of the same key share one call; results are kept in `store` (an LRU of
    20,000 by default; a TTL cache for answers that go stale) so that another session asking a
    moment later does not ask TMDB again."""

    def __init__(self, store: MutableMapping[Any, Any] | None = None) -> None:
        self._running: dict[Any, asyncio.Future[Any]] = {}
        self._done: MutableMapping[Any, Any] = store if store is not None else LRUCache(20_000)

    async def run(self, key: Any, call: Callable[[], Awaitable[T]]) -> T:
        if key in self._done:
            result: T = self._done[key]
            return result
        if key in self._running:
            shared: T = await asyncio.shield(self._running[key])
            return shared
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._running[key] = future
        try:
            value = await call()
        except BaseException as exc:
            if not future.done():
                future.set_exception(exc)
                future.exception()  # retrieved: no "never retrieved" warning
            raise
        finally:
            self._running.pop(key, None)
        future.set_result(value)
        self._done[key] = value
        return value


class Forgetful(dict[Any, Any]):
    """A store that keeps nothing: with no cache, only callers at the same moment share."""

    def __setitem__(self, key: Any, value: Any) -> None:
        return None
