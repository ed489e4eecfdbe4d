"""Loads a library for a comparison: the statistics' rows (`stats.repository.load`), and the
links and TMDB kinds of its films and watchlist entries, in two more narrow queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.compare.rows import Library, Link
from letterboxd_stats.models import Film, UploadSession, WatchlistEntry
from letterboxd_stats.stats import repository as stats_repository


async def load(db: AsyncSession, session: UploadSession) -> Library | None:
    rows = await stats_repository.load(db, session.id)
    if rows is None:
        return None
    conn = await db.connection()
    films = await conn.execute(
        select(Film.film_no, Film.letterboxd_uri, _text(Film.tmdb_kind)).where(
            Film.session_id == session.id
        )
    )
    watchlist = await conn.execute(
        select(
            WatchlistEntry.entry_no, WatchlistEntry.letterboxd_uri, _text(WatchlistEntry.tmdb_kind)
        ).where(WatchlistEntry.session_id == session.id)
    )
    return Library(
        rows=rows,
        name=session.username,
        film_links={no: Link(uri, kind) for no, uri, kind in films},
        watchlist_links={no: Link(uri, kind) for no, uri, kind in watchlist},
    )


def _text(column: Any) -> Any:
    """The kind as its stored text (no enum member per row)."""
    return type_coerce(column, String(8))
