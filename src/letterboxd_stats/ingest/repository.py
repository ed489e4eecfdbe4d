"""Writes an imported library: every row of a session in bulk, inside the caller's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.ingest.library import Library
from letterboxd_stats.models import (
    DiaryEntry,
    Film,
    FilmList,
    ListEntry,
    MatchStatus,
    Review,
    SessionStatus,
    UploadSession,
    WatchlistEntry,
)

# Rows per INSERT (executemany): the parameters of one batch at a time are built, and the event
# loop gets a turn between batches.
BATCH_ROWS = 2000


async def insert_library(
    db: AsyncSession,
    session_id: uuid.UUID,
    library: Library,
    *,
    now: datetime,
    trace_id: str | None,
) -> UploadSession:
    session = UploadSession(
        id=session_id,
        status=SessionStatus.processing,
        error_message=None,
        created_at=now,
        updated_at=now,
        last_active_at=now,
        share_id=None,
        username=library.profile.username if library.profile else None,
        ignored_files=library.ignored_files,
        trace_id=trace_id,
        total_movies=len(library.films),
        diary_count=len(library.diary),
        rating_count=library.rating_count,
        review_count=len(library.reviews),
        like_count=library.like_count,
        list_count=len(library.lists),
        list_entry_count=library.list_entry_count,
        watchlist_count=len(library.watchlist),
        enriched_count=0,
        matched_count=0,
        needs_review_count=0,
        unmatched_count=0,
        failed_count=0,
    )
    db.add(session)
    await db.flush()

    pending = MatchStatus.pending
    await _bulk(
        db,
        Film,
        (
            {
                "session_id": session_id,
                "film_no": film.film_no,
                "title": film.title,
                "year": film.year,
                "letterboxd_uri": film.uri,
                "watched": film.watched,
                "watched_on": film.watched_on,
                "rating_half_stars": film.rating,
                "rated_on": film.rated_on,
                "liked": film.liked,
                "liked_on": film.liked_on,
                "match_status": pending,
                "tmdb_id": None,
            }
            for film in library.films
        ),
    )
    await _bulk(
        db,
        DiaryEntry,
        (
            {
                "session_id": session_id,
                "entry_no": no,
                "film_no": film_no,
                "logged_on": entry.logged_on,
                "watched_on": entry.watched_on,
                "rating_half_stars": entry.rating,
                "rewatch": entry.rewatch,
                "tags": list(entry.tags),
                "letterboxd_uri": entry.uri,
            }
            for no, (film_no, entry) in enumerate(library.diary, 1)
        ),
    )
    await _bulk(
        db,
        Review,
        (
            {
                "session_id": session_id,
                "review_no": no,
                "film_no": film_no,
                "title": review.title,
                "year": review.year,
                "logged_on": review.logged_on,
                "watched_on": review.watched_on,
                "rating_half_stars": review.rating,
                "rewatch": review.rewatch,
                "tags": list(review.tags),
                "body": review.body,
                "letterboxd_uri": review.uri,
            }
            for no, (film_no, review) in enumerate(library.reviews, 1)
        ),
    )
    await _bulk(
        db,
        FilmList,
        (
            {
                "session_id": session_id,
                "list_no": list_no,
                "name": lst.record.name,
                "created_on": lst.record.created_on,
                "url": lst.record.url,
                "description": lst.record.description,
                "tags": list(lst.record.tags),
                "source_file": lst.record.source_file,
            }
            for list_no, lst in enumerate(library.lists, 1)
        ),
    )
    await _bulk(
        db,
        ListEntry,
        (
            {
                "session_id": session_id,
                "list_no": list_no,
                "entry_no": entry_no,
                "position": entry.position,
                "title": entry.title,
                "year": entry.year,
                "letterboxd_uri": entry.uri,
                "description": entry.description,
                "film_no": film_no,
            }
            for list_no, lst in enumerate(library.lists, 1)
            for entry_no, (entry, film_no) in enumerate(
                zip(lst.record.entries, lst.film_nos, strict=True), 1
            )
        ),
    )
    await _bulk(
        db,
        WatchlistEntry,
        (
            {
                "session_id": session_id,
                "entry_no": no,
                "added_on": row.on,
                "title": row.title,
                "year": row.year,
                "letterboxd_uri": row.uri,
                "match_status": pending,
                "tmdb_id": None,
            }
            for no, row in enumerate(library.watchlist, 1)
        ),
    )
    return session


async def _bulk(db: AsyncSession, model: type[Any], rows: Iterable[dict[str, Any]]) -> None:
    """Insert `rows` in batches of `BATCH_ROWS`: never every row's parameters at once."""
    statement = insert(model)
    it = iter(rows)
    while batch := list(islice(it, BATCH_ROWS)):
        await db.execute(statement, batch)
