"""The batch writer of one enrichment job: what the workers learn (film results, matches,
metadata) waits here, and one writer stores it in small batches, each in one transaction
with the counters (`record`)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.db import PatientUnits
from letterboxd_stats.enrich import repository
from letterboxd_stats.enrich.repository import FilmResult, KnownMatch
from letterboxd_stats.tmdb.metadata import MovieRow

log = structlog.get_logger(__name__)

Record = Callable[[AsyncSession, uuid.UUID, Sequence[FilmResult]], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Writer:
    """Stores a job's `Writes` until they are closed and empty: a batch when `write_batch`
    results wait or `write_interval` seconds have passed."""

    in_db: PatientUnits
    write_batch: int
    write_interval: float
    on_stored: Callable[[int], None]  # told how many film results were stored

    async def run(self, session_id: uuid.UUID, writes: Writes, record: Record) -> None:
        while True:
            closed = await writes.wait(self.write_batch, self.write_interval)
            batch = writes.take()
            if batch.results or batch.matches or batch.movies:

                async def write(db: AsyncSession, batch: Batch = batch) -> None:
                    await repository.upsert_movies(db, batch.movies)
                    await repository.upsert_matches(db, batch.matches)
                    await record(db, session_id, batch.results)

                await self.in_db("results.write", write)  # idempotent: only pending films
                self.on_stored(len(batch.results))
                log.debug("enrich.progress", written=len(batch.results))
            if closed and writes.empty:
                return


@dataclass(slots=True)
class Batch:
    results: list[FilmResult]
    matches: list[KnownMatch]
    movies: list[MovieRow]


class Writes:
    """What the workers have learnt and the writer has not stored yet."""

    def __init__(self) -> None:
        self._batch = Batch([], [], [])
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

    def take(self) -> Batch:
        batch, self._batch = self._batch, Batch([], [], [])
        # one row per TMDB entry per batch: a movie and a series may share a number
        movies = {(row["kind"], row["tmdb_id"]): row for row in batch.movies}
        matches = {match.key: match for match in batch.matches}
        return Batch(batch.results, list(matches.values()), list(movies.values()))

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
