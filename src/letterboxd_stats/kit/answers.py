"""Computed JSON answers kept in memory, bounded in bytes (not in entries: one answer can be
a few hundred bytes or a few hundred kilobytes): /stats answers, comparisons.

An answer is the JSON text of one key (a session and a year; two libraries), valid for one
version of what it was computed from (the sessions' `updated_at`); the least recently used
answers go first once the bound is reached, and an answer larger than the whole bound is not
kept at all.
"""

from __future__ import annotations

import sys
from collections.abc import Hashable

from cachetools import LRUCache

# Memory of one entry besides its text: the key, its UUID, the version, the tuples, the
# cache's own bookkeeping (measured with sys.getsizeof, rounded up).
ENTRY_OVERHEAD_BYTES = 512


def _size(item: tuple[Hashable, str]) -> int:
    return sys.getsizeof(item[1]) + ENTRY_OVERHEAD_BYTES


class Answers:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: LRUCache[Hashable, tuple[Hashable, str]] = LRUCache(
            maxsize=max_bytes, getsizeof=_size
        )

    def get(self, key: Hashable, version: Hashable) -> str | None:
        item = self._items.get(key)
        return item[1] if item is not None and item[0] == version else None

    def put(self, key: Hashable, version: Hashable, answer: str) -> None:
        self._items.pop(key, None)
        if _size((version, answer)) <= self.max_bytes:
            self._items[key] = (version, answer)

    @property
    def bytes(self) -> int:
        """What the kept answers take, by the measure the bound applies to."""
        return int(self._items.currsize)

    def __len__(self) -> int:
        return len(self._items)
