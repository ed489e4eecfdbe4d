"""Loads a library for a comparison, in two queries and only the columns it uses: its films
with their links, TMDB kinds and facts (the packed tags: never the TMDB JSON), and its
watchlist with its links and TMDB facts but no tags (a comparison shows a watchlist film, it
does not profile it). No viewings, reviews or lists."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, literal, null, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.compare.rows import Library, Link
from letterboxd_stats.models import Film, TmdbMovie, UploadSession, WatchlistEntry
from letterboxd_stats.stats.repository import FACT_COLUMNS, FactsReader, status_text, usable_tmdb
from letterboxd_stats.stats.rows import SessionRows, StatsFilm, WatchlistRow

# A comparison reads of a film's facts its TMDB id, average vote, poster and tags: the other
# columns are left out (null), the dates above all, which SQLite gives as text to be parsed.
_NULL = null()
_FILM_FACTS = (
    FACT_COLUMNS[0], TmdbMovie.tmdb_id, _NULL, _NULL, _NULL, TmdbMovie.vote_average, _NULL,
    TmdbMovie.poster_path, TmdbMovie.tags, TmdbMovie.labels,
)  # fmt: skip
# The watchlist's without tags (a comparison shows a watchlist film, it does not profile it).
_WATCHLIST_FACTS = (*_FILM_FACTS[:-2], literal(""), literal(""))
assert len(_FILM_FACTS) == len(FACT_COLUMNS)


async def load(db: AsyncSession, session: UploadSession) -> Library:
    conn = await db.connection()  # Core execution: plain rows, no ORM loading overhead
    films = await conn.execute(
        select(
            Film.film_no,
            Film.title,
            Film.year,
            Film.watched,
            Film.rating_half_stars,
            Film.liked,
            status_text(Film.match_status),
            Film.letterboxd_uri,
            _kind(Film.tmdb_kind),
            *_FILM_FACTS,
        )
        .outerjoin(TmdbMovie, usable_tmdb(Film))
        .where(Film.session_id == session.id)
        .order_by(Film.film_no)
    )
    watchlist = await conn.execute(
        select(
            WatchlistEntry.entry_no,
            WatchlistEntry.title,
            WatchlistEntry.year,
            WatchlistEntry.added_on,
            status_text(WatchlistEntry.match_status),
            WatchlistEntry.letterboxd_uri,
            _kind(WatchlistEntry.tmdb_kind),
            *_WATCHLIST_FACTS,
        )
        .outerjoin(TmdbMovie, usable_tmdb(WatchlistEntry))
        .where(WatchlistEntry.session_id == session.id)
        .order_by(WatchlistEntry.entry_no)
    )
    film_facts, entry_facts = FactsReader(), FactsReader()  # one per film and side
    library = Library(rows=SessionRows(session_id=session.id), name=session.username)
    for no, title, year, watched, rating, liked, status, uri, kind, *tmdb in films:
        library.rows.films.append(
            StatsFilm(no, title, year, watched, rating, liked, status, film_facts.of(tmdb))
        )
        library.film_links[no] = Link(uri, kind)
    for no, title, year, added_on, status, uri, kind, *tmdb in watchlist:
        library.rows.watchlist.append(
            WatchlistRow(no, title, year, added_on, status, entry_facts.of(tmdb))
        )
        library.watchlist_links[no] = Link(uri, kind)
    return library


def _kind(column: Any) -> Any:
    """The kind as its stored text (no enum member per row)."""
    return type_coerce(column, String(8))
