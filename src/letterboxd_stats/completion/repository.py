"""Completion's reads (the library's seen films with their tags and collections, its
watchlist, its lists) and writes (the global caches of collections and people, the phase's
counters, the library's hidden collections and people)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from letterboxd_stats.db import upsert_insert
from letterboxd_stats.models import (
    CompletionIgnore,
    Film,
    FilmList,
    ListEntry,
    TmdbCollection,
    TmdbKind,
    TmdbMovie,
    TmdbPerson,
    UploadSession,
    WatchlistEntry,
)
from letterboxd_stats.stats.repository import USABLE, usable_tmdb
from letterboxd_stats.stats.tags import unpack_labels, unpack_tags
from letterboxd_stats.tmdb.schemas import CollectionDetails, PersonCredits


async def seen_films(
    conn: AsyncConnection, session_id: uuid.UUID
) -> list[tuple[int, Any, Any, int | None]]:
    """The library's films matched to TMDB movies: (id, tags, labels, collection id)."""
    rows = await conn.execute(
        select(TmdbMovie.tmdb_id, TmdbMovie.tags, TmdbMovie.labels, TmdbMovie.collection_id)
        .join(Film, usable_tmdb(Film))
        .where(Film.session_id == session_id, TmdbMovie.kind == TmdbKind.movie)
    )
    return [
        (tmdb_id, unpack_tags(tags), unpack_labels(labels), collection_id)
        for tmdb_id, tags, labels, collection_id in rows
    ]


async def watchlist_ids(conn: AsyncConnection, session_id: uuid.UUID) -> set[int]:
    rows = await conn.scalars(
        select(WatchlistEntry.tmdb_id).where(
            WatchlistEntry.session_id == session_id,
            WatchlistEntry.match_status.in_(USABLE),
            WatchlistEntry.tmdb_kind == TmdbKind.movie,
        )
    )
    return {tmdb_id for tmdb_id in rows if tmdb_id is not None}


async def collections(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, Any]:
    """Cached collections: rows of (collection_id, name, poster_path, parts) by id."""
    rows = await conn.execute(
        select(
            TmdbCollection.collection_id,
            TmdbCollection.name,
            TmdbCollection.poster_path,
            TmdbCollection.parts,
        ).where(TmdbCollection.collection_id.in_(ids))
    )
    return {row.collection_id: row for row in rows}


async def people(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, Any]:
    rows = await conn.execute(
        select(
            TmdbPerson.person_id, TmdbPerson.directed, TmdbPerson.acted, TmdbPerson.fetched_at
        ).where(TmdbPerson.person_id.in_(ids))
    )
    return {row.person_id: row for row in rows}


async def store_collection(db: AsyncSession, answer: CollectionDetails, at: datetime) -> None:
    values = {
        "collection_id": answer.id,
        "name": answer.name,
        "poster_path": answer.poster_path,
        "parts": [[p.id, p.title, p.release_date, p.poster_path] for p in answer.parts],
        "fetched_at": at,
    }
    statement = upsert_insert(db, TmdbCollection).values(values)
    await db.execute(
        statement.on_conflict_do_update(
            index_elements=["collection_id"],
            set_={k: statement.excluded[k] for k in values if k != "collection_id"},
        )
    )


async def store_person(db: AsyncSession, answer: PersonCredits, at: datetime) -> None:
    values = {
        "person_id": answer.id,
        "directed": [
            [f.id, f.title, f.release_date, f.poster_path, f.genre_ids, f.video]
            for f in answer.crew
            if f.job == "Director"
        ],
        "acted": [
            [
                f.id,
                f.title,
                f.release_date,
                f.poster_path,
                f.genre_ids,
                f.video,
                f.order,
                f.character,
            ]
            for f in answer.cast
        ],
        "fetched_at": at,
    }
    statement = upsert_insert(db, TmdbPerson).values(values)
    await db.execute(
        statement.on_conflict_do_update(
            index_elements=["person_id"],
            set_={k: statement.excluded[k] for k in values if k != "person_id"},
        )
    )


async def begin_extras(db: AsyncSession, session_id: uuid.UUID, remaining: int) -> None:
    """The phase (re)starts with `remaining` items to fetch: its total is what it has done
    plus those."""
    await db.execute(
        update(UploadSession)
        .where(UploadSession.id == session_id)
        .values(extras_total=UploadSession.extras_done + remaining)
    )


async def count_extra(db: AsyncSession, session_id: uuid.UUID) -> None:
    await db.execute(
        update(UploadSession)
        .where(UploadSession.id == session_id)
        .values(extras_done=UploadSession.extras_done + 1)
    )


async def ignored(conn: AsyncConnection, session_id: uuid.UUID) -> set[tuple[str, int]]:
    rows = await conn.execute(
        select(CompletionIgnore.kind, CompletionIgnore.ref_id).where(
            CompletionIgnore.session_id == session_id
        )
    )
    return {(kind, ref_id) for kind, ref_id in rows}


async def set_ignored(
    db: AsyncSession, session_id: uuid.UUID, kind: str, ref_id: int, hidden: bool
) -> None:
    await db.execute(
        delete(CompletionIgnore).where(
            CompletionIgnore.session_id == session_id,
            CompletionIgnore.kind == kind,
            CompletionIgnore.ref_id == ref_id,
        )
    )
    if hidden:
        db.add(CompletionIgnore(session_id=session_id, kind=kind, ref_id=ref_id))
        await db.flush()


async def list_entries(
    conn: AsyncConnection, session_id: uuid.UUID
) -> list[tuple[int, str, int | None, str, int | None, int | None]]:
    """Every list entry: (list no, list name, position, title, year, the library film no)."""
    rows = await conn.execute(
        select(
            FilmList.list_no,
            FilmList.name,
            ListEntry.position,
            ListEntry.title,
            ListEntry.year,
            ListEntry.film_no,
        )
        .join(
            ListEntry,
            and_(
                ListEntry.session_id == FilmList.session_id, ListEntry.list_no == FilmList.list_no
            ),
        )
        .where(FilmList.session_id == session_id)
        .order_by(FilmList.list_no, ListEntry.entry_no)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


async def library_titles(
    conn: AsyncConnection, session_id: uuid.UUID
) -> list[tuple[str, int | None]]:
    rows = await conn.execute(select(Film.title, Film.year).where(Film.session_id == session_id))
    return [(title, year) for title, year in rows]


async def watchlist_titles(
    conn: AsyncConnection, session_id: uuid.UUID
) -> list[tuple[str, int | None]]:
    rows = await conn.execute(
        select(WatchlistEntry.title, WatchlistEntry.year).where(
            WatchlistEntry.session_id == session_id
        )
    )
    return [(title, year) for title, year in rows]


async def unfinished_extras(db: AsyncSession) -> int:
    """Libraries whose completion phase has work left (for the restart's resume)."""
    return int(
        await db.scalar(
            select(func.count()).where(UploadSession.extras_done < UploadSession.extras_total)
        )
        or 0
    )
