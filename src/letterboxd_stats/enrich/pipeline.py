"""Match and fetch films for the enrichment jobs of a process: a queue of films, one worker
per allowed TMDB connection (the client's limiter, not fixed batches, sets the pace), the
match and the metadata of one film, and single-flight calls, so that concurrent jobs share
in-flight requests. Results go to the job's writer (`writes`)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import structlog
from cachetools import LRUCache

from letterboxd_stats.db import PatientUnits
from letterboxd_stats.enrich import repository
from letterboxd_stats.enrich.repository import FilmResult, KnownMatch, PendingFilm
from letterboxd_stats.enrich.writes import Record, Writer, Writes
from letterboxd_stats.kit.single_flight import SingleFlight
from letterboxd_stats.models import MatchStatus
from letterboxd_stats.tmdb import matching
from letterboxd_stats.tmdb.client import TmdbAuthError, TmdbClient, TmdbError, TmdbNotFound
from letterboxd_stats.tmdb.decision import MatchDecision
from letterboxd_stats.tmdb.metadata import MovieRow, movie_row
from letterboxd_stats.tmdb.schemas import SearchResult

log = structlog.get_logger(__name__)

MOVIES_KEPT = 256


class Pipeline:
    """One per process (its single-flight calls span every job); `enrich_all` runs one
    job's films to the end."""

    def __init__(
        self, client: TmdbClient, in_db: PatientUnits, writer: Writer, *, workers: int
    ) -> None:
        self._client = client
        self._in_db = in_db
        self._writer = writer
        self._workers = workers
        self._matches = SingleFlight()
        # A fetched film's row is kept only until its writer has stored it (a batch or two:
        # then `_fetch` finds it in the database): 10,000 kept rows, each with its cast and
        # crew, were ~190 MiB of the app while it enriched a 10,000-film library.
        self._movies = SingleFlight(LRUCache(MOVIES_KEPT))

    async def preload(self, films: list[PendingFilm]) -> dict[str, MatchDecision]:
        """Matches already known (global cache), so that warm films cost no request."""
        keys = {matching.match_key(f.title, f.year) for f in films}
        return await self._in_db("matches.cached", lambda db: repository.cached_matches(db, keys))

    async def enrich_all(
        self,
        session_id: uuid.UUID,
        films: list[PendingFilm],
        cached: dict[str, MatchDecision],
        record: Record,
    ) -> None:
        todo: asyncio.Queue[PendingFilm] = asyncio.Queue()
        for film in films:
            todo.put_nowait(film)
        writes = Writes()
        writer = asyncio.create_task(self._writer.run(session_id, writes, record))
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
        self, todo: asyncio.Queue[PendingFilm], cached: dict[str, MatchDecision], writes: Writes
    ) -> None:
        while True:
            try:
                film = todo.get_nowait()
            except asyncio.QueueEmpty:
                return
            writes.add(await self._enrich_film(film, cached, writes))

    async def _enrich_film(
        self, film: PendingFilm, cached: dict[str, MatchDecision], writes: Writes
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
        if await self._in_db("movies.known", lambda db: repository.known_movie_ids(db, [tmdb_id])):
            return None
        return movie_row(await self._client.movie(tmdb_id), datetime.now(UTC))


def _unasked(film: PendingFilm, status: MatchStatus, exc: TmdbError) -> FilmResult:
    """A film TMDB could not tell us about: no film, no confidence, the reason."""
    return FilmResult(film.film_no, MatchDecision(None, None, None, status, str(exc)))
