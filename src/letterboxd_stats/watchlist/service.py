"""The watchlist, filtered and ranked by the stored predictions of the taste model, with where
each film can be watched in the library's region; asks for a new training, and for offers
missing or over a week old, in the background."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.errors import InvalidRegion
from letterboxd_stats.kit.regions import region_code, region_name
from letterboxd_stats.models import (
    FINAL_STATUSES,
    SessionStatus,
    UploadSession,
)
from letterboxd_stats.sessions.access import SessionAccess
from letterboxd_stats.stats import repository as stats_repository
from letterboxd_stats.watchlist import repository
from letterboxd_stats.watchlist.constants import MIN_RATED
from letterboxd_stats.watchlist.providers import ProviderRefresher
from letterboxd_stats.watchlist.ranking import Filters, RankedLists, build, item, select
from letterboxd_stats.watchlist.schemas import (
    ModelState,
    Score,
    WatchlistResponse,
    WatchSettings,
    WhereToWatch,
)
from letterboxd_stats.watchlist.training import TasteTrainer


async def ranked_watchlist(
    db: AsyncSession,
    access: SessionAccess,
    trainer: TasteTrainer,
    refresher: ProviderRefresher,
    filters: Filters,
    default_region: str,
    lists: RankedLists,
) -> WatchlistResponse:
    session = access.session
    state = await repository.model_state(db, session.id)
    up_to_date = state is not None and state.version == session.updated_at
    # the job is over: the library (and, once it completed, the watchlist's phase too); the
    # model is not trained on a watchlist half enriched
    finished = session.status in FINAL_STATUSES and (
        session.status is not SessionStatus.completed
        or (session.watchlist_enriched or 0) >= session.watchlist_count
    )
    if not up_to_date and finished:
        trainer.request(session.id)
    region = filters.region or session.watch_region or default_region
    conn = await db.connection()
    unfetched_count, stale, latest = await repository.offers_state(
        conn, session.id, refresher.stale_before()
    )
    pending = stale if refresher.enabled else 0  # without TMDB nothing is fetched
    key = (session.id, region)
    version = (
        session.updated_at,
        state.trained_at if state is not None else None,
        latest,
        unfetched_count,
    )
    ranked = lists.get(key, version)
    if ranked is None:
        ranked = build(
            await stats_repository.watchlist_rows(conn, session.id),
            await repository.predictions(db, session.id),
            await repository.offers_in(conn, session.id, region),
            await repository.unfetched_entries(conn, session.id) if unfetched_count else set(),
            await repository.offer_regions(conn, session.id),
            region,
        )
        lists.put(key, version, ranked)
    if pending and finished:  # asked once the answer's rows are read: they match `pending`
        refresher.request(session.id)
    kept = select(ranked, filters)
    return WatchlistResponse(
        model=_state(state, up_to_date),
        where=WhereToWatch(
            region=region,
            region_name=region_name(region) or region,
            saved_region=session.watch_region,
            services=list(session.watch_services or []),
            providers=list(ranked.providers),
            regions=list(ranked.regions),
            pending=pending,
        ),
        choices=ranked.choices,
        total=len(kept),
        items=[item(e) for e in kept[filters.offset : filters.offset + filters.limit]],
    )


async def save_settings(
    db: AsyncSession, session: UploadSession, wanted: WatchSettings
) -> WatchSettings:
    """The owner's region (checked against ISO 3166-1: 422 `InvalidRegion` else) and services."""
    region = None
    if wanted.region is not None:
        try:
            region = region_code(wanted.region)
        except ValueError as exc:
            raise InvalidRegion(str(exc)) from exc
    services = sorted(set(wanted.services))
    await repository.save_watch_settings(db, session.id, region, services)
    return WatchSettings(region=region, services=services)


def _state(stored: Any, up_to_date: bool) -> ModelState:
    if stored is None:
        return ModelState(
            status="training", up_to_date=False, rated=None, model=None, mean_rating=None,
            tmdb_average=None, beats_baselines=None, ranked_by=None,
            summary="Your taste is being learned from your ratings: predictions follow shortly.",
        )  # fmt: skip
    accuracy = stored.accuracy
    if accuracy is None:
        return ModelState(
            status="too_few", up_to_date=up_to_date, rated=stored.rated, model=None,
            mean_rating=None, tmdb_average=None, beats_baselines=None, ranked_by=None,
            summary=f"Predictions need at least {MIN_RATED} rated films with TMDB data; this "
            f"library has {stored.rated}.",
        )  # fmt: skip
    model, mean, tmdb = (Score(**accuracy[k]) for k in ("model", "mean_rating", "tmdb_average"))
    if accuracy["beats_baselines"]:
        summary = (
            f"On your own ratings this guess is off by {model.mae:.2f}★ on average; TMDB's "
            f"average alone is off by {tmdb.mae:.2f}★, your mean rating by {mean.mae:.2f}★."
        )
    else:
        summary = (
            f"Learned from your ratings, the guess would be off by {model.mae:.2f}★ on average: "
            f"no better than TMDB's average fitted to your ratings ({tmdb.mae:.2f}★) or your "
            f"mean rating ({mean.mae:.2f}★), so the films are ranked by TMDB's average."
        )
    return ModelState(
        status="ready", up_to_date=up_to_date, rated=stored.rated, model=model, mean_rating=mean,
        tmdb_average=tmdb, beats_baselines=accuracy["beats_baselines"],
        ranked_by=accuracy["ranked_by"], summary=summary,
    )  # fmt: skip
