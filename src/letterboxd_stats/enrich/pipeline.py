"""Match and fetch films for the enrichment jobs of a process: a queue of films, one worker
per allowed TMDB connection (the client's limiter, not fixed batches, sets the pace), the
match and the metadata of one film, and single-flight calls, so that concurrent jobs share
in-flight requests. Results go to the job's writer (`writes`)."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from datetime import UTC, datetime

import structlog
from cachetools import LRUCache

from letterboxd_stats.db import PatientUnits
from letterboxd_stats.enrich import repository
from letterboxd_stats.enrich.repository import FilmResult, KnownMatch, PendingFilm
from letterboxd_stats.enrich.writes import Record, Writer, Writes
from letterboxd_stats.ingest.uris import film_key
from letterboxd_stats.kit.single_flight import SingleFlight
from letterboxd_stats.kit.workers import run_all
from letterboxd_stats.models import MatchStatus
from letterboxd_stats.tmdb import matching
from letterboxd_stats.tmdb.client import TmdbAuthError, TmdbClient, TmdbError, TmdbNotFound
from letterboxd_stats.tmdb.decision import MatchDecision, TmdbKind
from letterboxd_stats.tmdb.metadata import MovieRow, movie_row, tv_row
from letterboxd_stats.tmdb.schemas import SearchResult

log = structlog.get_logger(__name__)

MOVIES_KEPT = 256


class Pipeline:
    """One per process (its single-flight calls span every job); `enrich_all` runs one
    job's films to the end."""

    def __init__(
        self,
        client: TmdbClient,
        in_db: PatientUnits,
        writer: Writer,
        *,
        workers: int,
        search_tv: bool = True,
        fix_quorum: int = 0,
    ) -> None:
        self._client = client
        self._in_db = in_db
        self._writer = writer
        self._workers = workers
        self._search_tv = search_tv
        self._fix_quorum = fix_quorum
        self._matches = SingleFlight()
        # A fetched film's row is kept only until its writer has stored it (a batch or two:
        # then `_fetch` finds it in the database): 10,000 kept rows, each with its cast and
        # crew, were ~190 MiB of the app while it enriched a 10,000-film library.
        self._movies = SingleFlight(LRUCache(MOVIES_KEPT))

    async def preload(self, films: list[PendingFilm]) -> dict[str, MatchDecision]:
        """Matches already known, so that warm films cost no request: the global cache's, and
        above them the community's (a film that `fix_quorum` libraries fixed to one TMDB
        entry gets that entry, method `community`)."""
        keys = {_key(f) for f in films}
        cached = await self._in_db("matches.cached", lambda db: repository.cached_matches(db, keys))
        if self._fix_quorum:
            film_keys = {k for f in films if (k := film_key(f.letterboxd_uri)) is not None}
            agreed = await self._in_db(
                "matches.community",
                lambda db: repository.community_matches(db, film_keys, self._fix_quorum),
            )
            for key, (kind, tmdb_id) in agreed.items():
                decision = MatchDecision(tmdb_id, 1.0, "community", MatchStatus.matched, None, kind)
                cached[matching.film_match_key(key, "", None)] = decision
        return cached

    async def enrich_all(
        self,
        session_id: uuid.UUID,
        films: list[PendingFilm],
        cached: dict[str, MatchDecision],
        record: Record,
        *,
        providers: bool = False,
    ) -> None:
        """`providers`: the films' details come with where they stream (a watchlist's)."""
        todo: asyncio.Queue[PendingFilm] = asyncio.Queue()
        for film in films:
            todo.put_nowait(film)
        writes = Writes()
        writer = asyncio.create_task(self._writer.run(session_id, writes, record))
        try:
            await run_all(
                self._worker(todo, cached, writes, providers)
                for _ in range(min(self._workers, len(films)))
            )
        except BaseException:
            writes.close()
            await asyncio.gather(writer, return_exceptions=True)  # keep what is known
            raise
        writes.close()
        await writer

    async def _worker(
        self,
        todo: asyncio.Queue[PendingFilm],
        cached: dict[str, MatchDecision],
        writes: Writes,
        providers: bool,
    ) -> None:
        while True:
            try:
                film = todo.get_nowait()
            except asyncio.QueueEmpty:
                return
            writes.add(await self._enrich_film(film, cached, writes, providers))

    async def _enrich_film(
        self,
        film: PendingFilm,
        cached: dict[str, MatchDecision],
        writes: Writes,
        providers: bool = False,
    ) -> FilmResult:
        key = _key(film)
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
            entry = (decision.kind, decision.tmdb_id)
            movie = await self._movies.run(entry, lambda: self._fetch(*entry, providers))
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
        """The movie searches; when they end without a confident match, the TV searches
        (Letterboxd lists some miniseries and specials), whose better answer wins."""
        decision = await self._match_movie(film)
        if self._search_tv and not matching.is_final(decision):
            decision = _better(decision, await self._match_series(film))
        return KnownMatch(key, film.title, film.year, decision, datetime.now(UTC))

    async def _match_movie(self, film: PendingFilm) -> MatchDecision:
        seen: list[tuple[matching.SearchStep, SearchResult]] = []
        result = None
        for step in matching.search_ladder(film.year):
            for item in await self._client.search_movie(film.title, step.params):
                seen.append((step, item))
            result = matching.decide(film.title, film.year, seen)
            if matching.is_final(result):
                break
        assert result is not None
        return result

    async def _match_series(self, film: PendingFilm) -> MatchDecision | None:
        """The best series for the film, or None when TMDB could not be asked (the movie
        decision stands: a film never fails for want of a TV answer)."""
        seen: list[tuple[matching.SearchStep, SearchResult]] = []
        try:
            for step in matching.tv_search_ladder(film.year):
                found = await self._client.search_tv(film.title, step.params)
                seen += [(step, item.as_search_result()) for item in found]
                if seen:
                    break
        except TmdbAuthError:
            raise
        except TmdbError as exc:
            log.info("enrich.tv_search_failed", film_no=film.film_no, reason=str(exc))
            return None
        decision = matching.decide(film.title, film.year, seen)
        return replace(decision, kind=TmdbKind.tv) if decision.tmdb_id is not None else decision

    async def _fetch(self, kind: TmdbKind, tmdb_id: int, providers: bool) -> MovieRow | None:
        """Metadata of a matched id (a movie's or a series') to store, or None when the
        database has it already."""
        known = await self._in_db(
            "movies.known", lambda db: repository.known_movie_ids(db, [tmdb_id], kind)
        )
        if known:
            return None
        if kind is TmdbKind.tv:
            return tv_row(await self._client.tv(tmdb_id), datetime.now(UTC))
        return movie_row(await self._client.movie(tmdb_id, providers=providers), datetime.now(UTC))


def _key(film: PendingFilm) -> str:
    """The film's key in the global match cache: its Letterboxd link's, else title + year."""
    return matching.film_match_key(film_key(film.letterboxd_uri), film.title, film.year)


def _better(movie: MatchDecision, series: MatchDecision | None) -> MatchDecision:
    """The series when it is a confident match, or a more likely one than the movie (which
    the ladder did not accept); the movie otherwise."""
    if series is None or series.tmdb_id is None:
        return movie
    if matching.is_final(series) or movie.tmdb_id is None:
        return series
    return series if (series.confidence or 0.0) > (movie.confidence or 0.0) else movie


def _unasked(film: PendingFilm, status: MatchStatus, exc: TmdbError) -> FilmResult:
    """A film TMDB could not tell us about: no film, no confidence, the reason."""
    return FilmResult(film.film_no, MatchDecision(None, None, None, status, str(exc)))
