"""Loads everything the statistics of one session need, in a handful of queries and only the
columns they use. TMDB data joins only films (and watchlist entries) matched or in review, and
is read from typed columns and the packed tags (`stats.tags`): never the film's JSON."""

from __future__ import annotations

import uuid
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
from letterboxd_stats.stats.rows import (
    SessionRows,
    StatsFilm,
    StatsReview,
    TmdbFacts,
    ViewingRow,
    WatchlistRow,
)
from letterboxd_stats.stats.tags import unpack_tags

_USABLE = (MatchStatus.matched, MatchStatus.needs_review)
_FACTS = (
    TmdbMovie.tmdb_id,
    TmdbMovie.release_date,
    TmdbMovie.runtime,
    TmdbMovie.popularity,
    TmdbMovie.vote_average,
    TmdbMovie.vote_count,
    TmdbMovie.poster_path,
    TmdbMovie.tags,
    TmdbMovie.labels,
)


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
                *_FACTS,
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
                *_FACTS,
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
    facts: dict[int, TmdbFacts] = {}  # one per film, however many rows name it
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
                tmdb=_facts(facts, row),
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
                tmdb=_facts(facts, row),
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


def _facts(known: dict[int, TmdbFacts], row: Any) -> TmdbFacts | None:
    """The TMDB facts of a row's film (a row with the `_FACTS` columns; None: no TMDB data
    joined)."""
    tmdb_id: int | None = row.tmdb_id
    if tmdb_id is None:
        return None
    found = known.get(tmdb_id)
    if found is None:
        found = known[tmdb_id] = TmdbFacts(
            tmdb_id=tmdb_id,
            release_date=row.release_date,
            runtime=row.runtime,
            popularity=row.popularity,
            vote_average=row.vote_average,
            vote_count=row.vote_count,
            poster_path=row.poster_path,
            tags=unpack_tags(row.tags),
            shown=row.labels,
        )
    return found
