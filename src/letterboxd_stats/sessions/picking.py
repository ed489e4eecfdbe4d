"""Fixing a match by hand: search TMDB for candidates, pick one. Both ask TMDB on a user's
behalf: they are counted against the session's and the client's allowance (`limits`), draw on
the users' share of the TMDB budget, and hold no database connection while TMDB answers."""

from __future__ import annotations

from letterboxd_stats.db import SessionMaker, session_scope
from letterboxd_stats.enrich import repository as enrich_repository
from letterboxd_stats.errors import InvalidSearch, MovieNotFound
from letterboxd_stats.sessions import repository, views
from letterboxd_stats.sessions.limits import UserLimits
from letterboxd_stats.sessions.lookups import TmdbLookups
from letterboxd_stats.sessions.schemas import Movie, TmdbSearchResults
from letterboxd_stats.sessions.service import load, parse_session_id


async def search(
    sessionmaker: SessionMaker,
    lookups: TmdbLookups,
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
    found = await lookups.search(query.strip(), year)
    return TmdbSearchResults(results=[views.candidate(item) for item in found[:20]])


async def choose(
    sessionmaker: SessionMaker,
    lookups: TmdbLookups,
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
    row = await lookups.chosen_movie(tmdb_id, known=known)
    async with session_scope(sessionmaker) as db:
        if row is not None:
            await enrich_repository.upsert_movies(db, [row])
        # the session (or the film) may have been deleted while TMDB answered
        if not await enrich_repository.choose_film(db, session.id, movie_id, tmdb_id):
            await load(db, raw_id)
            raise MovieNotFound(f"this session has no movie {movie_id}")
        rows = await repository.film_page(db, session.id, limit=1, offset=movie_id - 1)
        return views.movie(*rows[0])
