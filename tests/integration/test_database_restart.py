"""PostgreSQL stopped in the middle of an enrichment, then started again: requests answer 503
with a message while it is down, the job pauses and then finishes, nothing is lost."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from pathlib import Path

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

FILMS = 150
CLUSTERS = Path("/etc/postgresql")


def _cluster() -> list[str]:
    """`pg_ctlcluster` arguments of the local cluster (Debian's layout)."""
    version = sorted(p.name for p in CLUSTERS.iterdir())[0]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]


def _skip_reason(database_url: str) -> str | None:
    if not database_url.startswith("postgresql"):
        return "restarts the PostgreSQL server; SQLite has no server to restart"
    if shutil.which("pg_ctlcluster") is None or not CLUSTERS.is_dir():
        return "needs the local Debian PostgreSQL cluster (pg_ctlcluster) to restart it"
    if os.geteuid() != 0:
        return "stopping the local PostgreSQL cluster needs root"
    return None


async def _pg(action: str) -> None:
    program, *args = _cluster()
    fast = ["-m", "fast"] if action == "stop" else []  # stop: clients are disconnected at once
    process = await asyncio.create_subprocess_exec(program, *args, action, *fast)
    assert await process.wait() == 0, f"pg_ctlcluster {action} failed"


async def _wait_until_accepting() -> None:
    for _ in range(300):
        done = subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"], check=False)
        if done.returncode == 0:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("PostgreSQL did not come back")


@pytest.mark.slow
@pytest.mark.serial  # the server it stops is every xdist worker's: run alone, after them
async def test_postgresql_restarted_mid_run_loses_nothing(
    database_url: str, engine: AsyncEngine, tmp_path: Path
) -> None:
    if reason := _skip_reason(database_url):
        pytest.skip(reason)
    config = standin_config(rate_limit=40, latency_ms=40, jitter_ms=10, max_connections=20)
    async with running_standin(config) as tmdb:
        port = free_port()
        log_file = tmp_path / "app.log"
        process = await start_app_process(app_env(database_url, tmdb), port, log_file)
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
                session_id = await upload(c, export(FILMS, "Outage Film"))
                for _ in range(1500):
                    before = (await c.get(f"/api/session/{session_id}/status")).json()
                    if before["enriched_count"] >= 30:
                        break
                    await asyncio.sleep(0.02)

                await _pg("stop")
                try:
                    down = [
                        await c.get(f"/api/session/{session_id}/status"),
                        await c.get("/api/health"),
                        await c.get(f"/api/session/{session_id}"),
                    ]
                    await asyncio.sleep(3)  # the job's writes wait; TMDB answers keep coming
                    down.append(await c.get(f"/api/session/{session_id}/status"))
                finally:
                    await _pg("start")
                    await _wait_until_accepting()

                final = (await follow(c, session_id))[-1]
                assert process.poll() is None  # the app lived through it
        finally:
            process.kill()
            process.wait(timeout=10)
        stats = await standin_stats(tmdb)

    assert before["status"] == "enriching"
    assert before["enriched_count"] < FILMS
    for answer in down:
        assert answer.status_code == 503, answer.text
        assert answer.json()["error"] == "DatabaseUnavailable"
        assert "database" in answer.json()["detail"]

    logged = log_file.read_text()
    assert final["status"] == "completed", (final, logged[-3000:])
    # the outage was met: the job waited for the database, or the queue's worker (PostgreSQL)
    # lost its connection, stopped its job and was started again
    assert "database.waiting" in logged or "enrich.worker_restarting" in logged
    # nothing of ours failed unhandled (procrastinate logs its listener's lost connection,
    # with a traceback of its own and psycopg's frames, and its worker is started again)
    for unhandled in ("Task exception was never retrieved", "Exception in ASGI", "enrich.failed"):
        assert unhandled not in logged, logged[-3000:]
    assert "src/letterboxd_stats/" not in logged, logged[-3000:]
    assert final["enriched_count"] == final["matched_count"] == final["total_movies"] == FILMS
    rows = await row_counts(engine)
    assert rows.films == FILMS
    assert rows.movies == rows.tmdb_ids == FILMS
    # the results known during the outage waited in memory; the job queue's worker, which lost
    # its connection, was started again: only films in flight then (≤ 20) were asked again
    assert FILMS <= stats["by_endpoint"]["movie"] <= FILMS + 20 + stats["rate_limited"]
