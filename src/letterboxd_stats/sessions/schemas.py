from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

from letterboxd_stats.models import MatchStatus, SessionStatus


class SessionCounts(BaseModel):
    films: int = Field(
        description="Distinct films of the library (watched, rated, in the diary or liked)."
    )
    diary_entries: int = Field(description="Viewings: rows of diary.csv.")
    ratings: int = Field(
        description="Films with a rating (ratings.csv, else the latest rated viewing)."
    )
    reviews: int
    likes: int
    lists: int
    list_entries: int
    watchlist: int


class SessionSummary(BaseModel):
    session_id: uuid.UUID
    status: SessionStatus
    username: str | None
    created_at: datetime
    expires_at: datetime
    counts: SessionCounts
    ignored_files: list[str]


class SessionProgress(BaseModel):
    session_id: uuid.UUID
    status: SessionStatus
    total_movies: int
    enriched_count: int = Field(description="Films whose TMDB step has ended (matched or not).")
    matched_count: int
    failed_count: int
    progress_percent: float = Field(ge=0, le=100)
    error_message: str | None


class Movie(BaseModel):
    title: str
    year: int | None
    letterboxd_uri: str | None = Field(
        description="The film's Letterboxd link; null for a film known only from the diary."
    )
    rating: float | None = Field(description="Stars, 0.5 to 5; null when unrated.")
    watched_dates: list[date] = Field(description="Watched Date of each diary entry, oldest first.")
    rewatch_count: int
    liked: bool
    review_count: int
    tags: list[str] = Field(description="Tags of the film's diary entries and reviews.")
    match_status: MatchStatus
    tmdb_id: int | None
    tmdb_title: str | None
    original_title: str | None
    release_date: date | None
    runtime: int | None
    genres: list[str] | None
    poster_path: str | None
    popularity: float | None
    vote_average: float | None


class MoviePage(BaseModel):
    total: int
    items: list[Movie]
