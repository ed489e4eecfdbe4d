from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from letterboxd_stats.db import SessionDep
from letterboxd_stats.deps import AnswersDep, SettingsDep
from letterboxd_stats.kit.responses import error_responses
from letterboxd_stats.sessions.deps import OpenedAccessDep
from letterboxd_stats.stats import service
from letterboxd_stats.stats.schemas import StatsResponse

router = APIRouter(prefix="/api/session", tags=["stats"], responses=error_responses(404))


@router.get("/{session_id}/stats", response_model=StatsResponse)
async def get_stats(
    access: OpenedAccessDep,
    db: SessionDep,
    answers: AnswersDep,
    settings: SettingsDep,
    year: Annotated[
        int | None,
        Query(
            ge=service.MIN_YEAR,
            le=service.MAX_YEAR,
            description="Year in review: the diary viewings of this calendar year.",
        ),
    ] = None,
) -> Response:
    """Statistics of the session, all time or for one year: one key per section. TMDB-derived
    sections say how many films they rest on (`based_on`); see `coverage`. Opening them has
    the films' TMDB metadata older than TMDB_REFRESH_DAYS refreshed in the background; by its
    owner, the library is active again (it expires SESSION_TTL_DAYS from now). A share id may
    ask: the answer's `session_id` is then the share id."""
    # Serialised by pydantic in one step (the documented response_model, without FastAPI
    # validating and encoding the ~100 KB body a second time), and kept until the session
    # changes.
    return Response(
        await service.stats_json(db, answers, access, year, settings),
        media_type="application/json",
    )
