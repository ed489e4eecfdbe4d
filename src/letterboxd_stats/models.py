"""ORM models: the one import point for Alembic.

Per-session tables (everything of a user) are keyed by `session_id` plus a number local to the
session, so an import writes every row in bulk without round trips for generated keys. The two
global caches (`tmdb_movies`, `tmdb_matches`) hold only TMDB data, never anything of a user.
"""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    Uuid,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from letterboxd_stats.tmdb.decision import MatchStatus as MatchStatus
from letterboxd_stats.tmdb.decision import TmdbKind as TmdbKind

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every database (SQLite drops the offset on read)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[str]: JSON}


class SessionStatus(enum.StrEnum):
    uploading = "uploading"
    processing = "processing"
    enriching = "enriching"
    completed = "completed"
    failed = "failed"
    cancelled = "cancelled"  # by the user; the films enriched so far are kept


FINAL_STATUSES = frozenset({SessionStatus.completed, SessionStatus.failed, SessionStatus.cancelled})


def _session_fk() -> Any:
    return ForeignKey("upload_sessions.id", ondelete="CASCADE")


class UploadSession(Base):
    __tablename__ = "upload_sessions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    status: Mapped[SessionStatus] = mapped_column(
        Enum(SessionStatus, native_enum=False, length=16, validate_strings=True)
    )
    error_message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The library's last activity (its upload, the owner opening it, a change by the owner):
    # it expires SESSION_TTL_DAYS after this (`sessions.cleanup`). A viewer's visit (through
    # the share link) is not activity.
    last_active_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # The read-only share link's id (`sessions.access`): a second random UUIDv4, or None.
    share_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)

    username: Mapped[str | None] = mapped_column(Text)
    ignored_files: Mapped[list[str]] = mapped_column(JSON)
    # The upload request's id (X-Request-ID): every log line of the job carries it.
    trace_id: Mapped[str | None] = mapped_column(String(32))

    # Counters fixed at import time.
    total_movies: Mapped[int] = mapped_column(Integer)
    diary_count: Mapped[int] = mapped_column(Integer)
    rating_count: Mapped[int] = mapped_column(Integer)
    review_count: Mapped[int] = mapped_column(Integer)
    like_count: Mapped[int] = mapped_column(Integer)
    list_count: Mapped[int] = mapped_column(Integer)
    list_entry_count: Mapped[int] = mapped_column(Integer)
    watchlist_count: Mapped[int] = mapped_column(Integer)

    # Progress counters, moved by the enrichment job in the same transaction as the films they
    # count: enriched = matched (incl. needs_review) + unmatched + failed, exact at every moment.
    enriched_count: Mapped[int] = mapped_column(Integer, default=0)
    matched_count: Mapped[int] = mapped_column(Integer, default=0)
    needs_review_count: Mapped[int] = mapped_column(Integer, default=0)
    unmatched_count: Mapped[int] = mapped_column(Integer, default=0)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    carried_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Films whose result an update carried over from the previous import (in a final state
    then): the work of the latest import is `total_movies - carried_count` films."""
    watch_region: Mapped[str | None] = mapped_column(String(2))
    """The owner's region for where to stream (ISO 3166-1); null: the setting WATCH_REGION."""
    watch_services: Mapped[list[int]] = mapped_column(JSON, default=list, server_default="[]")
    """TMDB provider ids of the services the owner pays for ("my services")."""
    extras_total: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """The completion phase's work (collections and people to fetch), after the watchlist's."""
    extras_done: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    watchlist_enriched: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Watchlist entries in a final state (of `watchlist_count`): the watchlist's own progress
    phase, after the library's, moved in the same transaction as the entries."""


class ImportRecord(Base):
    """One import of a session's export: the first upload, then every update."""

    __tablename__ = "import_history"

    session_id: Mapped[uuid.UUID] = mapped_column(_session_fk(), primary_key=True)
    import_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "upload" or "update"
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    export_date: Mapped[date | None] = mapped_column(Date)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    warnings: Mapped[list[str]] = mapped_column(JSON)


def _tmdb_kind(*, primary_key: bool = False) -> Any:
    """What a TMDB id names (`TmdbKind`), stored as its text; every row before TV was a movie's."""
    return mapped_column(
        Enum(TmdbKind, native_enum=False, length=8, validate_strings=True),
        primary_key=primary_key,
        default=TmdbKind.movie,
        server_default="movie",
    )


class Film(Base):
    """A film of the session's library: watched, rated, logged in the diary or liked."""

    __tablename__ = "session_films"
    __table_args__ = (Index("ix_session_films_session_status", "session_id", "match_status"),)

    session_id: Mapped[uuid.UUID] = mapped_column(_session_fk(), primary_key=True)
    film_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(SmallInteger)
    letterboxd_uri: Mapped[str | None] = mapped_column(Text)
    watched: Mapped[bool] = mapped_column(Boolean)
    watched_on: Mapped[date | None] = mapped_column(Date)
    rating_half_stars: Mapped[int | None] = mapped_column(SmallInteger)
    rated_on: Mapped[date | None] = mapped_column(Date)
    liked: Mapped[bool] = mapped_column(Boolean)
    liked_on: Mapped[date | None] = mapped_column(Date)

    match_status: Mapped[MatchStatus] = mapped_column(
        Enum(MatchStatus, native_enum=False, length=16, validate_strings=True)
    )
    tmdb_id: Mapped[int | None] = mapped_column(Integer, index=True)
    tmdb_kind: Mapped[TmdbKind] = _tmdb_kind()
    """What `tmdb_id` names (a movie's id or a series')."""
    match_confidence: Mapped[float | None] = mapped_column(Float)
    match_method: Mapped[str | None] = mapped_column(String(32))
    match_reason: Mapped[str | None] = mapped_column(Text)


