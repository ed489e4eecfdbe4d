"""Loads everything the statistics of one session need, in a handful of queries and only the
columns they use. TMDB data joins only films (and watchlist entries) matched or in review, and
is read from typed columns and the packed tags (`stats.tags`): never the film's JSON."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, String, and_, select, type_coerce
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
from letterboxd_stats.stats.tags import split_tags

USABLE = (MatchStatus.matched, MatchStatus.needs_review)
FACT_COLUMNS = (  # the film's kind, then `TmdbFacts`'s fields in their order
    type_coerce(TmdbMovie.kind, String(8)),
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
    films = await conn.execute(
        select(
            Film.film_no,
            Film.title,
            Film.year,
            Film.watched,
            Film.rating_half_stars,
            Film.liked,
            status_text(Film.match_status),
            *FACT_COLUMNS,
        )
        .outerjoin(TmdbMovie, usable_tmdb(Film))
        .where(Film.session_id == session_id)
        .order_by(Film.film_no)
    )
    facts = FactsReader()  # one per film, however many rows name it
    return SessionRows(
        session_id=session_id,
        films=[
            StatsFilm(no, title, year, watched, rating, liked, status, facts.of(tmdb))
            for no, title, year, watched, rating, liked, status, *tmdb in films
        ],
        viewings=await _viewings(conn, session_id),
        reviews=await _reviews(conn, session_id),
        watchlist=await watchlist_rows(conn, session_id, facts),
        list_count=counts.list_count,
        list_entry_count=counts.list_entry_count,
    )


def usable_tmdb(rows: type[Film] | type[WatchlistEntry]) -> ColumnElement[bool]:
    """The join of a film's or watchlist entry's TMDB data: its entry (id and kind), when it is
    matched or in review."""
    return and_(
        TmdbMovie.tmdb_id == rows.tmdb_id,
        TmdbMovie.kind == rows.tmdb_kind,
        rows.match_status.in_(USABLE),
    )


async def watchlist_rows(
    conn: AsyncConnection, session_id: uuid.UUID, facts: FactsReader | None = None
) -> list[WatchlistRow]:
    """The session's watchlist with its entries' TMDB facts (`facts`: a reader shared with the
    films, so that a film in both is built once)."""
    reader = facts if facts is not None else FactsReader()
    rows = await conn.execute(
        select(
            WatchlistEntry.entry_no,
            WatchlistEntry.title,
            WatchlistEntry.year,
            WatchlistEntry.added_on,
            status_text(WatchlistEntry.match_status),
            *FACT_COLUMNS,
        )
        .outerjoin(TmdbMovie, usable_tmdb(WatchlistEntry))
        .where(WatchlistEntry.session_id == session_id)
        .order_by(WatchlistEntry.entry_no)
    )
    return [
        WatchlistRow(no, title, year, added_on, status, reader.of(tmdb))
        for no, title, year, added_on, status, *tmdb in rows
    ]


def status_text(column: Any) -> Any:
    """A match status as the text it is stored as (a `MatchStatus` member per row costs more
    than the rest of the row)."""
    return type_coerce(column, String(16))


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


class FactsReader:
    """The TMDB facts of rows' films, built once per film (from the `FACT_COLUMNS` columns; None: no
    TMDB data joined)."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, int], TmdbFacts] = {}  # by (kind, id): movie 5 ≠ series 5

    def of(self, columns: list[Any]) -> TmdbFacts | None:
        kind, tmdb_id = columns[0], columns[1]
        if tmdb_id is None:
            return None
        found = self._known.get((kind, tmdb_id))
        if found is None:
            _, _, released, runtime, popularity, average, votes, poster, packed, shown = columns
            tags, genders = split_tags(packed)
            found = self._known[(kind, tmdb_id)] = TmdbFacts(
                tmdb_id, released, runtime, popularity, average, votes, poster,
                tags, shown, genders,
            )  # fmt: skip
        return found
