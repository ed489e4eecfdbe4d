from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.db import SessionMaker, session_scope, unavailable
from letterboxd_stats.enrich import repository as enrich_repository
from letterboxd_stats.enrich.job import Enricher, TmdbNotConfigured
from letterboxd_stats.enrich.runner import JobRunner
from letterboxd_stats.errors import (
    MovieNotFound,
    SessionFinished,
    SessionNotFound,
    TmdbDisabled,
    TmdbFilmNotFound,
    TmdbUnavailable,
)
from letterboxd_stats.models import FINAL_STATUSES, Film, SessionStatus, TmdbMovie, UploadSession
from letterboxd_stats.sessions import repository
from letterboxd_stats.sessions.export import export_row
from letterboxd_stats.sessions.repository import FilmActivity
from letterboxd_stats.sessions.schemas import (
    CastMember,
    Movie,
    MoviePage,
    Person,
    SessionCounts,
    SessionProgress,
    SessionSummary,
    TmdbCandidate,
    TmdbSearchResults,
)
from letterboxd_stats.tmdb.client import TmdbAuthError, TmdbError, TmdbNotFound


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
        needs_review_count=s.needs_review_count,
        unmatched_count=s.unmatched_count,
        failed_count=s.failed_count,
        progress_percent=percent,
        error_message=s.error_message,
    )


async def cancel(sessionmaker: SessionMaker, runner: JobRunner, raw_id: str) -> SessionProgress:
    """Stop the session's enrichment: `cancelled` is committed first (so that a job starting
    meanwhile stops at once), then the running job is aborted."""
    session_id = parse_session_id(raw_id)
    async with session_scope(sessionmaker) as db:
        if not await repository.mark_cancelled(db, session_id):
            current = await _load(db, raw_id)
            if current.status is not SessionStatus.cancelled:
                raise SessionFinished(f"the session's enrichment has ended: {current.status}")
    await runner.cancel(session_id)
    async with session_scope(sessionmaker) as db:
        return await progress(db, raw_id)


async def movies(db: AsyncSession, raw_id: str, *, limit: int, offset: int) -> MoviePage:
    s = await _load(db, raw_id)
    rows = await repository.film_page(db, s.id, limit=limit, offset=offset)
    return MoviePage(total=s.total_movies, items=[_movie(*row) for row in rows])


async def choose_match(
    db: AsyncSession, enricher: Enricher, raw_id: str, movie_id: int, tmdb_id: int
) -> Movie:
    """The user's pick for a film: fetched, stored, matched with confidence 1."""
    s = await _load(db, raw_id)
    if not await repository.film_exists(db, s.id, movie_id):
        raise MovieNotFound(f"this session has no movie {movie_id}")
    known = bool(await enrich_repository.known_movie_ids(db, [tmdb_id]))
    try:
        row = await enricher.movie_for_override(tmdb_id, known=known)
    except TmdbNotConfigured as exc:
        raise TmdbDisabled(str(exc)) from None
    except TmdbNotFound:
        raise TmdbFilmNotFound(f"TMDB has no film with id {tmdb_id}") from None
    except TmdbAuthError as exc:
        raise TmdbUnavailable(str(exc)) from None
    except TmdbError as exc:
        raise TmdbUnavailable(f"TMDB could not be asked: {exc}") from None
    if row is not None:
        await enrich_repository.upsert_movies(db, [row])
    await enrich_repository.choose_film(db, s.id, movie_id, tmdb_id)
    rows = await repository.film_page(db, s.id, limit=1, offset=movie_id - 1)
    return _movie(*rows[0])


async def search_tmdb(
    db: AsyncSession, enricher: Enricher, raw_id: str, query: str, year: int | None
) -> TmdbSearchResults:
    """Candidates for a film the user is fixing (any session id that exists may ask)."""
    await _load(db, raw_id)
    try:
        found = await enricher.search(query, year)
    except TmdbNotConfigured as exc:
        raise TmdbDisabled(str(exc)) from None
    except TmdbError as exc:
        raise TmdbUnavailable(f"TMDB could not be asked: {exc}") from None
    return TmdbSearchResults(results=[_candidate(item) for item in found[:20]])


