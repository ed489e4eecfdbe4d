from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

from letterboxd_stats.models import MatchStatus, SessionStatus, TmdbKind
from letterboxd_stats.sessions.access import Role


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


SHOWN_ID = (
    "The id this request was made with: the session id for its owner, the share id for a "
    "viewer (a viewer never sees the session id)."
)


class ShareLink(BaseModel):
    share_id: uuid.UUID = Field(
        description="The read-only share link's id: the library's dashboard and its read-only "
        "API answer it; everything else answers it 404, as an unknown id."
    )
    url: str = Field(description="The shared dashboard: /session/{share_id} on this server.")


class SessionSummary(BaseModel):
    session_id: uuid.UUID = Field(description=SHOWN_ID)
    access: Role = Field(
        description="owner: the session id (everything); viewer: a share id (read-only)."
    )
    status: SessionStatus
    username: str | None = Field(description="The Letterboxd username (profile.csv), if known.")
    created_at: datetime
    last_active_at: datetime | None = Field(
        description="The library's last activity (its upload, the owner opening its "
        "statistics, films or dashboard); null for a viewer."
    )
    expires_at: datetime | None = Field(
        description="When the library is deleted unless it is active again: SESSION_TTL_DAYS "
        "after its last activity; null when libraries never expire (SESSION_TTL_DAYS=0), and "
        "for a viewer."
    )
    share: ShareLink | None = Field(
        description="The read-only share link, if there is one; null for a viewer."
    )
    counts: SessionCounts
    ignored_files: list[str]


class SessionProgress(BaseModel):
    session_id: uuid.UUID = Field(description=SHOWN_ID)
    status: SessionStatus
    total_movies: int
    enriched_count: int = Field(
        description="Films in a final state: matched_count + unmatched_count + failed_count."
    )
    matched_count: int = Field(description="Films with a TMDB film (including needs_review).")
    needs_review_count: int = Field(description="Matched, but with low confidence.")
    unmatched_count: int = Field(description="No TMDB film fits (a reason is on the film).")
    failed_count: int = Field(description="TMDB kept failing for the film (reason on the film).")
    carried_count: int = Field(
        default=0,
        description="Films whose result the latest update carried over from the previous "
        "import (0 after a first upload); they are in enriched_count and total_movies.",
    )
    import_total: int = Field(
        default=0,
        description="Films the latest import sends to TMDB: total_movies - carried_count "
        "(after an update, its new films).",
    )
    import_enriched: int = Field(
        default=0,
        description="Of those, the films in a final state: enriched_count - carried_count.",
    )
    progress_percent: float = Field(
        ge=0, le=100, description="import_enriched out of import_total (the latest import's work)."
    )
    watchlist_total: int = Field(
        default=0,
        description="Watchlist entries: the second phase, enriched once the library is "
        "completed (their TMDB details feed the watchlist's predictions).",
    )
    watchlist_enriched: int = Field(
        default=0,
        description="Of those, the entries in a final state (matched, unmatched or failed); "
        "after an update, the entries it carried over count as done.",
    )
    extras_total: int = Field(
        default=0,
        description="The completion phase (after the watchlist's): collections and people's "
        "filmographies to fetch from TMDB for this library (at most 40 people plus the "
        "collections its films belong to; what TMDB data is cached already is not counted).",
    )
    extras_done: int = Field(default=0, description="Of those, the ones fetched (or failed).")
    error_message: str | None


class Person(BaseModel):
    id: int | None
    name: str | None
    profile_path: str | None


class CastMember(Person):
    character: str | None
    order: int | None


class CrewMember(Person):
    job: str | None


class Movie(BaseModel):
    movie_id: int = Field(description="The film's number in this session (for the match fix).")
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
    match_confidence: float | None = Field(description="0..1; 1 when chosen by the user.")
    match_method: str | None = Field(
        description="The search that found the film (primary_release_year, year, year-1, "
        "year+1, no_year; for a TV series tv_first_air_date_year, tv_no_year), user (fixed by "
        "this library's owner) or community (as MATCH_FIX_QUORUM other libraries fixed it)."
    )
    match_reason: str | None = Field(description="Why a film is unmatched, failed or in review.")
    tmdb_id: int | None
    tmdb_kind: TmdbKind | None = Field(
        description="What tmdb_id names: `movie`, or `tv` (a series: Letterboxd lists some "
        "miniseries and specials; TMDB numbers them apart from movies); null without a match."
    )
    tmdb_title: str | None
    original_title: str | None
    release_date: date | None
    runtime: int | None
    genres: list[str] | None
    countries: list[str] | None = Field(description="ISO 3166-1 codes of production countries.")
    languages: list[str] | None = Field(description="ISO 639-1 codes of spoken languages.")
    original_language: str | None
    directors: list[Person] | None
    cast: list[CastMember] | None = Field(description="Top-billed cast, in billing order.")
    poster_path: str | None
    popularity: float | None
    vote_average: float | None
    fetched_at: datetime | None = Field(
        description="When the film's TMDB metadata was fetched (UTC); null without metadata. "
        "Metadata older than TMDB_REFRESH_DAYS is fetched again in the background when the "
        "library is opened."
    )


class MatchChoice(BaseModel):
    tmdb_id: int = Field(gt=0, lt=2**31)
    kind: TmdbKind = Field(
        default=TmdbKind.movie, description="What tmdb_id names: a movie, or a TV series (tv)."
    )


class MoviePage(BaseModel):
    total: int
    items: list[Movie]


class TmdbCandidate(BaseModel):
    tmdb_id: int
    kind: TmdbKind = Field(description="A movie, or a TV series (tv): pick it with this kind.")
    title: str
    original_title: str | None
    year: int | None
    release_date: str | None
    poster_path: str | None
    overview: str | None
    popularity: float | None


class TmdbSearchResults(BaseModel):
    results: list[TmdbCandidate] = Field(description="TMDB's answer, in TMDB's order (max 20).")
