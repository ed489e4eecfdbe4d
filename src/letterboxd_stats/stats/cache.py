"""A process-wide memo of parsed TMDB facts (pure).

`tmdb_movies` is a global cache of TMDB data, shared by every session and only ever replaced
by a re-fetch (which moves `fetched_at`). Decoding its JSON is most of the cost of a /stats
call, so parsed facts are kept here, keyed by TMDB id and valid for one `fetched_at`.
"""

from __future__ import annotations

from datetime import datetime

from cachetools import LRUCache

from letterboxd_stats.stats.rows import TmdbFacts


class FactsCache:
    """At most `max_size` films' facts, least recently used first out (cachetools)."""

    def __init__(self, max_size: int = 50_000) -> None:
        self._items: LRUCache[int, tuple[datetime, TmdbFacts]] = LRUCache(max_size)

    def get(self, tmdb_id: int, fetched_at: datetime) -> TmdbFacts | None:
        item = self._items.get(tmdb_id)
        if item is None or item[0] != fetched_at:
            return None
        return item[1]

    def put(self, fetched_at: datetime, facts: TmdbFacts) -> None:
        self._items[facts.tmdb_id] = (fetched_at, facts)

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        self._items.clear()


FACTS = FactsCache()
