"""What the integration tests share: the stand-in's settings, exports to upload, the app's
environment as its own process, following a session to its end, and the rows it left."""

from __future__ import annotations

import asyncio
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.models import Film, TmdbMovie
from standin import StandinConfig
from tests.conftest import make_settings
from tests.factories import FILM, csv_text, make_zip

KEY = "integration-key"
NO_CATALOGUE = Path("/nonexistent-catalogue")  # every film is synthesised: data-independent


def standin_config(**overrides: Any) -> StandinConfig:
    values: dict[str, Any] = {
        "api_key": KEY,
        "synthesise": True,
        "data_dir": NO_CATALOGUE,
        "rate_limit": 0,
        "max_connections": 0,
    }
    return StandinConfig(**(values | overrides))


def export(count: int, prefix: str = "Integration Film") -> bytes:
    rows = [
        f"2024-01-01,{prefix} {n:04d},{1960 + n % 60},https://boxd.it/{prefix[:3]}{n}"
        for n in range(count)
    ]
    return make_zip({"watched.csv": csv_text(FILM, rows)})


def app_env(database_url: str, standin_base: str, **extra: str) -> dict[str, str]:
    """Environment of `letterboxd-stats serve` run as its own process against the stand-in."""
    return {
        "DATABASE_URL": database_url,
        "TMDB_API_KEY": KEY,
        "TMDB_BASE_URL": f"{standin_base}/3",
        "ENRICH_WRITE_INTERVAL_SECONDS": "0.1",
        "LOG_LEVEL": "warning",
        # PostgreSQL's job queue: a killed process's job is found stalled within seconds
        "JOB_HEARTBEAT_SECONDS": "0.5",
        "JOB_STALLED_SECONDS": "2",
        "JOB_MAINTENANCE_SECONDS": "1",
        **extra,
    }


def app_settings(database_url: str, standin_base: str, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "tmdb_api_key": KEY,
        "tmdb_base_url": f"{standin_base}/3",
        "tmdb_rate_limit": 400.0,
        "tmdb_backoff_seconds": 0.05,
        "enrich_write_interval_seconds": 0.05,
    }
    return make_settings(database_url, **(values | overrides))


async def standin_stats(base: str) -> dict[str, Any]:
    """Asynchronously: the stand-in runs on this test's event loop."""
    async with httpx.AsyncClient() as client:
        body: dict[str, Any] = (await client.get(f"{base}/__stats")).json()
    return body


async def upload(client: httpx.AsyncClient, payload: bytes) -> str:
    response = await client.post("/api/upload", files=[("files", ("export.zip", payload))])
    assert response.status_code == 202, response.text
    session_id: str = response.json()["session_id"]
    return session_id


def assert_consistent(status: dict[str, Any]) -> None:
    finals = status["matched_count"] + status["unmatched_count"] + status["failed_count"]
    assert finals == status["enriched_count"] <= status["total_movies"], status
    assert status["needs_review_count"] <= status["matched_count"]


async def follow(
    client: httpx.AsyncClient, session_id: str, timeout: float = 120
) -> list[dict[str, Any]]:
    """Poll /status until the end; every sample must be consistent and counts never go back."""
    samples: list[dict[str, Any]] = []
    for _ in range(int(timeout / 0.02)):
        try:
            response = await client.get(f"/api/session/{session_id}/status")
        except httpx.TransportError:  # a kept-alive connection closed as it was reused: ask again
            await asyncio.sleep(0.02)
            continue
        status: dict[str, Any] = response.json()
        assert_consistent(status)
        if samples:
            assert status["enriched_count"] >= samples[-1]["enriched_count"]
        samples.append(status)
        if status["status"] in ("completed", "failed"):
            return samples
        await asyncio.sleep(0.02)
    raise AssertionError(f"not finished: {samples[-1]}")


@dataclass(frozen=True)
class Rows:
    """What the database holds after a run: films, their letterboxd uris and TMDB ids (each
    counted once), and metadata rows."""

    films: int
    uris: int
    tmdb_ids: int
    movies: int


async def row_counts(engine: AsyncEngine) -> Rows:
    async with engine.connect() as conn:
        films = (await conn.execute(select(func.count()).select_from(Film))).scalar_one()
        uris = (await conn.execute(select(func.count(distinct(Film.letterboxd_uri))))).scalar_one()
        ids = (await conn.execute(select(func.count(distinct(Film.tmdb_id))))).scalar_one()
        movies = (await conn.execute(select(func.count()).select_from(TmdbMovie))).scalar_one()
    return Rows(films, uris, ids, movies)


async def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, waited for off the event loop (the stand-in serves on this loop meanwhile)."""
    process.terminate()
    try:
        await asyncio.to_thread(process.wait, 30)
    except subprocess.TimeoutExpired:
        process.kill()
        await asyncio.to_thread(process.wait, 10)
