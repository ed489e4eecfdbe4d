"""Crash-resume soak: the app is killed with SIGKILL at random moments during enrichment (10
times), restarted each time; at the end the session is completed with exact counts, no
duplicate rows, and no film fetched twice beyond those in flight at a kill."""

from __future__ import annotations

import asyncio
import os
import random
import signal

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.fixtures.real_ports import (
    app_env,
    export,
    follow,
    row_counts,
    standin_config,
    standin_stats,
    upload,
)
from tests.fixtures.servers import free_port, running_standin, start_app_process

KILLS = 10
FILMS = 150
IN_FLIGHT = 20  # at most this many requests are in flight when a kill lands


@pytest.mark.slow
async def test_ten_sigkills_during_enrichment_lose_nothing(
    database_url: str, engine: AsyncEngine
) -> None:
    rng = random.Random(20261124)
    config = standin_config(rate_limit=60, latency_ms=30, jitter_ms=10, max_connections=20)
    async with running_standin(config) as tmdb:
        port = free_port()
        env = app_env(database_url, tmdb, TMDB_RATE_LIMIT="60")
        base = f"http://127.0.0.1:{port}"
        process = await start_app_process(env, port)
        kills = 0
        try:
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                session_id = await upload(client, export(FILMS, "Soak Film"))
            while kills < KILLS:
                await asyncio.sleep(rng.uniform(0.2, 0.9))  # a random moment of the run
                async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                    status = (await client.get(f"/api/session/{session_id}/status")).json()
                if status["status"] == "completed":
                    break  # finished before all kills: the counts below still must hold
                os.kill(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
                kills += 1
                process = await start_app_process(env, port)
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                final = (await follow(client, session_id))[-1]
        finally:
            process.kill()
            process.wait(timeout=10)
        stats = await standin_stats(tmdb)

    print(  # the soak's figures, for the record (pytest -s)
        f"\nsoak: {kills} kills, {FILMS} films, {stats['by_endpoint']['movie']} details "
        f"fetched, {stats['requests_total']} requests, {stats['rate_limited']} x 429"
    )
    assert kills >= 8, f"only {kills} kills landed before the run completed"
    assert final["status"] == "completed"
    assert final["enriched_count"] == final["total_movies"] == FILMS
    assert final["matched_count"] == FILMS  # every film is lost to nothing
    rows = await row_counts(engine)
    assert rows.films == FILMS
    assert rows.movies == rows.tmdb_ids == FILMS  # no duplicate rows
    assert FILMS <= stats["by_endpoint"]["movie"] <= FILMS + IN_FLIGHT * kills
