from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy import delete as sql_delete
from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.models import (
    SESSION_TABLES,
    DiaryEntry,
    Film,
    Review,
    SessionStatus,
    TmdbMovie,
    UploadSession,
)


async def get(
    db: AsyncSession, session_id: uuid.UUID, *, fresh: bool = False
) -> UploadSession | None:
    """`fresh`: read the row again even if this session holds it (it changed meanwhile)."""
    return await db.get(UploadSession, session_id, populate_existing=fresh)


async def mark_cancelled(db: AsyncSession, session_id: uuid.UUID) -> bool:
    """`cancelled` if the session's job has not finished; False when it had (or no session)."""
    result = await db.execute(
        update(UploadSession)
        .where(UploadSession.id == session_id, UploadSession.status.in_(_RUNNING))
        .values(
            status=SessionStatus.cancelled,
            error_message="Cancelled by the user; the films matched so far are kept.",
            updated_at=datetime.now(UTC),
        )
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


_RUNNING = (SessionStatus.uploading, SessionStatus.processing, SessionStatus.enriching)


@dataclass(slots=True)
class FilmActivity:
    watched_dates: list[date] = field(default_factory=list)
    rewatch_count: int = 0
    review_count: int = 0
    tags: dict[str, None] = field(default_factory=dict)


async def film_page(
    db: AsyncSession, session_id: uuid.UUID, *, limit: int, offset: int
) -> list[tuple[Film, TmdbMovie | None, FilmActivity]]:
    rows = (
        await db.execute(
            select(Film, TmdbMovie)
            .outerjoin(
                TmdbMovie,
                and_(TmdbMovie.tmdb_id == Film.tmdb_id, TmdbMovie.kind == Film.tmdb_kind),
            )
            .where(Film.session_id == session_id)
            .order_by(Film.film_no)
            .limit(limit)
            .offset(offset)
        )
    ).all()
    if not rows:
        return []
    film_nos = [film.film_no for film, _ in rows]
    activity: defaultdict[int, FilmActivity] = defaultdict(FilmActivity)
    diary = await db.execute(
        select(DiaryEntry.film_no, DiaryEntry.watched_on, DiaryEntry.rewatch, DiaryEntry.tags)
        .where(DiaryEntry.session_id == session_id, DiaryEntry.film_no.in_(film_nos))
        .order_by(DiaryEntry.watched_on, DiaryEntry.entry_no)
    )
    for film_no, watched_on, rewatch, tags in diary:
        item = activity[film_no]
        item.watched_dates.append(watched_on)
        item.rewatch_count += int(rewatch)
        item.tags.update(dict.fromkeys(tags))
    reviews = await db.execute(
        select(Review.film_no, Review.tags)
        .where(Review.session_id == session_id, Review.film_no.in_(film_nos))
        .order_by(Review.review_no)
    )
    for reviewed_no, review_tags in reviews:
        if reviewed_no is None:  # excluded by the IN clause; narrows the type
            continue
        activity[reviewed_no].review_count += 1
        activity[reviewed_no].tags.update(dict.fromkeys(review_tags))
    return [(film, movie, activity[film.film_no]) for film, movie in rows]


async def delete(db: AsyncSession, session_id: uuid.UUID) -> bool:
    """Remove every row of the session, children first (no reliance on cascades)."""
    for model in SESSION_TABLES:
        table: Any = model
        await db.execute(sql_delete(table).where(table.session_id == session_id))
    result = await db.execute(sql_delete(UploadSession).where(UploadSession.id == session_id))
    return bool(getattr(result, "rowcount", 0))


async def film_exists(db: AsyncSession, session_id: uuid.UUID, film_no: int) -> bool:
    return await db.get(Film, (session_id, film_no)) is not None


async def expired_ids(db: AsyncSession, inactive_since: datetime) -> list[uuid.UUID]:
    """The sessions whose last activity is older than `inactive_since`."""
    rows = await db.scalars(
        select(UploadSession.id).where(UploadSession.last_active_at < inactive_since)
    )
    return list(rows)


async def touch(db: AsyncSession, session_id: uuid.UUID, now: datetime) -> None:
    """The session's last activity is now (never moved back)."""
    await db.execute(
        update(UploadSession)
        .where(UploadSession.id == session_id, UploadSession.last_active_at < now)
        .values(last_active_at=now)
        .execution_options(synchronize_session=False)
    )


async def get_by_share_id(db: AsyncSession, share_id: uuid.UUID) -> UploadSession | None:
    """The session whose read-only share link has this id."""
    found: UploadSession | None = await db.scalar(
        select(UploadSession).where(UploadSession.share_id == share_id)
    )
    return found


async def set_share_id(db: AsyncSession, session_id: uuid.UUID, share_id: uuid.UUID) -> bool:
    """The session's share link is `share_id`, unless it has one already (two requests at
    once: the first one wins). False when it had one (or there is no such session)."""
    result = await db.execute(
        update(UploadSession)
        .where(UploadSession.id == session_id, UploadSession.share_id.is_(None))
        .values(share_id=share_id)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def clear_share_id(db: AsyncSession, session_id: uuid.UUID) -> None:
    await db.execute(
        update(UploadSession)
        .where(UploadSession.id == session_id)
        .values(share_id=None)
        .execution_options(synchronize_session=False)
    )
