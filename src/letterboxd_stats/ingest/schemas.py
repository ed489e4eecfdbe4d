from __future__ import annotations

import uuid

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
