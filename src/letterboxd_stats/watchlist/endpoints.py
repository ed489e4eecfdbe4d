from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from letterboxd_stats.db import SessionDep
from letterboxd_stats.deps import ProvidersDep, SettingsDep, TrainerDep, WatchlistsDep
from letterboxd_stats.errors import InvalidProviders, InvalidRegion
from letterboxd_stats.kit.regions import region_code
from letterboxd_stats.kit.responses import error_responses
from letterboxd_stats.sessions.deps import OwnerSessionDep, ViewerAccessDep
from letterboxd_stats.stats.service import MAX_YEAR, MIN_YEAR
from letterboxd_stats.watchlist.ranking import Filters
from letterboxd_stats.watchlist.schemas import Sort, WatchlistResponse, WatchSettings
from letterboxd_stats.watchlist.service import ranked_watchlist, save_settings

router = APIRouter(prefix="/api/session", tags=["watchlist"], responses=error_responses(404))


def _provider_ids(value: str | None) -> frozenset[int] | None:
    if value is None:
        return None
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if not parts or not all(p.isdigit() and 0 < len(p) <= 10 for p in parts):
        raise InvalidProviders("providers: TMDB provider ids separated by commas, e.g. 8,337")
    return frozenset(int(p) for p in parts)


@router.get("/{session_id}/watchlist", response_model=WatchlistResponse)
async def get_watchlist(
    access: ViewerAccessDep,
    db: SessionDep,
    trainer: TrainerDep,
    refresher: ProvidersDep,
    lists: WatchlistsDep,
    settings: SettingsDep,
    region: Annotated[
        str | None,
        Query(
            min_length=2,
            max_length=2,
            description="ISO 3166-1 alpha-2 (e.g. GB); default: the library's, else WATCH_REGION.",
        ),
    ] = None,
    providers: Annotated[
        str | None,
        Query(
            max_length=1000,
            description="TMDB provider ids, comma-separated: only films streaming (by "
            "subscription, free or with ads) on any of them in the region.",
        ),
    ] = None,
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
    its cross-validated accuracy beside two baselines: `model`), with where each film can be
    watched in a region (`where`; JustWatch's data through TMDB, refreshed in the background
    when over a week old), filtered. The model is trained when the library's enrichment ends
    and again after it changed: until then `model.status` is `training`. A share id may ask."""
    try:
        code = region_code(region) if region is not None else None
    except ValueError as exc:
        raise InvalidRegion(f"region: {exc}") from exc
    filters = Filters(
        code, _provider_ids(providers), max_runtime, genre, decade, min_predicted, sort, limit,
        offset,
    )  # fmt: skip
    return await ranked_watchlist(
        db, access, trainer, refresher, filters, settings.watch_region, lists
    )


@router.put(
    "/{session_id}/watch-settings", response_model=WatchSettings, responses=error_responses(422)
)
async def put_watch_settings(
    session: OwnerSessionDep, db: SessionDep, wanted: WatchSettings
) -> WatchSettings:
    """The owner's region (ISO 3166-1 alpha-2; null: the server's WATCH_REGION) and the
    services they pay for (TMDB provider ids, from `where.providers` of the watchlist): saved
    on the library; the watchlist then shows that region and can keep only those services."""
    return await save_settings(db, session, wanted)
