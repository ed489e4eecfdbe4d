"""The watchlist ranked by a predicted rating (`GET /api/session/{id}/watchlist`). Definitions
in the field descriptions."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from letterboxd_stats.watchlist.constants import FOLDS, MIN_RATED

Sort = Literal["predicted", "runtime", "added", "popularity"]


class Score(BaseModel):
    mae: float = Field(description=f"Mean absolute error in stars, {FOLDS}-fold cross-validated.")
    spearman: float | None = Field(
        description="Spearman correlation of the held-out predictions with the ratings (null: "
        "it ranks nothing, as the mean rating)."
    )


class ModelState(BaseModel):
    status: Literal["ready", "training", "too_few"] = Field(
        description="ready: predictions computed for this version of the library (or, with "
        "`up_to_date` false, for an earlier one while the new one is computed); training: none "
        f"yet, being computed in the background; too_few: fewer than {MIN_RATED} rated films "
        "with TMDB data."
    )
    up_to_date: bool = Field(description="Computed from the library as it is now.")
    rated: int | None = Field(description="Rated films with TMDB data the model rests on.")
    min_rated: int = MIN_RATED
    model: Score | None = Field(description="The model's cross-validated figures.")
    mean_rating: Score | None = Field(description="Baseline: your mean rating, computed alike.")
    tmdb_average: Score | None = Field(
        description="Baseline: a linear fit of your ratings on TMDB's vote average, alike."
    )
    beats_baselines: bool | None = Field(
        description="The model has a lower error than both baselines and ranks better than "
        "TMDB's average."
    )
    ranked_by: Literal["model", "tmdb_average"] | None = Field(
        description="What the predictions come from: the model when it beats both baselines, "
        "else TMDB's average fitted to your ratings."
    )
    summary: str = Field(description="The above in plain words.")


class Provider(BaseModel):
    id: int = Field(description="TMDB's provider id.")
    name: str | None
    logo_path: str | None = Field(description="On TMDB's image host.")


class Offers(BaseModel):
    link: str | None = Field(description="TMDB's page of where to watch the film in the region.")
    flatrate: list[Provider] = Field(description="By subscription (streaming).")
    free: list[Provider]
    ads: list[Provider] = Field(description="Free, with ads.")
    rent: list[Provider]
    buy: list[Provider]


class WatchlistItem(BaseModel):
    entry_no: int
    title: str
    year: int | None
    added_on: date
    tmdb_id: int | None
    poster_path: str | None
    runtime: int | None = Field(description="Minutes (TMDB).")
    popularity: float | None = Field(description="TMDB popularity.")
    genres: list[str] = Field(description="TMDB genres.")
    predicted: float | None = Field(description="Predicted rating, stars 0.5-5.")
    low: float | None = Field(description="The prediction minus the cross-validated error.")
    high: float | None = Field(description="The prediction plus the cross-validated error.")
    reasons: list[str] = Field(description="Up to three reasons, from the model's contributions.")
    offers: Offers | None = Field(
        description="Where it can be watched in the region (JustWatch's data, through TMDB); "
        "null: not known yet (being fetched), or the film has no TMDB match."
    )


ATTRIBUTION = "Where to watch: data by JustWatch, through TMDB."


class ProviderSeen(Provider):
    films: int = Field(description="Watchlist films it streams (flatrate, free or with ads).")


class RegionChoice(BaseModel):
    code: str = Field(description="ISO 3166-1 alpha-2.")
    name: str
    films: int = Field(description="Watchlist films offered there in any way.")


class WhereToWatch(BaseModel):
    region: str = Field(description="The region of the offers (ISO 3166-1 alpha-2).")
    region_name: str
    saved_region: str | None = Field(
        description="The owner's saved region; null: none saved (WATCH_REGION applies)."
    )
    services: list[int] = Field(description="The library's services (TMDB provider ids).")
    providers: list[ProviderSeen] = Field(
        description="Providers streaming any of the watchlist's films in the region, most "
        "films first: what the services are chosen from."
    )
    regions: list[RegionChoice] = Field(
        description="Regions where any watchlist film is offered (and the library's own)."
    )
    pending: int = Field(
        description="Watchlist films whose offers are not known yet or over a week old: asked "
        "for in the background."
    )
    attribution: str = ATTRIBUTION


class Choices(BaseModel):
    genres: list[str] = Field(description="Every genre of the watchlist's films (the filter's).")
    decades: list[int] = Field(description="Every decade of the watchlist's films.")


class WatchlistResponse(BaseModel):
    model: ModelState
    where: WhereToWatch
    choices: Choices
    total: int = Field(description="Entries matching the filters.")
    items: list[WatchlistItem]


class WatchSettings(BaseModel):
    """Where a library's owner watches: a region and the services they pay for."""

    region: str | None = Field(
        default=None,
        min_length=2,
        max_length=2,
        description="ISO 3166-1 alpha-2 (e.g. US, GB, FR); null: the server's WATCH_REGION.",
    )
    services: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(
        default=[], max_length=100, description="TMDB provider ids ('my services')."
    )
