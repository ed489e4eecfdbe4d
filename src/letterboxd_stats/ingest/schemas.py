from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

from letterboxd_stats.models import SessionStatus


class UploadAccepted(BaseModel):
    session_id: uuid.UUID
    status: SessionStatus
    total_movies: int = Field(
        description="Distinct films of the library (watched, rated, in the diary or liked): "
        "the films that are matched to TMDB and enriched."
    )
    watchlist_count: int
    ignored_files: list[str] = Field(
        description="Files of the upload that were not imported: deleted/ and orphaned/ "
        "entries, comments, liked reviews and lists, anything that is not an export file."
    )
    warnings: list[str] = Field(
        default_factory=list,
        description="Problems that did not stop the import (e.g. an unreadable list file).",
    )
    missing_files: list[str] = Field(
        default_factory=list,
        description="Files that every full export has (watched.csv, diary.csv, ratings.csv, "
        "reviews.csv, watchlist.csv, profile.csv) but this upload lacks: a partial export is "
        "imported from what it holds (the library of an upload of ratings.csv alone is its "
        "rated films). Empty for a full export.",
    )


class FilmRef(BaseModel):
    title: str
    year: int | None


class RatingChange(FilmRef):
    old: float | None = Field(description="Stars before (null: not rated).")
    new: float | None = Field(description="Stars now (null: no longer rated).")


class NewViewing(FilmRef):
    watched_on: date
    rating: float | None


class ChangeSummary(BaseModel):
    """What an update changed. Counts are exact; the lists name at most 200 items each."""

    films_added: int
    films_removed: int
    films_kept: int = Field(description="Paired with a film of the previous export.")
    films_paired_by_title: int = Field(
        description="Kept films paired by normalised title and year (their links differ in form)."
    )
    films_paired_by_near_year: int = Field(
        description="Kept films paired by normalised title and year ± 1 (a corrected year)."
    )
    added_films: list[FilmRef]
    removed_films: list[FilmRef]
    unpaired_films: list[FilmRef] = Field(
        description="Films that could have been more than one film of the other export: counted "
        "as removed (the previous export's) and added (this one's)."
    )
    diary_added: int
    diary_removed: int
    new_viewings: list[NewViewing] = Field(description="Viewings added, oldest first.")
    ratings_added: int
    ratings_removed: int
    ratings_changed: int
    rating_changes: list[RatingChange]
    new_ratings: list[RatingChange]
    reviews_added: int
    reviews_removed: int
    watchlist_added: int
    watchlist_removed: int
    added_to_watchlist: list[FilmRef]
    lists_added: int
    lists_removed: int
    lists_changed: int
    list_names_added: list[str]
    list_names_removed: list[str]
    list_names_changed: list[str]


class UpdateAccepted(BaseModel):
    session_id: uuid.UUID
    status: SessionStatus
    total_movies: int
    to_enrich: int = Field(description="Films this update sends to TMDB: the new ones.")
    export_date: date | None = Field(
        description="The new export's date: the one in the zip's name "
        "(letterboxd-<user>-YYYY-MM-DD-…), else the newest Date of its files."
    )
    previous_export_date: date | None
    changes: ChangeSummary
    ignored_files: list[str]
    warnings: list[str] = Field(
        description="Problems that did not stop the update, e.g. an export older than the "
        "current one."
    )
    missing_files: list[str]


class ImportItem(BaseModel):
    import_no: int
    kind: str = Field(description="`upload` (the first import) or `update`.")
    imported_at: datetime
    export_date: date | None
    counts: dict[str, int] = Field(description="What the library held after this import.")
    changes: ChangeSummary | None = Field(description="Null for the first upload.")
    warnings: list[str]


class ImportHistory(BaseModel):
    session_id: uuid.UUID
    imports: list[ImportItem] = Field(description="Oldest first.")
