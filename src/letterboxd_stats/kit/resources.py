"""What a running service holds: engine, sessionmaker, the TMDB client and the job runner.
Built and disposed in one place, for the app's lifespan and for the CLI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.config import Settings
from letterboxd_stats.db import SessionMaker, create_engine, create_sessionmaker
from letterboxd_stats.enrich.job import Enricher
from letterboxd_stats.enrich.runner import InProcessRunner
from letterboxd_stats.tmdb.client import ClientOptions, TmdbClient, build_http_client


@dataclass(frozen=True, slots=True)
class Resources:
    engine: AsyncEngine
    sessionmaker: SessionMaker
    http: httpx.AsyncClient
    enricher: Enricher
    runner: InProcessRunner


@asynccontextmanager
async def service_resources(
    settings: Settings, *, tmdb_transport: httpx.AsyncBaseTransport | None = None
) -> AsyncIterator[Resources]:
    """Build everything; on exit stop the jobs (their state is in the database) and dispose."""
    engine = create_engine(settings.database_url, echo=settings.database_echo)
    sessionmaker = create_sessionmaker(engine)
    http = build_http_client(
        settings.tmdb_max_connections, settings.tmdb_timeout_seconds, tmdb_transport
    )
    enricher = Enricher(
        sessionmaker,
        tmdb_client(settings, http),
        workers=settings.tmdb_max_connections,
        write_batch=settings.enrich_write_batch,
        write_interval=settings.enrich_write_interval_seconds,
        db_patience=settings.database_patience_seconds,
    )
    runner = InProcessRunner(sessionmaker, enricher.run)
    try:
        yield Resources(engine, sessionmaker, http, enricher, runner)
    finally:
        await runner.stop()
        await http.aclose()
        await engine.dispose()


def tmdb_client(settings: Settings, http: httpx.AsyncClient) -> TmdbClient | None:
    if not settings.tmdb_configured:
        return None
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
    )


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None
