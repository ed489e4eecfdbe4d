"""The year in review's one query of its own: the stored catalogue (`tmdb_movies`, every film
any library enriched) of some genres, read from the packed tags (never the films' JSON). The
library's rows are the statistics' (`stats.repository.load`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import literal, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from letterboxd_stats.models import TmdbMovie
from letterboxd_stats.review.compute import COUNTRY, CatalogueFilm
from letterboxd_stats.stats.tags import SEPARATOR, Tag


async def catalogue(conn: AsyncConnection, genres: Sequence[Tag]) -> list[CatalogueFilm]:
    """Every stored film (movie or series) that counts in one of `genres` ("genres:18"…):
    its release year and production countries. None for no genres."""
    if not genres:
        return []
    fenced = literal(SEPARATOR) + TmdbMovie.tags + literal(SEPARATOR)
    rows = await conn.execute(
        select(TmdbMovie.release_date, TmdbMovie.tags).where(
            or_(*(fenced.contains(f"{SEPARATOR}{g}{SEPARATOR}", autoescape=True) for g in genres))
        )
    )
    return [
        CatalogueFilm(
            released.year if released is not None else None,
            tuple(
                t[len(COUNTRY) :] for t in (tags or "").split(SEPARATOR) if t.startswith(COUNTRY)
            ),
        )
        for released, tags in rows
    ]
