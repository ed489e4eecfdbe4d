"""The app and the TMDB stand-in, each on a real loopback port: the whole enrichment path."""

from __future__ import annotations

import asyncio
import os
import signal

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.fixtures.apps import make_settings
from tests.fixtures.exports import FILM, csv_text, make_zip
from tests.fixtures.real_ports import (
    KEY,
    app_env,
    app_settings,
    export,
    follow,
    row_counts,
    standin_config,
    standin_stats,
    upload,
)
from tests.fixtures.servers import free_port, running_app, running_standin, start_app_process


async def test_100_films_enriched_with_exact_counters(database_url: str) -> None:
    async with (
        running_standin(standin_config()) as tmdb,
        running_app(app_settings(database_url, tmdb)) as app,
        httpx.AsyncClient(base_url=app, timeout=30) as client,
    ):
        session_id = await upload(client, export(100))
        samples = await follow(client, session_id)
        final = samples[-1]
        assert final["status"] == "completed"
        assert final["enriched_count"] == final["total_movies"] == 100
        assert final["matched_count"] == 100
        assert final["progress_percent"] == 100.0
        assert len({s["enriched_count"] for s in samples}) > 2  # progress was visible

        page = (await client.get(f"/api/session/{session_id}/movies?limit=100")).json()
        assert page["total"] == 100
        for movie in page["items"]:
            assert movie["tmdb_id"] is not None
            assert movie["genres"]
            assert movie["runtime"]
            assert movie["directors"]
            assert movie["cast"]
            assert movie["countries"]
            assert movie["languages"]
        stats = await standin_stats(tmdb)
        assert stats["by_endpoint"]["movie"] == 100


async def test_a_429_storm_slows_the_job_and_it_still_finishes(database_url: str) -> None:
    config = standin_config(rate_limit=8)
    async with (
        running_standin(config) as tmdb,
        running_app(app_settings(database_url, tmdb, tmdb_max_attempts=8)) as app,
        httpx.AsyncClient(base_url=app, timeout=30) as client,
    ):
        session_id = await upload(client, export(12, "Storm Film"))
        final = (await follow(client, session_id))[-1]
        stats = await standin_stats(tmdb)
    assert final["status"] == "completed"
    assert final["matched_count"] == 12
    assert stats["rate_limited"] > 0  # the storm happened, and was weathered


async def test_5xx_and_timeouts_are_retried_then_films_fail_with_a_reason(
    database_url: str,
) -> None:
    config = standin_config(error_rate=0.35, timeout_rate=0.15, hang_seconds=1.0, seed=7)
    async with running_standin(config) as tmdb:
        settings = app_settings(database_url, tmdb, tmdb_timeout_seconds=0.3, tmdb_max_attempts=2)
        async with (
            running_app(settings) as app,
            httpx.AsyncClient(base_url=app, timeout=30) as client,
        ):
            session_id = await upload(client, export(30, "Flaky Film"))
            final = (await follow(client, session_id))[-1]
            page = (await client.get(f"/api/session/{session_id}/movies?limit=100")).json()
            stats = await standin_stats(tmdb)
    assert final["status"] == "completed"
    assert final["enriched_count"] == 30
    assert final["failed_count"] > 0
    assert final["matched_count"] > 0
    failed = [m for m in page["items"] if m["match_status"] == "failed"]
    assert len(failed) == final["failed_count"]
    assert all("after 2 attempts" in m["match_reason"] for m in failed)
    assert stats["injected_errors"] > 0
    assert stats["injected_timeouts"] > 0


async def test_a_wrong_key_fails_the_session_fast(database_url: str) -> None:
    async with running_standin(standin_config()) as tmdb:
        settings = app_settings(database_url, tmdb, tmdb_api_key="wrong")
        async with (
            running_app(settings) as app,
            httpx.AsyncClient(base_url=app, timeout=30) as client,
        ):
            session_id = await upload(client, export(50, "Keyless Film"))
            final = (await follow(client, session_id))[-1]
            stats = await standin_stats(tmdb)
    assert final["status"] == "failed"
    assert final["error_message"] == "TMDB rejected the API key"
    assert stats["by_status"]["401"] <= 20  # the films in flight, then it stopped
    assert KEY not in str(stats)
    assert "wrong" not in str(stats)


