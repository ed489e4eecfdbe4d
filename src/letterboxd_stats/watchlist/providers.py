"""Where the watchlist's films can be watched, kept fresh: TMDB's `watch/providers` (JustWatch's
data) come appended to the details the enrichment fetches; a film whose details were cached
before, or whose offers are older than `max_age` (7 days), is asked for alone
(`GET /{kind}/{id}/watch/providers`) through the shared TMDB budget, in the background: as
the enrichment job's last steps, and when the watchlist is opened. One refresh per library at a
time per process; an answer is stored as it comes (a film TMDB does not know is stored as
offered nowhere, so that it is not asked again before `max_age`)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import structlog

from letterboxd_stats.db import SessionMaker, session_scope, whole_unit
from letterboxd_stats.enrich.repository import store_offers
from letterboxd_stats.kit.workers import run_all
from letterboxd_stats.logging import short_id
from letterboxd_stats.tmdb.client import TmdbAuthError, TmdbClient, TmdbError, TmdbNotFound
from letterboxd_stats.tmdb.decision import TmdbKind
from letterboxd_stats.tmdb.schemas import WatchProviders
from letterboxd_stats.watchlist import repository

log = structlog.get_logger(__name__)

MAX_AGE = timedelta(days=7)
WORKERS = 8  # requests in flight per refresh (the shared limiter sets the pace)
BATCH = 50  # answers stored per transaction


class ProviderRefresher:
    def __init__(
        self,
        sessionmaker: SessionMaker,
        client: TmdbClient | None,
        *,
        max_age: timedelta = MAX_AGE,
        workers: int = WORKERS,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._client = client
        self._max_age = max_age
        self._workers = workers
        self._tasks: dict[uuid.UUID, asyncio.Task[int]] = {}

    @property
    def enabled(self) -> bool:
        return self._client is not None

    def stale_before(self) -> datetime:
        return datetime.now(UTC) - self._max_age

    def request(self, session_id: uuid.UUID) -> None:
        """Refresh the library's stale offers soon (in the background); already under way:
        nothing."""
        if self._client is not None and session_id not in self._tasks:
            task = asyncio.create_task(self.refresh(session_id))
            self._tasks[session_id] = task
            task.add_done_callback(lambda _: self._tasks.pop(session_id, None))

    def refreshing(self, session_id: uuid.UUID) -> bool:
        return session_id in self._tasks

    async def wait_idle(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    async def stop(self, patience: float = 5.0) -> None:
        """Let the refreshes under way end (what they store is kept), then cancel what is left:
        the rest is asked for again next time."""
        if self._tasks:
            await asyncio.wait(list(self._tasks.values()), timeout=patience)
        for task in list(self._tasks.values()):
            task.cancel()
        await self.wait_idle()

    async def refresh(self, session_id: uuid.UUID) -> int:
        """Fetch and store the offers of the library's films that have none or stale ones;
        how many were stored. Never raises but a cancellation: TMDB or the database failing
        leaves the rest for the next time."""
        client = self._client
        if client is None:
            return 0
        try:
            async with session_scope(self._sessionmaker) as db:
                stale = await repository.stale_offers(
                    await db.connection(), session_id, self.stale_before()
                )
            if not stale:
                return 0
            log.info("providers.refresh", session=short_id(session_id), films=len(stale))
            return await self._fetch_all(client, stale)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the database away, TMDB refusing the key: next time
            log.warning("providers.failed", session=short_id(session_id), error=type(exc).__name__)
            return 0

    async def _fetch_all(self, client: TmdbClient, films: list[tuple[TmdbKind, int]]) -> int:
        todo: asyncio.Queue[tuple[TmdbKind, int]] = asyncio.Queue()
        for film in films:
            todo.put_nowait(film)
        answers: list[tuple[TmdbKind, int, WatchProviders, datetime]] = []
        stored = 0

        async def flush() -> None:
            nonlocal stored
            batch, answers[:] = list(answers), []
            if batch:
                await whole_unit(self._sessionmaker, lambda db: store_offers(db, batch))
                stored += len(batch)

        async def worker() -> None:
            while not todo.empty():
                kind, tmdb_id = todo.get_nowait()
                try:
                    providers = await client.watch_providers(kind, tmdb_id)
                except TmdbNotFound:
                    providers = WatchProviders()  # TMDB no longer knows it: offered nowhere
                except TmdbAuthError:
                    raise
                except TmdbError as exc:
                    log.info("providers.film_failed", tmdb_id=tmdb_id, reason=str(exc))
                    continue
                answers.append((kind, tmdb_id, providers, datetime.now(UTC)))
                if len(answers) >= BATCH:
                    await flush()

        await run_all(worker() for _ in range(min(self._workers, len(films))))
        await flush()
        return stored