def _candidate(item: dict[str, Any]) -> TmdbCandidate:
    def text(key: str) -> str | None:
        value = item.get(key)
        return value if isinstance(value, str) and value else None

    release = text("release_date")
    popularity = item.get("popularity")
    return TmdbCandidate(
        tmdb_id=item["id"],
        title=text("title") or "",
        original_title=text("original_title"),
        year=int(release[:4]) if release and release[:4].isdigit() else None,
        release_date=release,
        poster_path=text("poster_path"),
        overview=text("overview"),
        popularity=float(popularity) if isinstance(popularity, int | float) else None,
    )


async def delete(db: AsyncSession, raw_id: str) -> None:
    if not await repository.delete(db, parse_session_id(raw_id)):
        raise SessionNotFound("no session with this id")


def _movie(film: Film, tmdb: TmdbMovie | None, activity: FilmActivity) -> Movie:
    data: dict[str, Any] = tmdb.data if tmdb else {}
    return Movie(
        movie_id=film.film_no,
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
        match_confidence=film.match_confidence,
        match_method=film.match_method,
        match_reason=film.match_reason,
        tmdb_id=film.tmdb_id,
        tmdb_title=tmdb.title if tmdb else None,
        original_title=tmdb.original_title if tmdb else None,
        release_date=tmdb.release_date if tmdb else None,
        runtime=tmdb.runtime if tmdb else None,
        genres=_values(data, "genres", "name") if tmdb else None,
        countries=_values(data, "production_countries", "iso_3166_1") if tmdb else None,
        languages=_values(data, "spoken_languages", "iso_639_1") if tmdb else None,
        original_language=data.get("original_language") if tmdb else None,
        directors=[
            Person(id=c.get("id"), name=c.get("name"), profile_path=c.get("profile_path"))
            for c in _items(data, "crew")
            if c.get("job") == "Director"
        ]
        if tmdb
        else None,
        cast=[
            CastMember(
                id=c.get("id"),
                name=c.get("name"),
                profile_path=c.get("profile_path"),
                character=c.get("character"),
                order=c.get("order"),
            )
            for c in _items(data, "cast")
        ]
        if tmdb
        else None,
        poster_path=tmdb.poster_path if tmdb else None,
        popularity=tmdb.popularity if tmdb else None,
        vote_average=tmdb.vote_average if tmdb else None,
    )


def _items(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _values(data: dict[str, Any], key: str, field: str) -> list[str]:
    return [str(v[field]) for v in _items(data, key) if v.get(field) is not None]


async def progress_events(
    sessionmaker: SessionMaker, raw_id: str, *, interval: float = 0.5
) -> AsyncIterator[dict[str, str]]:
    """Server-sent events: `progress` whenever the counts change (at most every `interval`),
    then one `end` event with the final status."""
    last: SessionProgress | None = None
    while True:
        try:
            async with session_scope(sessionmaker) as db:
                current = await progress(db, raw_id)
        except Exception as exc:
            if last is None or not unavailable(exc):
                raise
            await asyncio.sleep(interval)  # the database is away: the stream waits for it
            continue
        if current != last:
            yield {"event": "progress", "data": current.model_dump_json()}
            last = current
        if current.status in FINAL_STATUSES:
            yield {"event": "end", "data": current.model_dump_json()}
            return
        await asyncio.sleep(interval)


EXPORT_PAGE = 1000


async def export_rows(db: AsyncSession, raw_id: str) -> tuple[uuid.UUID, list[dict[str, Any]]]:
    """Every film of the session, enriched, as flat export rows."""
    s = await _load(db, raw_id)
    rows: list[dict[str, Any]] = []
    for offset in range(0, s.total_movies, EXPORT_PAGE):
        page = await repository.film_page(db, s.id, limit=EXPORT_PAGE, offset=offset)
        rows.extend(export_row(_movie(*row)) for row in page)
    return s.id, rows
