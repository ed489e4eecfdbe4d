"""Writes an imported library: every row of a session in bulk, inside the caller's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.ingest.changes import (
    Stored,
    StoredEntry,
    StoredFilm,
    StoredList,
    StoredReview,
    StoredViewing,
)
from letterboxd_stats.ingest.library import Library
from letterboxd_stats.models import (
    DiaryEntry,
    Film,
    FilmList,
    ImportRecord,
    ListEntry,
    MatchStatus,
    Review,
    SessionStatus,
    TmdbKind,
    UploadSession,
    WatchlistEntry,
)


@dataclass(slots=True)
class Carried:
    """Match columns carried over by an update: by film_no, and by watchlist entry_no."""

    films: dict[int, dict[str, Any]] = field(default_factory=dict)
    watchlist: dict[int, dict[str, Any]] = field(default_factory=dict)


_PENDING: dict[str, Any] = {
    "match_status": MatchStatus.pending,
    "tmdb_id": None,
    "tmdb_kind": TmdbKind.movie,
    "match_confidence": None,
    "match_method": None,
    "match_reason": None,
}
_PENDING_ENTRY: dict[str, Any] = {
    "match_status": MatchStatus.pending,
    "tmdb_id": None,
    "tmdb_kind": TmdbKind.movie,
}
FILM_MATCH_COLUMNS = tuple(_PENDING)
ENTRY_MATCH_COLUMNS = tuple(_PENDING_ENTRY)

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
        watchlist_enriched=0,
        enriched_count=0,
        matched_count=0,
        needs_review_count=0,
        unmatched_count=0,
        failed_count=0,
    )
    db.add(session)
    await db.flush()

    await insert_rows(db, session_id, library, Carried())
    return session


async def insert_rows(
    db: AsyncSession, session_id: uuid.UUID, library: Library, carried: Carried
) -> None:
    """Every row of `library` for the session (which exists); films and watchlist entries with
    a result in `carried` (by film_no, by entry_no) get it, the others are pending."""
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
                **carried.films.get(film.film_no, _PENDING),
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
                **carried.watchlist.get(no, _PENDING_ENTRY),
            }
            for no, row in enumerate(library.watchlist, 1)
        ),
    )


async def _bulk(db: AsyncSession, model: type[Any], rows: Iterable[dict[str, Any]]) -> None:
    """Insert `rows` in batches of `BATCH_ROWS`: never every row's parameters at once."""
    statement = insert(model)
    it = iter(rows)
    while batch := list(islice(it, BATCH_ROWS)):
        await db.execute(statement, batch)


# --- updates: the stored library read back, then replaced in the caller's transaction ---


async def lock_session(db: AsyncSession, session_id: uuid.UUID) -> UploadSession | None:
    """The session read afresh, its row locked until the transaction ends (PostgreSQL; SQLite
    serialises writers anyway): two updates of one library go one after the other."""
    return await db.get(UploadSession, session_id, populate_existing=True, with_for_update=True)


@dataclass(slots=True)
class StoredMatches:
    """What the stored library holds, as `changes.compare` reads it, and its match columns."""

    stored: Stored
    films: dict[int, dict[str, Any]]  # film_no -> match columns
    watchlist: list[dict[str, Any]]  # in entry order -> match columns


async def stored_library(db: AsyncSession, session_id: uuid.UUID) -> StoredMatches:
    film_columns = [getattr(Film, name) for name in FILM_MATCH_COLUMNS]
    films = (
        await db.execute(
            select(
                Film.film_no,
                Film.title,
                Film.year,
                Film.letterboxd_uri,
                Film.rating_half_stars,
                *film_columns,
            )
            .where(Film.session_id == session_id)
            .order_by(Film.film_no)
        )
    ).all()
    diary = await db.execute(
        select(DiaryEntry.film_no, DiaryEntry.watched_on, DiaryEntry.logged_on, DiaryEntry.rewatch)
        .where(DiaryEntry.session_id == session_id)
        .order_by(DiaryEntry.entry_no)
    )
    reviews = await db.execute(
        select(Review.film_no, Review.title, Review.year, Review.logged_on, Review.body)
        .where(Review.session_id == session_id)
        .order_by(Review.review_no)
    )
    entry_columns = [getattr(WatchlistEntry, name) for name in ENTRY_MATCH_COLUMNS]
    watchlist = (
        await db.execute(
            select(
                WatchlistEntry.title,
                WatchlistEntry.year,
                WatchlistEntry.letterboxd_uri,
                *entry_columns,
            )
            .where(WatchlistEntry.session_id == session_id)
            .order_by(WatchlistEntry.entry_no)
        )
    ).all()
    lists = (
        await db.execute(
            select(FilmList.list_no, FilmList.name, FilmList.url, FilmList.description)
            .where(FilmList.session_id == session_id)
            .order_by(FilmList.list_no)
        )
    ).all()
    entries: dict[int, list[StoredEntry]] = {no: [] for no, *_ in lists}
    for list_no, title, year, uri in await db.execute(
        select(ListEntry.list_no, ListEntry.title, ListEntry.year, ListEntry.letterboxd_uri)
        .where(ListEntry.session_id == session_id)
        .order_by(ListEntry.list_no, ListEntry.entry_no)
    ):
        entries.setdefault(list_no, []).append(StoredEntry(title, year, uri))
    stored = Stored(
        films=[StoredFilm(*row[:5]) for row in films],
        diary=[StoredViewing(*row) for row in diary],
        reviews=[StoredReview(*row) for row in reviews],
        watchlist=[StoredEntry(*row[:3]) for row in watchlist],
        lists=[
            StoredList(name, url, description, tuple(entries[no]))
            for no, name, url, description in lists
        ],
    )
    return StoredMatches(
        stored=stored,
        films={row[0]: dict(zip(FILM_MATCH_COLUMNS, row[5:], strict=True)) for row in films},
        watchlist=[dict(zip(ENTRY_MATCH_COLUMNS, row[3:], strict=True)) for row in watchlist],
    )


