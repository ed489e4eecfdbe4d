"""TMDB posters for the cards: fetched once from TMDB's image host, then read from disk.

The files live in POSTER_CACHE_DIR, one per poster and size; their modification time is their
last use (touched on every read), and once the directory holds more than POSTER_CACHE_BYTES the
least recently used are deleted. A poster the host does not give (offline, an error, a
timeout of TMDB_IMAGE_TIMEOUT_SECONDS) is None: the card draws a text tile instead, and the
host is not asked for it again for a few minutes. Requests for one poster at once share one
fetch. The disk is best effort: a directory that cannot be written only means no cache."""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import structlog
from cachetools import TTLCache

log = structlog.get_logger(__name__)

POSTER_SIZE = "w342"  # TMDB's width: enough for a 290 px wide poster on the story card
FAILURE_MEMORY_SECONDS = 300.0
MAX_POSTER_BYTES = 5 * 1024 * 1024
# TMDB's image paths: "/kqjL17yufvn9OVLyXYpvtyrFfak.jpg"; anything else is not asked for.
_TMDB_PATH = re.compile(r"/[A-Za-z0-9_-]{1,100}\.(?:jpg|jpeg|png|webp)")


@dataclass(frozen=True, slots=True)
class PosterOptions:
    directory: Path
    max_bytes: int
    base_url: str
    timeout_seconds: float


class PosterCache:
    def __init__(self, http: httpx.AsyncClient, options: PosterOptions) -> None:
        self._http = http
        self._options = options
        self._fetching: dict[str, asyncio.Future[bytes | None]] = {}
        self._failed: TTLCache[str, bool] = TTLCache(maxsize=4096, ttl=FAILURE_MEMORY_SECONDS)

    async def get_many(self, poster_paths: Sequence[str | None]) -> list[bytes | None]:
        return list(await asyncio.gather(*(self.get(path) for path in poster_paths)))

    async def get(self, poster_path: str | None) -> bytes | None:
        """The poster's image file, or None."""
        if not poster_path or not _TMDB_PATH.fullmatch(poster_path):
            return None
        file = self._file(poster_path)
        cached = await asyncio.to_thread(_read, file)
        if cached is not None:
            return cached
        if poster_path in self._failed:
            return None
        running = self._fetching.get(poster_path)
        if running is not None:
            return await asyncio.shield(running)
        future: asyncio.Future[bytes | None] = asyncio.get_running_loop().create_future()
        self._fetching[poster_path] = future
        try:
            content = await self._fetch(poster_path)
            if content is None:
                self._failed[poster_path] = True
            else:
                await asyncio.to_thread(self._store, file, content)
            future.set_result(content)
            return content
        except BaseException:  # cancelled: the waiters get nothing, not a hang
            if not future.done():
                future.set_result(None)
            raise
        finally:
            del self._fetching[poster_path]

    def _file(self, poster_path: str) -> Path:
        return self._options.directory / f"{POSTER_SIZE}_{poster_path.lstrip('/')}"

    async def _fetch(self, poster_path: str) -> bytes | None:
        url = f"{self._options.base_url.rstrip('/')}/{POSTER_SIZE}{poster_path}"
        try:
            response = await self._http.get(
                url, headers={"Accept": "image/*"}, timeout=self._options.timeout_seconds
            )
        except httpx.HTTPError as exc:
            log.info("poster.unavailable", poster=poster_path, error=type(exc).__name__)
            return None
        if response.status_code != 200 or not response.content:
            log.info("poster.unavailable", poster=poster_path, status=response.status_code)
            return None
        if len(response.content) > MAX_POSTER_BYTES:
            return None
        return response.content

    def _store(self, file: Path, content: bytes) -> None:
        """Write the file (whole, or not at all), then delete the least recently used files
        beyond the bound. Disk errors are logged, never raised."""
        limit = self._options.max_bytes
        if len(content) > limit:
            return
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            part = file.with_name(f".{file.name}.{uuid.uuid4().hex}.part")
            part.write_bytes(content)
            os.replace(part, file)
            evict(file.parent, limit)
        except OSError as exc:
            log.warning("poster.cache_unwritable", directory=str(file.parent), error=str(exc))


def evict(directory: Path, max_bytes: int) -> None:
    """Delete the least recently used poster files until the directory holds `max_bytes`."""
    entries: list[tuple[float, int, Path]] = []
    for entry in os.scandir(directory):
        if entry.is_file() and not entry.name.startswith("."):
            stat = entry.stat()
            entries.append((stat.st_mtime, stat.st_size, Path(entry.path)))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= max_bytes:
            break
        path.unlink(missing_ok=True)
        total -= size


def _read(file: Path) -> bytes | None:
    """The file's bytes, marked as used now; None when it is not there."""
    try:
        content = file.read_bytes()
        os.utime(file)
    except OSError:
        return None
    return content
