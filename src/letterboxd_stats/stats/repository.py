"""Loads everything the statistics of one session need, in a handful of queries and only the
columns they use. TMDB data joins only films (and watchlist entries) matched or in review; the
TMDB JSON is read only for films not yet in the process-wide FactsCache."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from letterboxd_stats.models import (
    DiaryEntry,
    Film,
    MatchStatus,
    Review,
    TmdbMovie,
    UploadSession,
    WatchlistEntry,
)
from letterboxd_stats.stats.cache import FACTS
from letterboxd_stats.stats.rows import (
    SessionRows,
    StatsFilm,
    StatsReview,
    TmdbFacts,
    ViewingRow,
    WatchlistRow,
    facts_from_data,
)

_USABLE = (MatchStatus.matched, MatchStatus.needs_review)
_CHUNK = 1000  # ids per IN (...) list: well under SQLite's and asyncpg's parameter limits


async def load(db: AsyncSession, session_id: uuid.UUID) -> SessionRows | None:
    """The session's rows, or None when there is no such session."""
    conn = await db.connection()  # Core execution: plain rows, no ORM loading overhead
    counts = (
        await conn.execute(
            select(UploadSession.list_count, UploadSession.list_entry_count).where(
                UploadSession.id == session_id
            )
        )
    ).first()
    if counts is None:
        return None
    films = (
        await conn.execute(
            select(
                Film.film_no,
                Film.title,
                Film.year,
                Film.watched,
                Film.rating_half_stars,
                Film.liked,
                Film.match_status,
                TmdbMovie.tmdb_id,
                TmdbMovie.fetched_at,
            )
            .outerjoin(
                TmdbMovie,
                and_(TmdbMovie.tmdb_id == Film.tmdb_id, Film.match_status.in_(_USABLE)),
            )
            .where(Film.session_id == session_id)
            .order_by(Film.film_no)
        )
    ).all()
    watchlist = (
        await conn.execute(
            select(
                WatchlistEntry.entry_no,
                WatchlistEntry.title,
                WatchlistEntry.year,
                WatchlistEntry.added_on,
                WatchlistEntry.match_status,
                TmdbMovie.tmdb_id,
                TmdbMovie.fetched_at,
            )
            .outerjoin(
                TmdbMovie,
                and_(
                    TmdbMovie.tmdb_id == WatchlistEntry.tmdb_id,
                    WatchlistEntry.match_status.in_(_USABLE),
                ),
            )
            .where(WatchlistEntry.session_id == session_id)
            .order_by(WatchlistEntry.entry_no)
        )
    ).all()
    facts = await _facts(conn, ((r.tmdb_id, r.fetched_at) for r in (*films, *watchlist)))
    return SessionRows(
        session_id=session_id,
        films=[
            StatsFilm(
                film_no=row.film_no,
                title=row.title,
                year=row.year,
                watched=row.watched,
                rating=row.rating_half_stars,
                liked=row.liked,
                match_status=row.match_status.value,
                tmdb=facts.get(row.tmdb_id) if row.tmdb_id is not None else None,
            )
            for row in films
        ],
        viewings=await _viewings(conn, session_id),
        reviews=await _reviews(conn, session_id),
        watchlist=[
            WatchlistRow(
                entry_no=row.entry_no,
                title=row.title,
                year=row.year,
                added_on=row.added_on,
                match_status=row.match_status.value,
                tmdb=facts.get(row.tmdb_id) if row.tmdb_id is not None else None,
            )
            for row in watchlist
        ],
        list_count=counts.list_count,
        list_entry_count=counts.list_entry_count,
    )


async def _viewings(conn: AsyncConnection, session_id: uuid.UUID) -> list[ViewingRow]:
    rows = await conn.execute(
        select(
            DiaryEntry.entry_no,
            DiaryEntry.film_no,
            DiaryEntry.watched_on,
            DiaryEntry.logged_on,
            DiaryEntry.rewatch,
            DiaryEntry.rating_half_stars,
        ).where(DiaryEntry.session_id == session_id)
    )
    return [ViewingRow(*row) for row in rows]


async def _reviews(conn: AsyncConnection, session_id: uuid.UUID) -> list[StatsReview]:
    rows = await conn.execute(
        select(Review.film_no, Review.watched_on, Review.logged_on).where(
            Review.session_id == session_id
        )
    )
    return [StatsReview(*row) for row in rows]


async def _facts(
    conn: AsyncConnection, wanted: Iterable[tuple[int | None, datetime | None]]
) -> dict[int, TmdbFacts]:
    """Facts of these TMDB films: from the cache, else decoded from `tmdb_movies.data`."""
    found: dict[int, TmdbFacts] = {}
    missing: set[int] = set()
    for tmdb_id, fetched_at in wanted:
        if tmdb_id is None or fetched_at is None or tmdb_id in found:
            continue
        cached = FACTS.get(tmdb_id, fetched_at)
        if cached is None:
            missing.add(tmdb_id)
        else:
            found[tmdb_id] = cached
    ids = sorted(missing)
    for start in range(0, len(ids), _CHUNK):
        rows = await conn.execute(
            select(
                TmdbMovie.tmdb_id,
                TmdbMovie.fetched_at,
                TmdbMovie.release_date,
                TmdbMovie.runtime,
                TmdbMovie.popularity,
                TmdbMovie.vote_average,
                TmdbMovie.vote_count,
                TmdbMovie.poster_path,
                TmdbMovie.data,
            ).where(TmdbMovie.tmdb_id.in_(ids[start : start + _CHUNK]))
        )
        for row in rows:
            data: dict[str, Any] = row.data if isinstance(row.data, dict) else {}
            facts = facts_from_data(
                row.tmdb_id,
                data,
                release_date=row.release_date,
                runtime=row.runtime,
                popularity=row.popularity,
                vote_average=row.vote_average,
                vote_count=row.vote_count,
                poster_path=row.poster_path,
            )
            FACTS.put(row.fetched_at, facts)
            found[row.tmdb_id] = facts
    return found
