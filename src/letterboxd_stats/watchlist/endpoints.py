from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from letterboxd_stats.db import SessionDep
from letterboxd_stats.kit.responses import error_responses
from letterboxd_stats.sessions.deps import ViewerAccessDep
from letterboxd_stats.stats.service import MAX_YEAR, MIN_YEAR
from letterboxd_stats.watchlist.schemas import Sort, WatchlistResponse
from letterboxd_stats.watchlist.service import Filters, ranked_watchlist
from letterboxd_stats.watchlist.training import TasteTrainer

router = APIRouter(prefix="/api/session", tags=["watchlist"], responses=error_responses(404))


def get_trainer(request: Request) -> TasteTrainer:
    trainer: TasteTrainer = request.app.state.trainer
    return trainer


TrainerDep = Annotated[TasteTrainer, Depends(get_trainer)]


@router.get("/{session_id}/watchlist", response_model=WatchlistResponse)
async def get_watchlist(
    access: ViewerAccessDep,
    db: SessionDep,
    trainer: TrainerDep,
    max_runtime: Annotated[int | None, Query(ge=1, le=100_000, description="Minutes.")] = None,
    genre: Annotated[
        str | None, Query(min_length=1, max_length=100, description="A TMDB genre's name.")
    ] = None,
    decade: Annotated[
        int | None,
        Query(ge=MIN_YEAR // 10 * 10, le=MAX_YEAR, multiple_of=10, description="e.g. 1970."),
    ] = None,
    min_predicted: Annotated[float | None, Query(ge=0.5, le=5.0)] = None,
    sort: Sort = "predicted",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> WatchlistResponse:
    """The watchlist ranked by a rating predicted from your own ratings (the taste model, with
    its cross-validated accuracy beside two baselines: `model`), filtered. The model is trained
    in the background once the library is enriched and again after it changed: until then
    `model.status` is `training`. A share id may ask."""
    filters = Filters(max_runtime, genre, decade, min_predicted, sort, limit, offset)
    return await ranked_watchlist(db, access, trainer, filters)
