"""The enrichment job of one session: match every pending film to TMDB, store its metadata,
move the counters. It takes a session id and opens its own database sessions.

* Durable: a film's result is written (with the counters, in one transaction) a fraction of a
  second after it is known; a restarted job loads only the films still `pending`.
* Fast: one worker per allowed connection pulls films from a queue; the client's limiter, not
  fixed batches, sets the pace. Writes are batched by a single writer per job.
* Cheap: matches (by normalised title + year) and metadata (by TMDB id) are global caches, so a
  film known from any earlier upload costs no request. Concurrent jobs share in-flight requests.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

import structlog
from cachetools import TTLCache
from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.db import (
    SessionMaker,
    disk_full,
    patiently,
    session_scope,
    worth_retrying,
)
from letterboxd_stats.enrich import repository
from letterboxd_stats.enrich.repository import FilmResult, KnownMatch, PendingFilm
from letterboxd_stats.kit.single_flight import Forgetful, SingleFlight
from letterboxd_stats.logging import short_id
from letterboxd_stats.models import MatchStatus, SessionStatus
from letterboxd_stats.tmdb import matching
from letterboxd_stats.tmdb.client import (
    TmdbAuthError,
    TmdbClient,
    TmdbError,
    TmdbNotConfigured,
    TmdbNotFound,
)
from letterboxd_stats.tmdb.decision import MatchDecision
from letterboxd_stats.tmdb.metadata import MovieRow, movie_row
from letterboxd_stats.tmdb.schemas import SearchResult

log = structlog.get_logger(__name__)

DISABLED_NOTICE = (
    "TMDB enrichment is disabled: set TMDB_API_KEY or TMDB_BEARER_TOKEN. "
    "Your export is imported; statistics from the CSV files are available."
)
T = TypeVar("T")
Record = Callable[[AsyncSession, uuid.UUID, Sequence[FilmResult]], Awaitable[None]]


class Enricher:
    def __init__(
        self,
        sessionmaker: SessionMaker,
        client: TmdbClient | None,
        *,
        workers: int = 20,
        write_batch: int = 50,
        write_interval: float = 0.25,
        db_patience: float = 600.0,
        on_stored: Callable[[int], None] | None = None,  # told how many film results were stored
        search_cache_seconds: float = 300.0,
    ) -> None:
        self._on_stored = on_stored or (lambda _count: None)
        self._sessionmaker = sessionmaker
        self._client = client
        self._workers = workers
        self._write_batch = write_batch
        self._write_interval = write_interval
        self._db_patience = db_patience
        self._matches = SingleFlight()
        self._movies = SingleFlight()
        # Users' searches: the same question within a few minutes is answered from memory.
        self._searches = SingleFlight(
            TTLCache(2_000, search_cache_seconds) if search_cache_seconds > 0 else Forgetful()
        )

    async def run(self, session_id: uuid.UUID) -> None:
        structlog.contextvars.clear_contextvars()  # a task starts with a copy of its creator's

        async def begin(db: AsyncSession) -> tuple[bool, str] | None:
            session = await repository.get_session(db, session_id)
            if session is None or session.status in (SessionStatus.failed, SessionStatus.cancelled):
                return None
            library_done = session.status is SessionStatus.completed
            if not library_done:
                await repository.set_status(db, session_id, SessionStatus.enriching)
            return library_done, session.trace_id or uuid.uuid4().hex[:16]

        begun = await self._in_db("job.start", begin)
        if begun is None:
            return
        library_done, trace_id = begun
        with structlog.contextvars.bound_contextvars(
            session_id=short_id(session_id), trace_id=trace_id
        ):
            if not library_done:
                library_done = await self._library(session_id)
            if library_done and self._client is not None:
                await self._watchlist(session_id)

    async def _watchlist(self, session_id: uuid.UUID) -> None:
        """After the library (the session is already `completed`), the watchlist's films."""
        try:
            entries = await self._in_db(
                "watchlist.pending", lambda db: repository.pending_watchlist(db, session_id)
            )
            if not entries:
                return
            log.info("enrich.watchlist", pending=len(entries))
            cached = await self._preload(entries)
            await self._enrich_all(session_id, entries, cached, repository.record_watchlist_results)
        except asyncio.CancelledError:
            raise
        except Exception:  # the library is complete; the watchlist is retried on next start
            log.exception("enrich.watchlist_failed")

    async def _library(self, session_id: uuid.UUID) -> bool:
        """The library's films; True when the session completed."""
        if self._client is None:
            log.warning("enrich.disabled")
            await self._finish(session_id, SessionStatus.completed, DISABLED_NOTICE)
            return True
        try:
            films = await self._in_db(
                "films.pending", lambda db: repository.pending_films(db, session_id)
            )
            log.info("enrich.start", pending=len(films))
            cached = await self._preload(films)
            await self._enrich_all(session_id, films, cached, repository.record_results)
        except TmdbAuthError as exc:
            log.error("enrich.auth_failed")
            await self._finish(session_id, SessionStatus.failed, str(exc))
            return False
        except asyncio.CancelledError:
            log.info("enrich.interrupted")  # state is in the database; resumed on next start
            raise
        except Exception as exc:
            if worth_retrying(exc):  # away, busy or full beyond our patience: resumed on next start
                gone = "enrich.disk_full" if disk_full(exc) else "enrich.database_gone"
                log.error(gone, error=type(exc).__name__)
                return False
            log.exception("enrich.failed")
            await self._finish(
                session_id, SessionStatus.failed, f"enrichment stopped: {type(exc).__name__}"
            )
            return False
        await self._finish(session_id, SessionStatus.completed, None)
        log.info("enrich.done")
        return True

    async def _finish(
        self, session_id: uuid.UUID, status: SessionStatus, message: str | None
    ) -> None:
        await self._in_db(
            "job.finish",
            lambda db: repository.set_status(db, session_id, status, error_message=message),
        )

    async def _preload(self, films: list[PendingFilm]) -> dict[str, MatchDecision]:
        """Matches already known (global cache), so that warm films cost no request."""
        keys = {matching.match_key(f.title, f.year) for f in films}
        return await self._in_db("matches.cached", lambda db: repository.cached_matches(db, keys))

    async def _enrich_all(
        self,
        session_id: uuid.UUID,
        films: list[PendingFilm],
        cached: dict[str, MatchDecision],
        record: Record,
    ) -> None:
        todo: asyncio.Queue[PendingFilm] = asyncio.Queue()
        for film in films:
            todo.put_nowait(film)
        writes = _Writes()
        writer = asyncio.create_task(self._writer(session_id, writes, record))
        workers = [
            asyncio.create_task(self._worker(todo, cached, writes))
            for _ in range(min(self._workers, len(films)))
        ]
        try:
            await asyncio.gather(*workers)
        except BaseException:
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            writes.close()
            await asyncio.gather(writer, return_exceptions=True)  # keep what is known
            raise
        writes.close()
        await writer

    async def _worker(
        self, todo: asyncio.Queue[PendingFilm], cached: dict[str, MatchDecision], writes: _Writes
    ) -> None:
        while True:
            try:
                film = todo.get_nowait()
            except asyncio.QueueEmpty:
                return
            writes.add(await self._enrich_film(film, cached, writes))

    async def _enrich_film(
        self, film: PendingFilm, cached: dict[str, MatchDecision], writes: _Writes
    ) -> FilmResult:
        key = matching.match_key(film.title, film.year)
        try:
            known = cached.get(key)
            if known is None:
                match: KnownMatch = await self._matches.run(key, lambda: self._match(key, film))
                writes.match(match)  # every session stores what it used (idempotent)
                decision = match.decision
            else:
                decision = known
            if decision.tmdb_id is None:
                return FilmResult(film.film_no, decision)
            tmdb_id = decision.tmdb_id
            movie = await self._movies.run(tmdb_id, lambda: self._fetch(tmdb_id))
            if movie is not None:
                writes.movie(movie)
            return FilmResult(film.film_no, decision)
        except TmdbAuthError:
            raise
        except TmdbNotFound as exc:
            return _unasked(film, MatchStatus.unmatched, exc)
        except TmdbError as exc:
            log.info("enrich.film_failed", film_no=film.film_no, reason=str(exc))
            return _unasked(film, MatchStatus.failed, exc)

    async def _match(self, key: str, film: PendingFilm) -> KnownMatch:
        assert self._client is not None
        seen: list[tuple[matching.SearchStep, SearchResult]] = []
        result = None
        for step in matching.search_ladder(film.year):
            for item in await self._client.search_movie(film.title, step.params):
                seen.append((step, item))
            result = matching.decide(film.title, film.year, seen)
            if matching.is_final(result):
                break
        assert result is not None
        return KnownMatch(key, film.title, film.year, result, datetime.now(UTC))

    async def _fetch(self, tmdb_id: int) -> MovieRow | None:
        """Metadata of a matched id to store, or None when the database has it already."""
        assert self._client is not None
        if await self._in_db("movies.known", lambda db: repository.known_movie_ids(db, [tmdb_id])):
            return None
        return movie_row(await self._client.movie(tmdb_id), datetime.now(UTC))

    async def _writer(self, session_id: uuid.UUID, writes: _Writes, record: Record) -> None:
        while True:
            closed = await writes.wait(self._write_batch, self._write_interval)
            batch = writes.take()
            if batch.results or batch.matches or batch.movies:

                async def write(db: AsyncSession, batch: _Batch = batch) -> None:
                    await repository.upsert_movies(db, batch.movies)
                    await repository.upsert_matches(db, batch.matches)
                    await record(db, session_id, batch.results)

                await self._in_db("results.write", write)  # idempotent: only pending films
                self._on_stored(len(batch.results))
                log.debug("enrich.progress", written=len(batch.results))
            if closed and writes.empty:
                return

    async def _in_db(self, what: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """One unit of work; while the database is away (a restart), wait for it to return."""

        async def once() -> T:
            async with session_scope(self._sessionmaker) as db:
                return await work(db)

        return await patiently(once, patience=self._db_patience, what=what)

    async def search(self, query: str, year: int | None) -> list[SearchResult]:
        """TMDB's search, for a user choosing a film by hand: the users' share of the budget;
        the same search (case and spacing aside) within `search_cache_seconds` is not sent
        again, and identical searches at the same moment share one request."""
        client = self._client
        if client is None:
            raise TmdbNotConfigured(DISABLED_NOTICE)
        params = {"year": year} if year else {}
        key = (" ".join(query.split()).casefold(), year)
        found: list[SearchResult] = await self._searches.run(
            key, lambda: client.search_movie(" ".join(query.split()), params, user=True)
        )
        return found

    async def movie_for_override(self, tmdb_id: int, *, known: bool) -> MovieRow | None:
        """A user picked this film: re-fetch it (fresh metadata); without TMDB, a film already
        in the cache will do (None: keep the cached row)."""
        if self._client is None:
            if known:
                return None
            raise TmdbNotConfigured(DISABLED_NOTICE)
        return movie_row(await self._client.movie(tmdb_id, user=True), datetime.now(UTC))


def _unasked(film: PendingFilm, status: MatchStatus, exc: TmdbError) -> FilmResult:
    """A film TMDB could not tell us about: no film, no confidence, the reason."""
    return FilmResult(film.film_no, MatchDecision(None, None, None, status, str(exc)))


@dataclass(slots=True)
class _Batch:
    results: list[FilmResult]
    matches: list[KnownMatch]
    movies: list[MovieRow]


class _Writes:
    """What the workers have learnt and the writer has not stored yet."""

    def __init__(self) -> None:
        self._batch = _Batch([], [], [])
        self._changed = asyncio.Event()
        self._closed = False

    def add(self, result: FilmResult) -> None:
        self._batch.results.append(result)
        self._changed.set()

    def match(self, match: KnownMatch) -> None:
        self._batch.matches.append(match)

    def movie(self, row: MovieRow) -> None:
        self._batch.movies.append(row)

    def close(self) -> None:
        self._closed = True
        self._changed.set()

    @property
    def empty(self) -> bool:
        return not (self._batch.results or self._batch.matches or self._batch.movies)

    def take(self) -> _Batch:
        batch, self._batch = self._batch, _Batch([], [], [])
        movies = {row["tmdb_id"]: row for row in batch.movies}  # one row per id per batch
        matches = {match.key: match for match in batch.matches}
        return _Batch(batch.results, list(matches.values()), list(movies.values()))

    async def wait(self, size: int, interval: float) -> bool:
        """Until `size` results are waiting, `interval` has passed, or the job is closing."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + interval
        while not self._closed and len(self._batch.results) < size:
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                break
        return self._closed
