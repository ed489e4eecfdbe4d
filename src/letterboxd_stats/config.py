"""The one settings object. Every knob is an environment variable (or a line in `.env`)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from letterboxd_stats.kit.regions import region_code

MiB = 1024 * 1024


class Settings(BaseSettings):
    """Settings read from the environment; names are the upper-case field names."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./letterboxd_stats.db"
    database_echo: bool = False
    # Connections of one process: `pool_size` kept open, `max_overflow` more under load; a
    # request or job that waits longer than `pool_timeout` for one gets "busy" (503 / retried).
    database_pool_size: int = Field(default=10, gt=0)
    database_max_overflow: int = Field(default=10, ge=0)
    database_pool_timeout_seconds: float = Field(default=30.0, gt=0)

    tmdb_api_key: SecretStr | None = None
    tmdb_bearer_token: SecretStr | None = None
    tmdb_base_url: str = "https://api.themoviedb.org/3"
    # TMDB allows "somewhere in the 40 requests per second range" and ~20 connections per IP.
    tmdb_rate_limit: float = Field(default=40.0, gt=0, description="requests per second")
    tmdb_max_connections: int = Field(default=20, gt=0)
    tmdb_timeout_seconds: float = Field(default=10.0, gt=0)
    tmdb_max_attempts: int = Field(default=5, ge=1)
    match_fix_quorum: int = Field(
        default=2,
        ge=0,
        description="libraries that must fix a film to one TMDB entry before new libraries get "
        "that fix without a search (0: never; 1 is refused: one library never changes another)",
    )
    tmdb_search_tv: bool = Field(
        default=True,
        description="films no movie matches with confidence are looked for among TV series",
    )
    tmdb_backoff_seconds: float = Field(default=0.5, ge=0)
    tmdb_backoff_max_seconds: float = Field(default=30.0, ge=0)
    # Requests users ask for by hand (the review page's search, a match fix) draw on their own
    # share of the budget, taken from TMDB_RATE_LIMIT: enrichment jobs always keep the rest.
    tmdb_user_rate_limit: float = Field(default=4.0, gt=0, description="requests per second")
    search_cache_seconds: float = Field(default=300.0, ge=0)
    # Metadata older than this is fetched again, in the background, when a library that uses
    # it is opened (TMDB allows caching for up to six months); at most this many requests a
    # minute, and only while no enrichment job waits or runs (0: no refresh).
    tmdb_refresh_days: int = Field(default=90, gt=0, le=182)
    tmdb_refresh_per_minute: int = Field(default=60, ge=0)
    # Completion: the most seen directors and actors (each) whose filmographies are fetched.
    completion_people: int = Field(default=20, ge=0, le=100)
    # Where to stream: the region of a library that has not chosen one (ISO 3166-1 alpha-2).
    watch_region: str = "US"
    # User lookups (searches and match fixes) per minute, per session and per client address.
    user_lookups_per_minute_per_session: int = Field(default=30, gt=0)
    user_lookups_per_minute_per_client: int = Field(default=60, gt=0)
    # Progress streams (SSE) open at once, per session and per client address (per process).
    sse_max_streams_per_session: int = Field(default=5, gt=0)
    sse_max_streams_per_client: int = Field(default=10, gt=0)

    # The job writes results in small batches: at most this many films or this long apart.
    enrich_write_batch: int = Field(default=50, gt=0)
    enrich_write_interval_seconds: float = Field(default=0.25, gt=0)
    # How long a job waits for a database that went away (a restart) before it gives up;
    # a job that gave up is resumed on the next start.
    database_patience_seconds: float = Field(default=600.0, gt=0)

    # Jobs. SQLite: one task per session in the API process. PostgreSQL: procrastinate;
    # `inline` runs a worker inside each API process, `external` leaves the jobs to
    # `letterboxd-stats worker` processes.
    job_workers: Literal["inline", "external"] = "inline"
    job_concurrency: int = Field(default=4, gt=0, description="sessions per worker at once")
    job_heartbeat_seconds: float = Field(default=10.0, gt=0)
    job_stalled_seconds: float = Field(default=30.0, gt=0)
    job_maintenance_seconds: int = Field(default=10, ge=1, le=59)
    job_abort_poll_seconds: float = Field(default=1.0, gt=0)
    # A new job reaches an idle worker by LISTEN/NOTIFY; polling catches one deferred while
    # the worker's listener was still connecting (a job queued at start-up).
    job_poll_seconds: float = Field(default=1.0, gt=0)

    # Upload limits. The body limit is enforced while the request streams in.
    max_upload_bytes: int = Field(default=50 * MiB, gt=0)
    max_uncompressed_bytes: int = Field(default=200 * MiB, gt=0)
    max_zip_members: int = Field(default=1000, gt=0)
    max_upload_files: int = Field(default=1000, gt=0)
    max_csv_field_chars: int = Field(default=1 * MiB, gt=0)
    max_csv_rows: int = Field(default=100_000, gt=0, description="rows of one CSV file")
    max_upload_rows: int = Field(default=500_000, gt=0, description="rows of all files")
    upload_timeout_seconds: float = Field(default=120.0, gt=0, description="to receive the body")

    # The HTTP server (`letterboxd-stats serve`: uvicorn with h11).
    server_max_header_bytes: int = Field(default=16 * 1024, ge=1024)
    server_keep_alive_seconds: int = Field(default=5, ge=1, description="idle connections")
    server_graceful_shutdown_seconds: int = Field(default=20, ge=1)

    # Dates an import accepts (viewings, ratings, lists, ...): from MIN_DATE to this many days
    # after today; a row with any other date is rejected (400, naming the file and the line).
    min_date: date = date(1870, 1, 1)
    max_future_days: int = Field(default=366, ge=0)

    # A diary day with at least this many viewings is a placeholder date (a back-filled diary:
    # one real library has 244 viewings on 2000-01-01): its viewings still count, but the
    # statistics by date leave it out and say so. 0: no day is taken for a placeholder.
    placeholder_day_viewings: int = Field(default=20, ge=0)

    # Computed /stats answers kept in memory (per process), in bytes; 0 keeps none.
    stats_cache_bytes: int = Field(default=32 * MiB, ge=0)

    # Share cards (PNG): TMDB posters fetched once from its image host and kept on disk, the
    # least recently used deleted beyond the bound; a poster the host does not give within the
    # timeout is drawn as a text tile. Rendered cards are kept in memory until the library
    # changes, at most `card_cache_entries` of them.
    poster_cache_dir: Path = Path("./poster_cache")
    poster_cache_bytes: int = Field(default=50 * MiB, ge=0)
    tmdb_image_base_url: str = "https://image.tmdb.org/t/p"
    tmdb_image_timeout_seconds: float = Field(default=3.0, gt=0)
    card_cache_entries: int = Field(default=64, ge=0)

    # The disk: /api/health answers 503 `DiskFull` while the database's directory (SQLite) or
    # the temporary files' has less free, or for `hold` seconds after a write failed for lack
    # of space (0: only the free space counts). 0 bytes: no free-space check.
    disk_min_free_bytes: int = Field(default=100 * MiB, ge=0)
    disk_full_hold_seconds: float = Field(default=300.0, ge=0)

    # A library is deleted this many days after its last activity (its upload, the owner
    # opening it, a change by the owner; not a viewer's visit); 0: never.
    session_ttl_days: int = Field(default=30, ge=0, le=36_500)
    cleanup_interval_seconds: float = Field(default=3600.0, gt=0)

    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_json: bool = False

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        """Accept the usual sync URLs and point them at the async drivers we ship."""
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        if value.startswith("sqlite://") and not value.startswith("sqlite+aiosqlite://"):
            return "sqlite+aiosqlite://" + value.split("://", 1)[1]
        return value

    @field_validator("watch_region")
    @classmethod
    def _a_region(cls, value: str) -> str:
        return region_code(value)

    @field_validator("match_fix_quorum")
    @classmethod
    def _a_quorum_of_several(cls, value: int) -> int:
        if value == 1:
            raise ValueError("one library's fix never changes another's: 0 (off) or 2 or more")
        return value

    @property
    def tmdb_configured(self) -> bool:
        return bool(self.tmdb_api_key or self.tmdb_bearer_token)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