async def test_twenty_sessions_enrich_at_once(database_url: str) -> None:
    async with (
        running_standin(standin_config()) as tmdb,
        running_app(app_settings(database_url, tmdb)) as app,
        httpx.AsyncClient(base_url=app, timeout=60) as client,
    ):
        # overlapping libraries: every session shares half its films with the next one
        payloads = [export(10, f"Shared {n // 2}") for n in range(20)]
        session_ids = await asyncio.gather(*(upload(client, p) for p in payloads))
        finals = await asyncio.gather(*(follow(client, s) for s in session_ids))
    assert [f[-1]["status"] for f in finals] == ["completed"] * 20
    assert all(f[-1]["matched_count"] == 10 for f in finals)


async def test_sigkill_mid_enrichment_then_restart_resumes_exactly(
    database_url: str, engine: AsyncEngine
) -> None:
    config = standin_config(rate_limit=40, latency_ms=40, jitter_ms=10, max_connections=20)
    async with running_standin(config) as tmdb:
        port = free_port()
        env = app_env(database_url, tmdb)
        base = f"http://127.0.0.1:{port}"
        process = await start_app_process(env, port)
        try:
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                session_id = await upload(client, export(100, "Killed Film"))
                for _ in range(1500):
                    status = (await client.get(f"/api/session/{session_id}/status")).json()
                    if status["enriched_count"] >= 25:
                        break
                    await asyncio.sleep(0.02)
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
            assert status["status"] == "enriching"
            assert 25 <= status["enriched_count"] < 100

            process = await start_app_process(env, port)
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                final = (await follow(client, session_id))[-1]
        finally:
            process.kill()
            process.wait(timeout=10)
        stats = await standin_stats(tmdb)

    assert final["status"] == "completed"
    assert final["enriched_count"] == final["matched_count"] == 100
    rows = await row_counts(engine)
    assert rows.films == 100
    assert rows.movies == rows.tmdb_ids == 100  # no duplicate metadata rows
    # every film's details were fetched once, but for those in flight when the process died
    assert 100 <= stats["by_endpoint"]["movie"] <= 100 + 20


@pytest.mark.parametrize("path", ["/api/health"])
async def test_the_app_answers_on_a_real_port(database_url: str, path: str) -> None:
    async with running_app(make_settings(database_url)) as app, httpx.AsyncClient() as client:
        assert (await client.get(app + path)).status_code == 200


async def test_miniseries_are_found_on_tmdbs_tv_through_the_stand_in(database_url: str) -> None:
    """No movie answers for these titles (the stand-in has no catalogue and synthesises
    nothing): the job asks TMDB's TV search and fetches the series with its aggregate
    credits."""
    rows = [
        "2024-01-01,Chernobyl,2019,https://boxd.it/tv1",
        "2024-01-02,Band of Brothers,2001,https://boxd.it/tv2",
        "2024-01-03,Nothing Anywhere,1999,https://boxd.it/tv3",
    ]
    async with (
        running_standin(standin_config(synthesise=False)) as tmdb,
        running_app(app_settings(database_url, tmdb)) as app,
        httpx.AsyncClient(base_url=app, timeout=30) as client,
    ):
        session_id = await upload(client, make_zip({"watched.csv": csv_text(FILM, rows)}))
        final = (await follow(client, session_id))[-1]
        page = (await client.get(f"/api/session/{session_id}/movies")).json()["items"]
        stats = await standin_stats(tmdb)
    assert final["status"] == "completed"
    by_title = {m["title"]: m for m in page}
    chernobyl = by_title["Chernobyl"]
    assert (chernobyl["tmdb_id"], chernobyl["tmdb_kind"]) == (9000001, "tv")
    assert chernobyl["match_status"] == "matched"
    assert chernobyl["cast"]
    assert chernobyl["runtime"]
    assert by_title["Band of Brothers"]["tmdb_kind"] == "tv"
    assert by_title["Nothing Anywhere"]["match_status"] == "unmatched"
    assert stats["by_endpoint"]["tv"] == 2  # each series fetched once
