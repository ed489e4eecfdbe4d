"""Statistics of a session: load its rows (repository), compute (pure)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.errors import SessionNotFound
from letterboxd_stats.sessions.service import parse_session_id
from letterboxd_stats.stats import repository
from letterboxd_stats.stats.compute import compute_stats
from letterboxd_stats.stats.schemas import StatsResponse

MIN_YEAR = 1870
MAX_YEAR = 2100


async def session_stats(db: AsyncSession, session_id: uuid.UUID, year: int | None) -> StatsResponse:
    """All-time statistics (`year=None`) or the year in review; SessionNotFound if unknown."""
    rows = await repository.load(db, session_id)
    if rows is None:
        raise SessionNotFound("no session with this id")
    return compute_stats(rows, year)


async def stats(db: AsyncSession, raw_id: str, year: int | None) -> StatsResponse:
    return await session_stats(db, parse_session_id(raw_id), year)
