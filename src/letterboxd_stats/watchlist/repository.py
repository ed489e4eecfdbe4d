from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from letterboxd_stats.models import (
    Film,
    TastePredictions,
    TmdbKind,
    TmdbMovie,
    UploadSession,
    WatchlistEntry,
    WatchOffer,
)
from letterboxd_stats.stats.repository import USABLE, usable_tmdb


async def get(db: AsyncSession, session_id: uuid.UUID) -> TastePredictions | None:
    return await db.get(TastePredictions, session_id)


async def store(
    db: AsyncSession,
    session_id: uuid.UUID,
    version: datetime,
    trained_at: datetime,
    rated: int,
    accuracy: dict[str, Any] | None,
    predictions: dict[str, Any],
) -> bool:
    """The library's result, replacing an older one; False (nothing stored) when the library
    is gone (deleted while its model was trained) or has a result of a newer version (trained
    in another process meanwhile)."""
    if await db.scalar(select(UploadSession.id).where(UploadSession.id == session_id)) is None:
        return False
    stored = await db.scalar(
        select(TastePredictions.version).where(TastePredictions.session_id == session_id)
    )
    if stored is not None and stored > version:
        return False
    await db.execute(delete(TastePredictions).where(TastePredictions.session_id == session_id))
    db.add(
        TastePredictions(
            session_id=session_id,
            version=version,
            trained_at=trained_at,
            rated=rated,
            accuracy=accuracy,
            predictions=predictions,
        )
    )
    await db.flush()
    return True


# --- where to watch: offers (a global cache, `watch_offers`) and the library's settings ---


async def offers_in(
    conn: AsyncConnection, session_id: uuid.UUID, region: str
) -> dict[int, tuple[str | None, dict[str, Any]]]:
    """The region's offers of the session's watchlist films: (link, offers by type) by entry
    number (an entry whose film is offered nowhere there has none)."""
    rows = await conn.execute(
        select(WatchlistEntry.entry_no, WatchOffer.link, WatchOffer.offers)
        .join(
            WatchOffer,
            and_(
                WatchOffer.tmdb_id == WatchlistEntry.tmdb_id,
                WatchOffer.kind == WatchlistEntry.tmdb_kind,
            ),
        )
        .where(
            WatchlistEntry.session_id == session_id,
            WatchlistEntry.match_status.in_(USABLE),
            WatchOffer.region == region,
        )
    )
    return {entry_no: (link, offers) for entry_no, link, offers in rows}


async def unfetched_entries(conn: AsyncConnection, session_id: uuid.UUID) -> set[int]:
    """Watchlist entries (with TMDB metadata) whose film's offers were never fetched."""
    rows = await conn.scalars(
        select(WatchlistEntry.entry_no)
        .join(TmdbMovie, usable_tmdb(WatchlistEntry))
        .where(WatchlistEntry.session_id == session_id, TmdbMovie.providers_fetched_at.is_(None))
    )
    return set(rows)


async def offer_regions(conn: AsyncConnection, session_id: uuid.UUID) -> dict[str, int]:
    """The regions where any of the watchlist's films is offered, with how many films."""
    rows = await conn.execute(
        select(WatchOffer.region, func.count())
        .join(
            WatchlistEntry,
            and_(
                WatchlistEntry.tmdb_id == WatchOffer.tmdb_id,
                WatchlistEntry.tmdb_kind == WatchOffer.kind,
            ),
        )
        .where(WatchlistEntry.session_id == session_id, WatchlistEntry.match_status.in_(USABLE))
        .group_by(WatchOffer.region)
    )
    return {str(region): int(count) for region, count in rows}


async def stale_offers(
    conn: AsyncConnection, session_id: uuid.UUID, fetched_before: datetime
) -> list[tuple[TmdbKind, int]]:
    """The watchlist's films (with TMDB metadata) whose offers were never fetched, or before
    `fetched_before`."""
    rows = await conn.execute(
        select(TmdbMovie.kind, TmdbMovie.tmdb_id)
        .join(WatchlistEntry, usable_tmdb(WatchlistEntry))
        .where(
            WatchlistEntry.session_id == session_id,
            or_(
                TmdbMovie.providers_fetched_at.is_(None),
                TmdbMovie.providers_fetched_at < fetched_before,
            ),
        )
        .distinct()
    )
    return sorted((TmdbKind(kind), tmdb_id) for kind, tmdb_id in rows)


async def save_watch_settings(
    db: AsyncSession, session_id: uuid.UUID, region: str | None, services: list[int]
) -> None:
    await db.execute(
        update(UploadSession)
        .where(UploadSession.id == session_id)
        .values(watch_region=region, watch_services=services)
    )


async def model_state(db: AsyncSession, session_id: uuid.UUID) -> Any:
    """The stored model's version, training time, rated films and accuracy (not its
    predictions: a few hundred kilobytes a request need not decode); None: none stored."""
    row = await db.execute(
        select(
            TastePredictions.version,
            TastePredictions.trained_at,
            TastePredictions.rated,
            TastePredictions.accuracy,
        ).where(TastePredictions.session_id == session_id)
    )
    return row.one_or_none()


async def predictions(db: AsyncSession, session_id: uuid.UUID) -> dict[str, Any]:
    found = await db.scalar(
        select(TastePredictions.predictions).where(TastePredictions.session_id == session_id)
    )
    return found or {}


async def offers_state(
    conn: AsyncConnection, session_id: uuid.UUID, fetched_before: datetime
) -> tuple[int, int, datetime | None]:
    """Of the watchlist's entries with TMDB metadata: how many have offers never fetched, how
    many never or before `fetched_before`, and the latest fetch (the offers' version)."""
    fetched = TmdbMovie.providers_fetched_at
    never = case((fetched.is_(None), 1), else_=0)
    stale = case((or_(fetched.is_(None), fetched < fetched_before), 1), else_=0)
    row = (
        await conn.execute(
            select(func.sum(never), func.sum(stale), func.max(fetched))
            .select_from(WatchlistEntry)
            .join(TmdbMovie, usable_tmdb(WatchlistEntry))
            .where(WatchlistEntry.session_id == session_id)
        )
    ).one()
    latest = row[2]
    if isinstance(latest, str):  # SQLite's max() of a timestamp column is its text
        latest = datetime.fromisoformat(latest)
    return int(row[0] or 0), int(row[1] or 0), latest


async def rated_with_tmdb(db: AsyncSession, session_id: uuid.UUID) -> int:
    """The library's rated films with TMDB data (what the taste model learns from)."""
    found = await db.scalar(
        select(func.count())
        .select_from(Film)
        .join(TmdbMovie, usable_tmdb(Film))
        .where(Film.session_id == session_id, Film.rating_half_stars.is_not(None))
    )
    return int(found or 0)