class DiaryEntry(Base):
    """One viewing."""

    __tablename__ = "diary_entries"
    __table_args__ = (
        ForeignKeyConstraint(
            ["session_id", "film_no"],
            ["session_films.session_id", "session_films.film_no"],
            ondelete="CASCADE",
            name="fk_diary_entries_film",
        ),
        Index("ix_diary_entries_session_film", "session_id", "film_no"),
    )

    session_id: Mapped[uuid.UUID] = mapped_column(_session_fk(), primary_key=True)
    entry_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    film_no: Mapped[int] = mapped_column(Integer)
    logged_on: Mapped[date] = mapped_column(Date)
    watched_on: Mapped[date] = mapped_column(Date)
    rating_half_stars: Mapped[int | None] = mapped_column(SmallInteger)
    rewatch: Mapped[bool] = mapped_column(Boolean)
    tags: Mapped[list[str]] = mapped_column(JSON)
    letterboxd_uri: Mapped[str | None] = mapped_column(Text)


class Review(Base):
    __tablename__ = "reviews"
    __table_args__ = (
        ForeignKeyConstraint(
            ["session_id", "film_no"],
            ["session_films.session_id", "session_films.film_no"],
            ondelete="CASCADE",
            name="fk_reviews_film",
        ),
    )

    session_id: Mapped[uuid.UUID] = mapped_column(_session_fk(), primary_key=True)
    review_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    film_no: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(SmallInteger)
    logged_on: Mapped[date] = mapped_column(Date)
    watched_on: Mapped[date | None] = mapped_column(Date)
    rating_half_stars: Mapped[int | None] = mapped_column(SmallInteger)
    rewatch: Mapped[bool] = mapped_column(Boolean)
    tags: Mapped[list[str]] = mapped_column(JSON)
    body: Mapped[str] = mapped_column(Text)
    letterboxd_uri: Mapped[str | None] = mapped_column(Text)


class FilmList(Base):
    __tablename__ = "film_lists"

    session_id: Mapped[uuid.UUID] = mapped_column(_session_fk(), primary_key=True)
    list_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    created_on: Mapped[date | None] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON)
    source_file: Mapped[str] = mapped_column(Text)


class ListEntry(Base):
    __tablename__ = "list_entries"
    __table_args__ = (
        ForeignKeyConstraint(
            ["session_id", "list_no"],
            ["film_lists.session_id", "film_lists.list_no"],
            ondelete="CASCADE",
            name="fk_list_entries_list",
        ),
    )

    session_id: Mapped[uuid.UUID] = mapped_column(_session_fk(), primary_key=True)
    list_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(SmallInteger)
    letterboxd_uri: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    film_no: Mapped[int | None] = mapped_column(Integer)


class WatchlistEntry(Base):
    __tablename__ = "watchlist_entries"

    session_id: Mapped[uuid.UUID] = mapped_column(_session_fk(), primary_key=True)
    entry_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    added_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(SmallInteger)
    letterboxd_uri: Mapped[str | None] = mapped_column(Text)
    match_status: Mapped[MatchStatus] = mapped_column(
        Enum(MatchStatus, native_enum=False, length=16, validate_strings=True)
    )
    tmdb_id: Mapped[int | None] = mapped_column(Integer, index=True)
    tmdb_kind: Mapped[TmdbKind] = _tmdb_kind()


class MatchFix(Base):
    """A library's own fix of one Letterboxd film (`PUT …/match`), by the film's key
    (`ingest.uris.film_key`). When `MATCH_FIX_QUORUM` libraries agree, new libraries get the
    fix without a search (`enrich.repository.community_matches`); it goes with its library."""

    __tablename__ = "match_fixes"
    __table_args__ = (Index("ix_match_fixes_film_key", "film_key", "tmdb_kind", "tmdb_id"),)

    session_id: Mapped[uuid.UUID] = mapped_column(_session_fk(), primary_key=True)
    film_key: Mapped[str] = mapped_column(String(600), primary_key=True)
    tmdb_id: Mapped[int] = mapped_column(Integer)
    tmdb_kind: Mapped[TmdbKind] = _tmdb_kind()
    fixed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TastePredictions(Base):
    """The taste model's result for one version of a library (`watchlist.model`): its
    cross-validated accuracy and a predicted rating for each watchlist entry with TMDB data,
    computed in the background (`watchlist.training`), never in a request. `version` is the
    session's `updated_at` it was computed from: a library changed since is computed again."""

    __tablename__ = "taste_predictions"

    session_id: Mapped[uuid.UUID] = mapped_column(_session_fk(), primary_key=True)
    version: Mapped[datetime] = mapped_column(UTCDateTime())
    trained_at: Mapped[datetime] = mapped_column(UTCDateTime())
    rated: Mapped[int] = mapped_column(Integer)  # rated films with TMDB data
    accuracy: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # None: too few rated films
    predictions: Mapped[dict[str, Any]] = mapped_column(JSON)  # entry_no -> prediction


