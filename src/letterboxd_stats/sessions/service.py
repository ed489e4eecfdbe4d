"""A session's summary, progress, films, cancel, delete and export rows, for the session a
request has loaded (`sessions.deps.UploadSessionDep`). TMDB lookups by hand are in `picking`,
the progress stream in `events`."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.db import release_connection
from letterboxd_stats.enrich.runner import JobRunner
from letterboxd_stats.errors import SessionFinished, SessionNotFound
from letterboxd_stats.models import SessionStatus, UploadSession
from letterboxd_stats.sessions import repository, views
from letterboxd_stats.sessions.export import export_row
from letterboxd_stats.sessions.schemas import (
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


async def load(db: AsyncSession, session_id: uuid.UUID, *, fresh: bool = False) -> UploadSession:
    """The session, or 404; `fresh`: read again, even if this unit of work has it already."""
    session = await repository.get(db, session_id, fresh=fresh)
    if session is None:
        raise SessionNotFound("no session with this id")
    return session


def summary(s: UploadSession) -> SessionSummary:
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


def progress(s: UploadSession) -> SessionProgress:
    carried = s.carried_count or 0
    work, done = s.total_movies - carried, s.enriched_count - carried
    if work:
        percent = round(100 * done / work, 1)
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
        carried_count=carried,
        import_total=work,
        import_enriched=done,
        progress_percent=percent,
        error_message=s.error_message,
    )


async def cancel(db: AsyncSession, runner: JobRunner, session: UploadSession) -> SessionProgress:
    """Stop the session's enrichment: `cancelled` is committed first (so that a job starting
    meanwhile stops at once), then the running job is aborted, holding no connection while it
    stops."""
    if not await repository.mark_cancelled(db, session.id):
        current = await load(db, session.id, fresh=True)
        if current.status is not SessionStatus.cancelled:
            raise SessionFinished(f"the session's enrichment has ended: {current.status}")
    await release_connection(db)
    await runner.cancel(session.id)
    return progress(await load(db, session.id, fresh=True))


async def movies(db: AsyncSession, s: UploadSession, *, limit: int, offset: int) -> MoviePage:
    rows = await repository.film_page(db, s.id, limit=limit, offset=offset)
    return MoviePage(total=s.total_movies, items=[views.movie(*row) for row in rows])


async def delete(db: AsyncSession, runner: JobRunner, session: UploadSession) -> None:
    """Stop the session's job first (no TMDB request for it after that; no connection held
    while it stops), then remove every row of it. A job that finished its library may still
    be enriching the watchlist. The session is not marked `cancelled` on the way: whoever
    watches its progress sees it enriching, then gone, never a cancellation no one asked for.
    A job that would start meanwhile finds no session and stops."""
    await release_connection(db)
    await runner.cancel(session.id)
    if not await repository.delete(db, session.id):
        raise SessionNotFound("no session with this id")


EXPORT_PAGE = 1000


async def export_rows(db: AsyncSession, s: UploadSession) -> list[dict[str, Any]]:
    """Every film of the session, enriched, as flat export rows."""
    rows: list[dict[str, Any]] = []
    for offset in range(0, s.total_movies, EXPORT_PAGE):
        page = await repository.film_page(db, s.id, limit=EXPORT_PAGE, offset=offset)
        rows.extend(export_row(views.movie(*row)) for row in page)
    return rows
