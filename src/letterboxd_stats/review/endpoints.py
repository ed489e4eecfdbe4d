from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from letterboxd_stats.db import SessionDep
from letterboxd_stats.deps import SettingsDep
from letterboxd_stats.kit.responses import error_responses
from letterboxd_stats.review import service
from letterboxd_stats.review.schemas import ReviewResponse
from letterboxd_stats.sessions.deps import OpenedAccessDep
from letterboxd_stats.stats.service import MAX_YEAR, MIN_YEAR

router = APIRouter(prefix="/api/session", tags=["review"], responses=error_responses(404))


@router.get("/{session_id}/review", response_model=ReviewResponse)
async def get_review(
    access: OpenedAccessDep,
    db: SessionDep,
    settings: SettingsDep,
    year: Annotated[
        int | None,
        Query(
            ge=MIN_YEAR,
            le=MAX_YEAR,
            description="Year in review: the diary viewings of this calendar year.",
        ),
    ] = None,
) -> ReviewResponse:
    """The data behind the year in review, all time or for one year: where the films come
    from, how the period splits, the diary as a calendar, decades by genre, the rating's
    drift, and the gaps (films directed by women, not in English, continents, decades and
    countries of the stored catalogue never visited). A share id may ask: the answer's
    `session_id` is then the share id."""
    return await service.review(db, access, year, settings)
