"""What a running service holds: engine, sessionmaker, the TMDB client, the enrichment job,
the users' TMDB lookups, the job runner, the refresh of stale metadata, and what runs when a
job ends: the watchlist's providers and the taste model's training.
Built and disposed in one place, for the app's lifespan and for the CLI."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import httpx
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.completion.phase import CompletionPhase
from letterboxd_stats.config import Settings
from letterboxd_stats.db import PoolOptions, SessionMaker, create_engine, create_sessionmaker
from letterboxd_stats.enrich.job import Enricher
from letterboxd_stats.enrich.refresh import MetadataRefresher, Pace, RefreshPaced
from letterboxd_stats.enrich.runner import InProcessRunner, JobRunner
from letterboxd_stats.metrics import Metrics
from letterboxd_stats.sessions.lookups import TmdbLookups
from letterboxd_stats.tmdb.client import ClientOptions, TmdbClient, build_http_client
from letterboxd_stats.tmdb.limiter import LocalLimiter, PostgresLimiter, RateLimiter
from letterboxd_stats.watchlist.providers import ProviderRefresher
from letterboxd_stats.watchlist.training import TasteTrainer


@dataclass(frozen=True, slots=True)
class Resources:
    engine: AsyncEngine
    sessionmaker: SessionMaker
    http: httpx.AsyncClient
    enricher: Enricher
    lookups: TmdbLookups
    runner: JobRunner
    refresher: MetadataRefresher
    trainer: TasteTrainer
    providers: ProviderRefresher


@asynccontextmanager
async def service_resources(
    settings: Settings,
    *,
    tmdb_transport: httpx.AsyncBaseTransport | None = None,
    run_worker: bool | None = None,
    metrics: Metrics | None = None,
    engine: AsyncEngine | None = None,
) -> AsyncIterator[Resources]:
    """Build everything; on exit stop the refresh and the jobs (their state is in the
    database) and dispose. `run_worker=False`: this process runs no queue worker of its own
    (the CLI's `worker` command runs it in the foreground). The app's lifespan starts the job
    runner and the refresher. `engine`: one the caller built for `settings.database_url` and
    disposes itself (the tests share one between apps: its pool and compiled statements)."""
    own_engine = engine is None
    if engine is None:
        engine = create_engine(
            settings.database_url,
            echo=settings.database_echo,
            pool=PoolOptions(
                size=settings.database_pool_size,
                overflow=settings.database_max_overflow,
                timeout=settings.database_pool_timeout_seconds,
            ),
        )
    sessionmaker = create_sessionmaker(engine)
    http = build_http_client(
        settings.tmdb_max_connections,
        settings.tmdb_timeout_seconds,
        tmdb_transport,
        observe=metrics.count_errors if metrics is not None else None,
    )
    if metrics is not None:
        metrics.count_answers(http)
    # one budget for the jobs, the users and the refresh (which has a pace of its own too)
    client = tmdb_client(settings, http, engine, refresh_pace=refresh_pace(settings, engine))
    # a job's last steps, in whichever process ran it (API or worker): where its watchlist's
    # films stream, the taste model, then what completion needs
    trainer = TasteTrainer(sessionmaker)
    providers = ProviderRefresher(sessionmaker, client)
    completion = CompletionPhase(sessionmaker, client, people=settings.completion_people)

    async def after_job(session_id: uuid.UUID) -> None:
        await providers.refresh(session_id)
        await trainer.train(session_id)
        await completion.run(session_id)  # collections and filmographies: the third phase

    enricher = Enricher(
        sessionmaker,
        client,
        workers=settings.tmdb_max_connections,
        search_tv=settings.tmdb_search_tv,
        fix_quorum=settings.match_fix_quorum,
        write_batch=settings.enrich_write_batch,
        write_interval=settings.enrich_write_interval_seconds,
        db_patience=settings.database_patience_seconds,
        on_stored=metrics.films_stored if metrics is not None else None,
        after=after_job,
    )
    lookups = TmdbLookups(client, search_cache_seconds=settings.search_cache_seconds)
    runner = job_runner(settings, sessionmaker, enricher, run_worker=run_worker)
    refresher = MetadataRefresher(
        sessionmaker,
        client,
        runner,
        max_age=timedelta(days=settings.tmdb_refresh_days),
        enabled=settings.tmdb_refresh_per_minute > 0,
        db_patience=settings.database_patience_seconds,
    )
    try:
        yield Resources(
            engine, sessionmaker, http, enricher, lookups, runner, refresher, trainer, providers
        )
    finally:
        await refresher.stop()
        await runner.stop()
        await trainer.stop()  # after the jobs, which may ask for one more
        await providers.stop()
        await http.aclose()
        if own_engine:
            await engine.dispose()


def job_runner(
    settings: Settings,
    sessionmaker: SessionMaker,
    enricher: Enricher,
    *,
    run_worker: bool | None = None,
) -> JobRunner:
    """SQLite: the in-process runner. PostgreSQL: procrastinate (a worker inside this process
    unless `JOB_WORKERS=external` or `run_worker=False`)."""
    if settings.is_sqlite:
        return InProcessRunner(sessionmaker, enricher.run)
    # imported here: procrastinate and psycopg take ~0.3 s to import, which SQLite never needs
    from letterboxd_stats.enrich.queue import QueueOptions, QueueRunner, build_app

    options = QueueOptions(
        inline_workers=settings.job_workers == "inline",
        concurrency=settings.job_concurrency,
        heartbeat_seconds=settings.job_heartbeat_seconds,
        stalled_seconds=settings.job_stalled_seconds,
        maintenance_seconds=settings.job_maintenance_seconds,
        abort_poll_seconds=settings.job_abort_poll_seconds,
        poll_seconds=settings.job_poll_seconds,
    )
    return QueueRunner(
        build_app(),
        settings.database_url,
        sessionmaker,
        enricher.run,
        options,
        run_worker=run_worker,
    )


def refresh_pace(settings: Settings, engine: AsyncEngine) -> RateLimiter | None:
    """The refresh's own pace (`TMDB_REFRESH_PER_MINUTE`): this process's (SQLite), or one
    shared by every process through PostgreSQL, as the TMDB budget is; None when it is off."""
    per_minute = settings.tmdb_refresh_per_minute
    if per_minute <= 0:
        return None
    if settings.is_sqlite:
        return Pace(per_minute)
    return PostgresLimiter(
        engine,
        name="tmdb-refresh",
        rate=per_minute / 60,
        patience=settings.database_patience_seconds,
    )


def tmdb_client(
    settings: Settings,
    http: httpx.AsyncClient,
    engine: AsyncEngine,
    *,
    refresh_pace: RateLimiter | None = None,
) -> TmdbClient | None:
    """TMDB limits requests per outgoing IP: on PostgreSQL every process (app, workers) draws
    on one budget kept in the database; SQLite is one process, whose own limiter is enough.
    Users' own lookups draw on a share of it first (`TMDB_USER_RATE_LIMIT`), kept the same way;
    the refresh of stale metadata (`enrich.refresh`) on `refresh_pace` first, when given."""
    if not settings.tmdb_configured:
        return None

    def limiter(name: str, rate: float) -> RateLimiter:
        if settings.is_sqlite:
            return LocalLimiter(rate)
        return PostgresLimiter(
            engine, name=name, rate=rate, patience=settings.database_patience_seconds
        )

    shared = limiter("tmdb", settings.tmdb_rate_limit)

    return TmdbClient(
        http,
        ClientOptions(
            base_url=settings.tmdb_base_url,
            api_key=_secret(settings.tmdb_api_key),
            bearer_token=_secret(settings.tmdb_bearer_token),
            rate_limit=settings.tmdb_rate_limit,
            max_connections=settings.tmdb_max_connections,
            max_attempts=settings.tmdb_max_attempts,
            backoff_seconds=settings.tmdb_backoff_seconds,
            backoff_max_seconds=settings.tmdb_backoff_max_seconds,
        ),
        limiter=shared if refresh_pace is None else RefreshPaced(shared, refresh_pace),
        user_limiter=limiter(
            "tmdb-users", min(settings.tmdb_user_rate_limit, settings.tmdb_rate_limit)
        ),
    )


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None
