"""The watchlist, filtered and ranked by the stored predictions of the taste model, with where
each film can be watched in the library's region; asks for a new training, and for offers
missing or over a week old, in the background."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.errors import InvalidRegion
from letterboxd_stats.kit.regions import region_code, region_name
from letterboxd_stats.models import (
    FINAL_STATUSES,
    SessionStatus,
    TastePredictions,
    UploadSession,
)
from letterboxd_stats.sessions.access import SessionAccess
from letterboxd_stats.stats import repository as stats_repository
from letterboxd_stats.stats.rows import WatchlistRow
from letterboxd_stats.stats.tags import tag_parts
from letterboxd_stats.tmdb.schemas import OFFER_TYPES
from letterboxd_stats.watchlist import repository
from letterboxd_stats.watchlist.constants import MIN_RATED
from letterboxd_stats.watchlist.providers import ProviderRefresher
from letterboxd_stats.watchlist.schemas import (
    Choices,
    ModelState,
    Offers,
    Provider,
    ProviderSeen,
    RegionChoice,
    Score,
    Sort,
    WatchlistItem,
    WatchlistResponse,
    WatchSettings,
    WhereToWatch,
)
from letterboxd_stats.watchlist.training import TasteTrainer

STREAMING = ("flatrate", "free", "ads")
"""The offers that let one watch tonight without paying per film."""


@dataclass(frozen=True, slots=True)
class Filters:
    region: str | None = None  # None: the library's, else the server's default
    providers: frozenset[int] | None = None  # kept: films streaming on any of these
    max_runtime: int | None = None
    genre: str | None = None  # a TMDB genre's name
    decade: int | None = None
    min_predicted: float | None = None
    sort: Sort = "predicted"
    limit: int = 50
    offset: int = 0


async def ranked_watchlist(
    db: AsyncSession,
    access: SessionAccess,
    trainer: TasteTrainer,
    refresher: ProviderRefresher,
    filters: Filters,
    default_region: str,
) -> WatchlistResponse:
    session = access.session
    stored = await repository.get(db, session.id)
    up_to_date = stored is not None and stored.version == session.updated_at
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
    entries = await stats_repository.watchlist_rows(conn, session.id)
    offers = await repository.offers_in(conn, session.id, region)
    unfetched = await repository.unfetched_entries(conn, session.id)
    stale = (
        await repository.stale_offers(conn, session.id, refresher.stale_before())
        if refresher.enabled  # without TMDB nothing is fetched: nothing is pending
        else []
    )
    if stale and finished:
        refresher.request(session.id)
    predictions: dict[str, Any] = stored.predictions if stored is not None else {}
    all_items = [
        _item(e, predictions.get(str(e.entry_no)), _offers(e, offers, unfetched)) for e in entries
    ]
    items = [i for i in all_items if _kept(i, filters)]
    items.sort(key=_sort_key(filters.sort))
    where = WhereToWatch(
        region=region,
        region_name=region_name(region) or region,
        saved_region=session.watch_region,
        services=list(session.watch_services or []),
        providers=_providers_seen(all_items),
        regions=_regions(await repository.offer_regions(conn, session.id), region),
        pending=len(stale),
    )
    return WatchlistResponse(
        model=_state(stored, up_to_date),
        where=where,
        choices=Choices(
            genres=sorted({g for i in all_items for g in i.genres}, key=str.casefold),
            decades=sorted({i.year // 10 * 10 for i in all_items if i.year is not None}),
        ),
        total=len(items),
        items=items[filters.offset : filters.offset + filters.limit],
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


def _offers(
    entry: WatchlistRow, offers: dict[int, tuple[str | None, dict[str, Any]]], unfetched: set[int]
) -> Offers | None:
    if entry.tmdb is None or entry.entry_no in unfetched:
        return None
    link, by_type = offers.get(entry.entry_no, (None, {}))
    return Offers(
        link=link,
        **{
            kind: [Provider(id=p[0], name=p[1], logo_path=p[2]) for p in by_type.get(kind, [])]
            for kind in OFFER_TYPES
        },
    )


def _streams_on(item: WatchlistItem) -> set[int]:
    if item.offers is None:
        return set()
    return {p.id for kind in STREAMING for p in getattr(item.offers, kind)}


def _providers_seen(items: list[WatchlistItem]) -> list[ProviderSeen]:
    films: Counter[int] = Counter()
    shown: dict[int, Provider] = {}
    for item in items:
        for kind in STREAMING:
            for provider in getattr(item.offers, kind) if item.offers is not None else []:
                shown.setdefault(provider.id, provider)
        films.update(_streams_on(item))
    return [
        ProviderSeen(**shown[pid].model_dump(), films=count)
        for pid, count in sorted(films.items(), key=lambda kv: (-kv[1], shown[kv[0]].name or ""))
    ]


def _regions(counts: dict[str, int], current: str) -> list[RegionChoice]:
    codes = set(counts) | {current}
    choices = [
        RegionChoice(code=code, name=region_name(code) or code, films=counts.get(code, 0))
        for code in codes
    ]
    return sorted(choices, key=lambda c: c.name)


def _item(
    entry: WatchlistRow, prediction: list[Any] | None, offers: Offers | None
) -> WatchlistItem:
    facts = entry.tmdb
    genres = []
    if facts is not None:
        genres = [facts.label(t).name for t in facts.tags if tag_parts(t)[0] == "genres"]
    stars, low, high, reasons = prediction if prediction is not None else (None, None, None, [])
    return WatchlistItem(
        entry_no=entry.entry_no,
        title=entry.title,
        year=entry.year,
        added_on=entry.added_on,
        tmdb_id=facts.tmdb_id if facts is not None else None,
        poster_path=facts.poster_path if facts is not None else None,
        runtime=facts.runtime if facts is not None else None,
        popularity=facts.popularity if facts is not None else None,
        genres=genres,
        predicted=stars,
        low=low,
        high=high,
        reasons=reasons,
        offers=offers,
    )


def _kept(item: WatchlistItem, f: Filters) -> bool:
    if f.providers is not None and not (_streams_on(item) & f.providers):
        return False
    if f.max_runtime is not None and (item.runtime is None or item.runtime > f.max_runtime):
        return False
    if f.decade is not None and (item.year is None or item.year // 10 * 10 != f.decade):
        return False
    if f.min_predicted is not None and (item.predicted is None or item.predicted < f.min_predicted):
        return False
    return f.genre is None or f.genre.casefold() in (g.casefold() for g in item.genres)


def _sort_key(sort: Sort) -> Any:
    """Entries without the value last; ties by the date added, newest first, then number."""

    def key(item: WatchlistItem) -> tuple[Any, ...]:
        value: float | None
        if sort == "predicted":
            value = None if item.predicted is None else -item.predicted
        elif sort == "runtime":
            value = item.runtime
        elif sort == "popularity":
            value = None if item.popularity is None else -item.popularity
        else:
            value = -item.added_on.toordinal()
        return (value is None, value or 0, -item.added_on.toordinal(), item.entry_no)

    return key


def _state(stored: TastePredictions | None, up_to_date: bool) -> ModelState:
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