# --- global caches: TMDB data only, shared by every session ---


class TmdbMovie(Base):
    """TMDB metadata of one film (details + credits + keywords + release dates) or TV series
    (details + aggregate credits + keywords), keyed by its id and its kind."""

    __tablename__ = "tmdb_movies"

    tmdb_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[TmdbKind] = _tmdb_kind(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    original_title: Mapped[str | None] = mapped_column(Text)
    release_date: Mapped[date | None] = mapped_column(Date)
    runtime: Mapped[int | None] = mapped_column(Integer)
    popularity: Mapped[float | None] = mapped_column(Float)
    vote_average: Mapped[float | None] = mapped_column(Float)
    vote_count: Mapped[int | None] = mapped_column(Integer)
    poster_path: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    """A `tmdb.schemas.MovieData` document."""
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime())
    tags: Mapped[str] = mapped_column(Text, server_default="", nullable=False)
    """What the film counts in, packed (`stats.tags.pack`): the statistics read these two
    columns, never `data`."""
    labels: Mapped[str] = mapped_column(Text, server_default="", nullable=False)
    refresh_claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """A process refreshing the film's metadata (`enrich.refresh`) holds it until then; after a
    failed refresh, the film is left until then."""
    collection_id: Mapped[int | None] = mapped_column(Integer, index=True)
    """The franchise it belongs to (`data.collection`), for completion."""
    providers_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When its `watch_offers` were fetched (null: never); older than a week, they are asked
    for again when a watchlist holding the film is opened."""


class TmdbCollection(Base):
    """A collection (franchise) and its films, as `GET /collection/{id}` gave them: `parts` a
    list of [id, title, release date, poster path]."""

    __tablename__ = "tmdb_collections"

    collection_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str | None] = mapped_column(Text)
    poster_path: Mapped[str | None] = mapped_column(Text)
    parts: Mapped[list[Any]] = mapped_column(JSON)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TmdbPerson(Base):
    """A person's films, as `GET /person/{id}/movie_credits` gave them: `directed` (crew, job
    Director) and `acted` (cast), each film [id, title, release date, poster path, genre ids,
    video, billing order (cast only)]. Fetched again after 30 days."""

    __tablename__ = "tmdb_people"

    person_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    directed: Mapped[list[Any]] = mapped_column(JSON)
    acted: Mapped[list[Any]] = mapped_column(JSON)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CompletionIgnore(Base):
    """A collection or a person its owner hid from the library's completion."""

    __tablename__ = "completion_ignores"

    session_id: Mapped[uuid.UUID] = mapped_column(_session_fk(), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # collection, person
    ref_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class WatchOffer(Base):
    """Where a film or series can be watched in one region (TMDB's `watch/providers`, data of
    JustWatch): TMDB's watch link and the offers by type (`tmdb.schemas.OFFER_TYPES`), each a
    list of [provider id, name, logo path, display priority]. A film offered nowhere in a region
    has no row for it."""

    __tablename__ = "watch_offers"

    tmdb_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[TmdbKind] = _tmdb_kind(primary_key=True)
    region: Mapped[str] = mapped_column(String(2), primary_key=True)
    link: Mapped[str | None] = mapped_column(Text)
    offers: Mapped[dict[str, Any]] = mapped_column(JSON)


class TmdbMatch(Base):
    """Result of matching a (title, year) to TMDB; `tmdb_id` is null when nothing matched."""

    __tablename__ = "tmdb_matches"

    match_key: Mapped[str] = mapped_column(String(600), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(SmallInteger)
    tmdb_id: Mapped[int | None] = mapped_column(Integer)
    tmdb_kind: Mapped[TmdbKind] = _tmdb_kind()
    confidence: Mapped[float | None] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(32))
    status: Mapped[MatchStatus] = mapped_column(
        Enum(MatchStatus, native_enum=False, length=16, validate_strings=True)
    )
    reason: Mapped[str | None] = mapped_column(Text)
    matched_at: Mapped[datetime] = mapped_column(UTCDateTime())


# --- shared state of the processes using this database ---


class RateLimit(Base):
    """A rate limit shared by every process on the database (`tmdb.limiter.PostgresLimiter`):
    `next_at` is the earliest moment the next request may go (GCRA virtual scheduling)."""

    __tablename__ = "rate_limits"

    name: Mapped[str] = mapped_column(Text, primary_key=True)
    next_at: Mapped[datetime] = mapped_column(UTCDateTime())


SESSION_TABLES = (
    TastePredictions,
    ImportRecord,
    ListEntry,
    FilmList,
    Review,
    DiaryEntry,
    WatchlistEntry,
    Film,
)
