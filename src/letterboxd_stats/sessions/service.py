"""A session's summary, progress, films, activity, cancel, delete and export rows, for the
session a request has loaded (`sessions.deps`). TMDB lookups by hand are in `picking`,
the progress stream in `events`."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.db import release_connection
from letterboxd_stats.enrich.runner import JobRunner
from letterboxd_stats.errors import SessionFinished, SessionNotFound
from letterboxd_stats.models import SessionStatus, UploadSession
from letterboxd_stats.sessions import repository, views
from letterboxd_stats.sessions.access import SessionAccess
from letterboxd_stats.sessions.export import export_row
from letterboxd_stats.sessions.schemas import (
    MoviePage,
    SessionCounts,
    SessionProgress,
    SessionSummary,
    ShareLink,
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


# The last activity is moved at most this often: a library opened again and again is written
# once an hour, not at every request (expiry is counted in days).
ACTIVITY_STEP = timedelta(hours=1)


async def note_activity(db: AsyncSession, s: UploadSession, *, now: datetime | None = None) -> None:
    """The owner used the library (opened it, changed it): it expires SESSION_TTL_DAYS from
    now. A viewer's visit never calls this."""
    now = now or datetime.now(UTC)
    if s.last_active_at <= now - ACTIVITY_STEP:
        await repository.touch(db, s.id, now)


def summary(
    access: SessionAccess, ttl: timedelta | None, share: ShareLink | None
) -> SessionSummary:
    """What the export held; to the owner also when the library expires and its share link
    (`share`: built by the route, which knows the server's address), never to a viewer."""
    s, owner = access.session, access.is_owner
    return SessionSummary(
        session_id=access.shown_id,
        access=access.role,
        status=s.status,
        username=s.username,
        created_at=s.created_at,
        last_active_at=s.last_active_at if owner else None,
        expires_at=s.last_active_at + ttl if owner and ttl is not None else None,
        share=share if owner else None,
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


def progress(s: UploadSession, shown_id: uuid.UUID | None = None) -> SessionProgress:
    """`shown_id`: the id the client came with (a viewer's share id); the session's own id
    by default. The percentage is of the latest import's work (an update's new films)."""
    carried = s.carried_count or 0
    work, done = s.total_movies - carried, s.enriched_count - carried
    if work:
        percent = round(100 * done / work, 1)
    else:
        percent = 100.0 if s.status is SessionStatus.completed else 0.0
    return SessionProgress(
        session_id=shown_id or s.id,
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
        watchlist_total=s.watchlist_count,
        watchlist_enriched=s.watchlist_enriched or 0,
        extras_total=s.extras_total or 0,
        extras_done=s.extras_done or 0,
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
