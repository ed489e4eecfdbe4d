"""The watchlist ranked by a predicted rating (`GET /api/session/{id}/watchlist`). Definitions
in the field descriptions."""

from __future__ import annotations

from datetime import date
from typing import Literal

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


class WatchlistResponse(BaseModel):
    model: ModelState
    total: int = Field(description="Entries matching the filters.")
    items: list[WatchlistItem]
