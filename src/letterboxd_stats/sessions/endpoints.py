from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from letterboxd_stats.db import SessionDep
from letterboxd_stats.kit.responses import error_responses
from letterboxd_stats.sessions import service
from letterboxd_stats.sessions.schemas import MoviePage, SessionProgress, SessionSummary

router = APIRouter(prefix="/api/session", tags=["session"], responses=error_responses(404))


@router.get("/{session_id}", response_model=SessionSummary)
async def get_session(session_id: str, db: SessionDep) -> SessionSummary:
    """What the export held: counts of films, viewings, ratings, reviews, lists, watchlist."""
    return await service.summary(db, session_id)


@router.get("/{session_id}/status", response_model=SessionProgress)
async def get_status(session_id: str, db: SessionDep) -> SessionProgress:
    """Progress of the enrichment: uploading → processing → enriching → completed | failed."""
    return await service.progress(db, session_id)


@router.get("/{session_id}/movies", response_model=MoviePage)
async def get_movies(
    session_id: str,
    db: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> MoviePage:
    """The library, one item per film, in the order films first appear in the export."""
    return await service.movies(db, session_id, limit=limit, offset=offset)


@router.delete("/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_session(session_id: str, db: SessionDep) -> Response:
    """Removes the session and everything of it. The id stops working at once."""
    await service.delete(db, session_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
