"""The watchlist, filtered and ranked by the stored predictions of the taste model; asks for a
new training (in the background) when the library changed since the stored one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.models import FINAL_STATUSES, TastePredictions
from letterboxd_stats.sessions.access import SessionAccess
from letterboxd_stats.stats import repository as stats_repository
from letterboxd_stats.stats.rows import WatchlistRow
from letterboxd_stats.stats.tags import tag_parts
from letterboxd_stats.watchlist import repository
from letterboxd_stats.watchlist.constants import MIN_RATED
from letterboxd_stats.watchlist.schemas import (
    ModelState,
    Score,
    Sort,
    WatchlistItem,
    WatchlistResponse,
)
from letterboxd_stats.watchlist.training import TasteTrainer


@dataclass(frozen=True, slots=True)
class Filters:
    max_runtime: int | None = None
    genre: str | None = None  # TMDB genre id
    decade: int | None = None
    min_predicted: float | None = None
    sort: Sort = "predicted"
    limit: int = 50
    offset: int = 0


async def ranked_watchlist(
    db: AsyncSession, access: SessionAccess, trainer: TasteTrainer, filters: Filters
) -> WatchlistResponse:
    session = access.session
    stored = await repository.get(db, session.id)
    up_to_date = stored is not None and stored.version == session.updated_at
    if not up_to_date and session.status in FINAL_STATUSES:
        trainer.request(session.id)
    entries = await stats_repository.watchlist_rows(await db.connection(), session.id)
    predictions: dict[str, Any] = stored.predictions if stored is not None else {}
    items = [_item(e, predictions.get(str(e.entry_no))) for e in entries]
    items = [i for i in items if _kept(i, filters)]
    items.sort(key=_sort_key(filters.sort))
    return WatchlistResponse(
        model=_state(stored, up_to_date),
        total=len(items),
        items=items[filters.offset : filters.offset + filters.limit],
    )


def _item(entry: WatchlistRow, prediction: list[Any] | None) -> WatchlistItem:
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
    )


def _kept(item: WatchlistItem, f: Filters) -> bool:
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
