"""Fixing a match by hand: search TMDB for candidates, pick one. Both ask TMDB on a user's
behalf: they are counted against the session's and the client's allowance (`limits`), draw on
the users' share of the TMDB budget, and hold no database connection while TMDB answers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from letterboxd_stats.db import SessionMaker, session_scope
from letterboxd_stats.enrich import repository as enrich_repository
from letterboxd_stats.enrich.job import Enricher
from letterboxd_stats.errors import (
    InvalidSearch,
    MovieNotFound,
    TmdbDisabled,
    TmdbFilmNotFound,
    TmdbUnavailable,
)
from letterboxd_stats.sessions import repository, views
from letterboxd_stats.sessions.limits import UserLimits
from letterboxd_stats.sessions.schemas import Movie, TmdbSearchResults
from letterboxd_stats.sessions.service import load, parse_session_id
from letterboxd_stats.tmdb.client import (
    TmdbAuthError,
    TmdbError,
    TmdbNotConfigured,
    TmdbNotFound,
)


@contextmanager
def tmdb_failures_for_users(tmdb_id: int | None = None) -> Iterator[None]:
    """The one translation of TMDB's failures (`tmdb.client`) into the errors a user is shown,
    for every lookup made on a user's behalf; `tmdb_id`: the film asked for, if any."""
    try:
        yield
    except TmdbNotConfigured as exc:
        raise TmdbDisabled(str(exc)) from None
    except TmdbNotFound:
        which = f"with id {tmdb_id}" if tmdb_id is not None else "of that kind"
        raise TmdbFilmNotFound(f"TMDB has no film {which}") from None
    except TmdbAuthError as exc:
        raise TmdbUnavailable(str(exc)) from None
    except TmdbError as exc:
        raise TmdbUnavailable(f"TMDB could not be asked: {exc}") from None


async def search(
    sessionmaker: SessionMaker,
    enricher: Enricher,
    limits: UserLimits,
    raw_id: str,
    client: str,
    query: str,
    year: int | None,
) -> TmdbSearchResults:
    """Candidates for a film the user is fixing (any session id that exists may ask). A
    lookup beyond the limits is refused before the database or TMDB is asked."""
    if not query.strip():
        raise InvalidSearch("query: the search is blank; type a film's title")
    limits.lookup(str(parse_session_id(raw_id)), client)  # refused before any work
    async with session_scope(sessionmaker) as db:
        await load(db, raw_id)
    with tmdb_failures_for_users():
        found = await enricher.search(query.strip(), year)
    return TmdbSearchResults(results=[views.candidate(item) for item in found[:20]])


async def choose(
    sessionmaker: SessionMaker,
    enricher: Enricher,
    limits: UserLimits,
    raw_id: str,
    client: str,
    movie_id: int,
    tmdb_id: int,
) -> Movie:
    """The user's pick for a film: fetched, stored, matched with confidence 1."""
    limits.lookup(str(parse_session_id(raw_id)), client)  # refused before any work
    async with session_scope(sessionmaker) as db:
        session = await load(db, raw_id)
        if not await repository.film_exists(db, session.id, movie_id):
            raise MovieNotFound(f"this session has no movie {movie_id}")
        known = bool(await enrich_repository.known_movie_ids(db, [tmdb_id]))
    with tmdb_failures_for_users(tmdb_id):
        row = await enricher.movie_for_override(tmdb_id, known=known)
    async with session_scope(sessionmaker) as db:
        if row is not None:
            await enrich_repository.upsert_movies(db, [row])
        # the session (or the film) may have been deleted while TMDB answered
        if not await enrich_repository.choose_film(db, session.id, movie_id, tmdb_id):
            await load(db, raw_id)
            raise MovieNotFound(f"this session has no movie {movie_id}")
        rows = await repository.film_page(db, session.id, limit=1, offset=movie_id - 1)
        return views.movie(*rows[0])