async def replace_library(
    db: AsyncSession,
    session: UploadSession,
    library: Library,
    carried: Carried,
    *,
    now: datetime,
) -> None:
    """Every row of the session replaced by `library` (numbered already, its kept films under
    their old numbers), in the caller's transaction; the counters set from what is carried, the
    session back to `enriching` for the rest."""
    session_id = session.id
    for model in _CHILD_TABLES:
        table: Any = model
        await db.execute(sql_delete(table).where(table.session_id == session_id))
    await insert_rows(db, session_id, library, carried)
    counts = {"matched": 0, "needs_review": 0, "unmatched": 0, "failed": 0}
    numbers = {film.film_no for film in library.films}
    for film_no, columns in carried.films.items():
        status = MatchStatus(columns["match_status"])
        if film_no not in numbers or status is MatchStatus.pending:
            continue
        if status in (MatchStatus.matched, MatchStatus.needs_review):
            counts["matched"] += 1
        if status is not MatchStatus.matched:
            counts[status.value] += 1
    enriched = counts["matched"] + counts["unmatched"] + counts["failed"]
    entries = range(1, len(library.watchlist) + 1)
    watchlist_enriched = sum(
        1
        for no in entries
        if no in carried.watchlist
        and MatchStatus(carried.watchlist[no]["match_status"]) is not MatchStatus.pending
    )
    await db.execute(
        update(UploadSession)
        .where(UploadSession.id == session_id)
        .values(
            status=SessionStatus.enriching,
            error_message=None,
            updated_at=now,
            username=library.profile.username if library.profile else session.username,
            ignored_files=library.ignored_files,
            total_movies=len(library.films),
            diary_count=len(library.diary),
            rating_count=library.rating_count,
            review_count=len(library.reviews),
            like_count=library.like_count,
            list_count=len(library.lists),
            list_entry_count=library.list_entry_count,
            watchlist_count=len(library.watchlist),
            enriched_count=enriched,
            matched_count=counts["matched"],
            needs_review_count=counts["needs_review"],
            unmatched_count=counts["unmatched"],
            failed_count=counts["failed"],
            carried_count=enriched,
            watchlist_enriched=watchlist_enriched,
        )
        .execution_options(synchronize_session=False)
    )


# children first (no reliance on cascades); the session and its history stay
_CHILD_TABLES = (ListEntry, FilmList, Review, DiaryEntry, WatchlistEntry, Film)


async def history(db: AsyncSession, session_id: uuid.UUID) -> list[ImportRecord]:
    rows = await db.scalars(
        select(ImportRecord)
        .where(ImportRecord.session_id == session_id)
        .order_by(ImportRecord.import_no)
    )
    return list(rows)


async def latest_import(db: AsyncSession, session_id: uuid.UUID) -> ImportRecord | None:
    return await db.scalar(
        select(ImportRecord)
        .where(ImportRecord.session_id == session_id)
        .order_by(ImportRecord.import_no.desc())
        .limit(1)
    )


async def add_import(
    db: AsyncSession,
    session_id: uuid.UUID,
    *,
    kind: str,
    now: datetime,
    export_date: date | None,
    counts: dict[str, Any],
    changes: dict[str, Any] | None,
    warnings: list[str],
) -> None:
    latest = await db.scalar(
        select(func.max(ImportRecord.import_no)).where(ImportRecord.session_id == session_id)
    )
    db.add(
        ImportRecord(
            session_id=session_id,
            import_no=(latest or 0) + 1,
            kind=kind,
            imported_at=now,
            export_date=export_date,
            counts=counts,
            changes=changes,
            warnings=warnings,
        )
    )
    await db.flush()
