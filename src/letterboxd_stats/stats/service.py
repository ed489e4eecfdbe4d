"""Statistics of a session: load its rows (repository), compute (pure).

A computed answer is kept per (session, year) for as long as the session does not change
(`Answers`, bounded in bytes by STATS_CACHE_BYTES):
every write that changes what the statistics rest on (film results, a user's match fix, the
watchlist's results, the status, a refresh that changed a film's metadata: `enrich.refresh`)
moves the session's `updated_at`, which is the cache's key.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.config import Settings
from letterboxd_stats.errors import SessionNotFound
from letterboxd_stats.kit.answers import Answers
from letterboxd_stats.sessions.access import SessionAccess
from letterboxd_stats.stats import repository
from letterboxd_stats.stats.compute import compute_stats
from letterboxd_stats.stats.schemas import StatsResponse

MIN_YEAR = 1870
MAX_YEAR = 2100


async def session_stats(
    db: AsyncSession,
    session_id: uuid.UUID,
    year: int | None,
    settings: Settings,
    shown_id: uuid.UUID | None = None,
) -> StatsResponse:
    """All-time statistics (`year=None`) or the year in review; SessionNotFound if unknown.
    `shown_id`: the id the answer names (a viewer's share id; the session's by default)."""
    rows = await repository.load(db, session_id)
    if rows is None:
        raise SessionNotFound("no session with this id")
    stats = compute_stats(rows, year, placeholder_day_viewings=settings.placeholder_day_viewings)
    return stats if shown_id is None else stats.model_copy(update={"session_id": shown_id})


async def stats_json(
    db: AsyncSession,
    answers: Answers,
    access: SessionAccess,
    year: int | None,
    settings: Settings,
) -> str:
    """The statistics as JSON, computed once per version of the session (the settings are
    those of the process: the same for every answer it keeps), and per id it is asked by: an
    answer names its id, and a viewer's must name the share id, never the session's."""
    session, shown_id = access.session, access.shown_id
    key = (shown_id, year)
    cached = answers.get(key, session.updated_at)
    if cached is not None:
        return cached
    answer = (await session_stats(db, session.id, year, settings, shown_id)).model_dump_json()
    answers.put(key, session.updated_at, answer)
    return answer
