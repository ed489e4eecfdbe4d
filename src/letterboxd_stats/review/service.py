"""The year in review of a library: its rows (the statistics' loader), the stored catalogue of
its top genres (`review.repository`), computed (`review.compute`)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.config import Settings
from letterboxd_stats.errors import SessionNotFound
from letterboxd_stats.review import repository
from letterboxd_stats.review.compute import catalogue_genres, compute_review
from letterboxd_stats.review.schemas import ReviewResponse
from letterboxd_stats.sessions.access import SessionAccess
from letterboxd_stats.stats import repository as stats_repository


async def review(
    db: AsyncSession, access: SessionAccess, year: int | None, settings: Settings
) -> ReviewResponse:
    """All time (`year=None`) or one year; its `session_id` is the id asked with."""
    rows = await stats_repository.load(db, access.session.id)
    if rows is None:
        raise SessionNotFound("no session with this id")
    stored = await repository.catalogue(await db.connection(), catalogue_genres(rows, year))
    answer = compute_review(
        rows,
        year,
        stored,
        today=datetime.now(UTC).date(),
        placeholder_day_viewings=settings.placeholder_day_viewings,
    )
    return answer.model_copy(update={"session_id": access.shown_id})
