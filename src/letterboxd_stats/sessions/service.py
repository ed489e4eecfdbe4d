from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.errors import SessionNotFound
from letterboxd_stats.models import Film, SessionStatus, TmdbMovie, UploadSession
from letterboxd_stats.sessions import repository
from letterboxd_stats.sessions.repository import FilmActivity
from letterboxd_stats.sessions.schemas import (
    Movie,
    MoviePage,
    SessionCounts,
    SessionProgress,
    SessionSummary,
)


def parse_session_id(raw: str) -> uuid.UUID:
    """Session ids are UUIDv4; anything else is simply not found."""
    try:
        value = uuid.UUID(raw)
    except ValueError:
        raise SessionNotFound("no session with this id") from None
    if value.version != 4 or str(value) != raw.lower():
        raise SessionNotFound("no session with this id")
    return value


async def _load(db: AsyncSession, raw_id: str) -> UploadSession:
    session = await repository.get(db, parse_session_id(raw_id))
    if session is None:
        raise SessionNotFound("no session with this id")
    return session


async def summary(db: AsyncSession, raw_id: str) -> SessionSummary:
    s = await _load(db, raw_id)
    return SessionSummary(
        session_id=s.id,
        status=s.status,
        username=s.username,
        created_at=s.created_at,
        expires_at=s.expires_at,
        counts=SessionCounts(
            films=s.total_movies,
            diary_entries=s.diary_count,
            ratings=s.rating_count,
            reviews=s.review_count,
            likes=s.like_count,
            lists=s.list_count,
            list_entries=s.list_entry_count,
            watchlist=s.watchlist_count,
        ),
        ignored_files=s.ignored_files,
    )


async def progress(db: AsyncSession, raw_id: str) -> SessionProgress:
    s = await _load(db, raw_id)
    if s.total_movies:
        percent = round(100 * s.enriched_count / s.total_movies, 1)
    else:
        percent = 100.0 if s.status is SessionStatus.completed else 0.0
    return SessionProgress(
        session_id=s.id,
        status=s.status,
        total_movies=s.total_movies,
        enriched_count=s.enriched_count,
        matched_count=s.matched_count,
        failed_count=s.failed_count,
        progress_percent=percent,
        error_message=s.error_message,
    )


async def movies(db: AsyncSession, raw_id: str, *, limit: int, offset: int) -> MoviePage:
    s = await _load(db, raw_id)
    rows = await repository.film_page(db, s.id, limit=limit, offset=offset)
    return MoviePage(total=s.total_movies, items=[_movie(*row) for row in rows])


async def delete(db: AsyncSession, raw_id: str) -> None:
    if not await repository.delete(db, parse_session_id(raw_id)):
        raise SessionNotFound("no session with this id")


def _movie(film: Film, tmdb: TmdbMovie | None, activity: FilmActivity) -> Movie:
    data: dict[str, Any] = tmdb.data if tmdb else {}
    genres = [g["name"] for g in data.get("genres", []) if isinstance(g, dict) and "name" in g]
    return Movie(
        title=film.title,
        year=film.year,
        letterboxd_uri=film.letterboxd_uri,
        rating=film.rating_half_stars / 2 if film.rating_half_stars is not None else None,
        watched_dates=activity.watched_dates,
        rewatch_count=activity.rewatch_count,
        liked=film.liked,
        review_count=activity.review_count,
        tags=list(activity.tags),
        match_status=film.match_status,
        tmdb_id=film.tmdb_id,
        tmdb_title=tmdb.title if tmdb else None,
        original_title=tmdb.original_title if tmdb else None,
        release_date=tmdb.release_date if tmdb else None,
        runtime=tmdb.runtime if tmdb else None,
        genres=genres if tmdb else None,
        poster_path=tmdb.poster_path if tmdb else None,
        popularity=tmdb.popularity if tmdb else None,
        vote_average=tmdb.vote_average if tmdb else None,
    )
