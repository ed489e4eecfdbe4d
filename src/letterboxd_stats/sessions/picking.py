"""Fixing a match by hand: search TMDB for candidates, pick one. Both ask TMDB on a user's
behalf (`lookups`): they are counted against the session's and the client's allowance
(`limits`) before the database is asked, draw on the users' share of the TMDB budget, and hold
no database connection while TMDB answers (the request's unit of work is committed first)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.db import release_connection
from letterboxd_stats.enrich import repository as enrich_repository
from letterboxd_stats.errors import InvalidSearch, MovieNotFound
from letterboxd_stats.sessions import repository, views
from letterboxd_stats.sessions.limits import UserLimits
from letterboxd_stats.sessions.lookups import TmdbLookups
from letterboxd_stats.sessions.schemas import Movie, TmdbSearchResults
from letterboxd_stats.sessions.service import load
from letterboxd_stats.tmdb.decision import TmdbKind


async def search(
    db: AsyncSession,
    lookups: TmdbLookups,
    limits: UserLimits,
    session_id: uuid.UUID,
    client: str,
    query: str,
    year: int | None,
    kind: TmdbKind = TmdbKind.movie,
) -> TmdbSearchResults:
    """Candidates for a film the user is fixing (any session id that exists may ask). A
    lookup beyond the limits is refused before the database or TMDB is asked."""
    if not query.strip():
        raise InvalidSearch("query: the search is blank; type a film's title")
    limits.lookup(str(session_id), client)  # refused before any work
    await load(db, session_id)
    await release_connection(db)
    found = await lookups.search(query.strip(), year, kind)
    return TmdbSearchResults(results=[views.candidate(item, kind) for item in found[:20]])


async def choose(
    db: AsyncSession,
    lookups: TmdbLookups,
    limits: UserLimits,
    session_id: uuid.UUID,
    client: str,
    film_no: int,
    tmdb_id: int,
    kind: TmdbKind = TmdbKind.movie,
) -> Movie:
    """The user's pick for a film (a movie, or a series): fetched, stored, matched with
    confidence 1."""
    limits.lookup(str(session_id), client)  # refused before any work
    await load(db, session_id)
    if not await repository.film_exists(db, session_id, film_no):
        raise MovieNotFound(f"this session has no movie {film_no}")
    known = bool(await enrich_repository.known_movie_ids(db, [tmdb_id], kind))
    await release_connection(db)
    row = await lookups.chosen_movie(tmdb_id, kind, known=known)
    if row is not None:
        await enrich_repository.upsert_movies(db, [row])
    # the session (or the film) may have been deleted while TMDB answered
    if not await enrich_repository.choose_film(db, session_id, film_no, tmdb_id, kind):
        await load(db, session_id, fresh=True)
        raise MovieNotFound(f"this session has no movie {film_no}")
    rows = await repository.film_page(db, session_id, limit=1, offset=film_no - 1)
    return views.movie(*rows[0])
