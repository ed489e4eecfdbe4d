"""Match and fetch films for the enrichment jobs of a process: a queue of films, one worker
per allowed TMDB connection (the client's limiter, not fixed batches, sets the pace), the
match and the metadata of one film, and single-flight calls, so that concurrent jobs share
in-flight requests. Results go to the job's writer (`writes`)."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog

from letterboxd_stats.db import PatientUnits
from letterboxd_stats.enrich import repository
from letterboxd_stats.enrich.repository import FilmResult, PendingFilm
from letterboxd_stats.enrich.writes import Record, Writer, Writes
from letterboxd_stats.kit.single_flight import SingleFlight
from letterboxd_stats.models import MatchStatus
from letterboxd_stats.tmdb import matching
from letterboxd_stats.tmdb.client import TmdbAuthError, TmdbClient, TmdbError, TmdbNotFound
from letterboxd_stats.tmdb.metadata import movie_row

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Decision:
    """A match decision as cached globally (from `matching.decide` or `tmdb_matches`)."""

    tmdb_id: int | None
    status: MatchStatus
    confidence: float | None
    method: str
    reason: str | None


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
        self._movies = SingleFlight()

    async def preload(self, films: list[PendingFilm]) -> dict[str, Decision]:
        """Matches already known (global cache), so that warm films cost no request."""
        keys = {matching.match_key(f.title, f.year) for f in films}
        rows = await self._in_db("matches.cached", lambda db: repository.cached_matches(db, keys))
        return {
            key: Decision(row.tmdb_id, row.status, row.confidence, row.method, row.reason)
            for key, row in rows.items()
        }

    async def enrich_all(
        self,
        session_id: uuid.UUID,
        films: list[PendingFilm],
        cached: dict[str, Decision],
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
        self, todo: asyncio.Queue[PendingFilm], cached: dict[str, Decision], writes: Writes
    ) -> None:
        while True:
            try:
                film = todo.get_nowait()
            except asyncio.QueueEmpty:
                return
            writes.add(await self._enrich_film(film, cached, writes))

    async def _enrich_film(
        self, film: PendingFilm, cached: dict[str, Decision], writes: Writes
    ) -> FilmResult:
        key = matching.match_key(film.title, film.year)
        try:
            known = cached.get(key)
            if known is None:
                flight: tuple[Decision, dict[str, Any]] = await self._matches.run(
                    key, lambda: self._match(key, film)
                )
                decision, match_row = flight
                writes.match(match_row)  # every session stores what it used (idempotent)
            else:
                decision = known
            if decision.tmdb_id is None:
                return _result(film, decision)
            tmdb_id = decision.tmdb_id
            movie = await self._movies.run(tmdb_id, lambda: self._fetch(tmdb_id))
            if movie is not None:
                writes.movie(movie)
            return _result(film, decision)
        except TmdbAuthError:
            raise
        except TmdbNotFound as exc:
            return FilmResult(film.film_no, MatchStatus.unmatched, None, None, None, str(exc))
        except TmdbError as exc:
            log.info("enrich.film_failed", film_no=film.film_no, reason=str(exc))
            return FilmResult(film.film_no, MatchStatus.failed, None, None, None, str(exc))

    async def _match(self, key: str, film: PendingFilm) -> tuple[Decision, dict[str, Any]]:
        seen: list[tuple[matching.SearchStep, dict[str, Any]]] = []
        result = None
        for step in matching.search_ladder(film.year):
            for item in await self._client.search_movie(film.title, step.params):
                seen.append((step, item))
            result = matching.decide(film.title, film.year, seen)
            if matching.is_final(result):
                break
        assert result is not None
        decision = Decision(
            tmdb_id=result.tmdb_id,
            status=MatchStatus(result.status),
            confidence=result.confidence,
            method=result.method,
            reason=result.reason,
        )
        return decision, (
            {
                "match_key": key,
                "title": film.title,
                "year": film.year,
                "tmdb_id": decision.tmdb_id,
                "confidence": decision.confidence,
                "method": decision.method,
                "status": decision.status,
                "reason": decision.reason,
                "matched_at": datetime.now(UTC),
            }
        )

    async def _fetch(self, tmdb_id: int) -> dict[str, Any] | None:
        """Metadata of a matched id to store, or None when the database has it already."""
        if await self._in_db("movies.known", lambda db: repository.known_movie_ids(db, [tmdb_id])):
            return None
        return movie_row(await self._client.movie(tmdb_id), datetime.now(UTC))


def _result(film: PendingFilm, decision: Decision) -> FilmResult:
    return FilmResult(
        film.film_no,
        decision.status,
        decision.tmdb_id,
        decision.confidence,
        decision.method,
        decision.reason,
    )
