"""Several API and worker processes on one PostgreSQL, through the job queue (procrastinate),
against the TMDB stand-in on a real port: kills, duplicates, the shared rate, cancel, SIGTERM,
no worker at all."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.logging import short_id
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

pytestmark = pytest.mark.slow

QUEUE = {
    "JOB_WORKERS": "external",
    "JOB_HEARTBEAT_SECONDS": "0.5",
    "JOB_STALLED_SECONDS": "2",
    "JOB_MAINTENANCE_SECONDS": "1",
    "JOB_ABORT_POLL_SECONDS": "0.5",
    "LOG_LEVEL": "info",
}
ABORT_INTERVAL = 0.5


@pytest.fixture(autouse=True)
def _postgresql_only(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the job queue (procrastinate) is PostgreSQL only; SQLite runs jobs in-process")


class Cluster:
    """API and worker processes of one test; all stopped at the end."""

    def __init__(self, env: dict[str, str], logs: Path, engine: AsyncEngine) -> None:
        self.env = env
        self.logs = logs
        self.engine = engine
        self.apis: list[str] = []
        self._api_logs = 0
        self.workers: list[subprocess.Popen[bytes]] = []
        self._processes: list[subprocess.Popen[bytes]] = []

    async def api(self) -> str:
        port = free_port()
        self._api_logs += 1
        log = self.logs / f"api-{self._api_logs}.log"
        self._processes.append(await start_app_process(self.env, port, log))
        self.apis.append(f"http://127.0.0.1:{port}")
        return self.apis[-1]

    async def worker(self, concurrency: int = 2) -> subprocess.Popen[bytes]:
        before = await self.live_workers()
        log = (self.logs / f"worker-{len(self.workers)}.log").open("ab")
        process = subprocess.Popen(
            [sys.executable, "-m", "letterboxd_stats", "worker", f"--concurrency={concurrency}"],
            env=os.environ | self.env,
            stdout=log,
            stderr=log,
        )
        log.close()
        self.workers.append(process)
        self._processes.append(process)
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError(f"the worker exited with {process.returncode}")
            if await self.live_workers() > before:
                return process
            await asyncio.sleep(0.05)
        raise RuntimeError("the worker did not register")

    def worker_log(self, process: subprocess.Popen[bytes]) -> str:
        return (self.logs / f"worker-{self.workers.index(process)}.log").read_text()

    def holder(self, session_id: str) -> subprocess.Popen[bytes]:
        """The live worker whose log shows it started this session's job."""
        marker = f"session_id={short_id(session_id)}"
        for process in self.workers:
            if process.poll() is None and any(
                "enrich.start" in line and marker in line
                for line in self.worker_log(process).splitlines()
            ):
                return process
        raise AssertionError("no worker holds the session")

    async def live_workers(self) -> int:
        return await self.scalar("SELECT count(*) FROM procrastinate_workers")

    async def jobs(self, session_id: str, status: str) -> int:
        return await self.scalar(
            "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'enrich_session'"
            " AND lock = :lock AND status = :status",
            lock=session_id,
            status=status,
        )

    async def scalar(self, sql: str, **params: Any) -> int:
        async with self.engine.connect() as conn:
            return int((await conn.execute(text(sql), params)).scalar_one())

    def stop(self) -> None:
        for process in self._processes:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)


@asynccontextmanager
async def cluster(
    database_url: str, engine: AsyncEngine, tmp_path: Path, **standin: Any
) -> AsyncIterator[tuple[Cluster, str]]:
    config = standin_config(
        **({"rate_limit": 40, "latency_ms": 40, "jitter_ms": 10, "max_connections": 20} | standin)
    )
    async with running_standin(config) as tmdb:
        running = Cluster(app_env(database_url, tmdb, **QUEUE), tmp_path, engine)
        try:
            yield running, tmdb
        finally:
            running.stop()


async def upload_to(base: str, payload: bytes) -> str:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        return await upload(client, payload)


async def a_worker_holding_a_session(
    running: Cluster, workers: int, prefix: str
) -> tuple[str, str, dict[str, Any], subprocess.Popen[bytes]]:
    """An API process and `workers` workers; a 150-film session uploaded and run to 30 %:
    the API, the session, its status then, and the worker holding it."""
    api = await running.api()
    for _ in range(workers):
        await running.worker()
    session_id = await upload_to(api, export(150, prefix))
    before = await until_progress(api, session_id, 0.3)
    return api, session_id, before, running.holder(session_id)


async def status_of(base: str, session_id: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        body: dict[str, Any] = (await client.get(f"/api/session/{session_id}/status")).json()
    return body


async def until_progress(base: str, session_id: str, share: float) -> dict[str, Any]:
    for _ in range(3000):
        status = await status_of(base, session_id)
        if status["enriched_count"] >= share * status["total_movies"]:
            return status
        await asyncio.sleep(0.02)
    raise AssertionError(f"no progress: {status}")


async def finish(base: str, session_id: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        return (await follow(client, session_id, timeout=180))[-1]


async def assert_exact(engine: AsyncEngine, final: dict[str, Any], films: int) -> None:
    assert final["status"] == "completed", final
    assert final["enriched_count"] == final["total_movies"] == films
    assert final["matched_count"] + final["unmatched_count"] + final["failed_count"] == films
    rows = await row_counts(engine)
    assert rows.films == rows.uris == films  # one row per film, none duplicated
    assert rows.movies == rows.tmdb_ids  # one metadata row per TMDB film


async def no_job_left(running: Cluster, session_id: str) -> None:
    """The job ends a moment after it stored `completed`: give it that moment."""
    for _ in range(200):
        if await running.jobs(session_id, "doing") + await running.jobs(session_id, "todo") == 0:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("a job of the session is still queued or running")


async def assert_taken_over(
    running: Cluster,
    tmdb: str,
    api: str,
    session_id: str,
    holder: subprocess.Popen[bytes],
    films: int,
) -> None:
    """Once its holder stopped, another live worker finished the session exactly, asking TMDB
    again only for the films that were in flight (≤ 20): finished films were not redone."""
    final = await finish(api, session_id)
    await no_job_left(running, session_id)
    successor = running.holder(session_id)
    stats = await standin_stats(tmdb)
    assert successor is not holder
    await assert_exact(running.engine, final, films)
    assert stats["by_endpoint"]["movie"] <= films + 20


async def test_sigkill_the_worker_holding_a_session_it_completes_elsewhere(
    database_url: str, engine: AsyncEngine, tmp_path: Path
) -> None:
    async with cluster(database_url, engine, tmp_path) as (running, tmdb):
        api, session_id, before, holder = await a_worker_holding_a_session(running, 3, "Scale Film")
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        assert 0.3 * 150 <= before["enriched_count"] <= 0.7 * 150
        await assert_taken_over(running, tmdb, api, session_id, holder, films=150)


async def test_one_session_submitted_by_two_api_processes_runs_once(
    database_url: str, engine: AsyncEngine, tmp_path: Path
) -> None:
    async with cluster(database_url, engine, tmp_path) as (running, tmdb):
        first = await running.api()
        session_id = await upload_to(first, export(120, "Twice Film"))
        # its job is lost (as if the process died between the commit and the queue) ...
        async with running.engine.begin() as conn:
            await conn.execute(
                text("DELETE FROM procrastinate_jobs WHERE lock = :lock"), {"lock": session_id}
            )
        assert await running.jobs(session_id, "todo") == 0
        # ... and two API processes starting at once both find it and queue it
        await asyncio.gather(running.api(), running.api())
        assert await running.jobs(session_id, "todo") == 1
        await asyncio.gather(running.worker(), running.worker())
        most_running = 0
        while (status := await status_of(first, session_id))["status"] != "completed":
            most_running = max(most_running, await running.jobs(session_id, "doing"))
            await asyncio.sleep(0.02)
        await no_job_left(running, session_id)
        stats = await standin_stats(tmdb)

    assert most_running == 1
    await assert_exact(engine, status, 120)
    # every film fetched once (a request the stand-in turned away with a 429 is asked again)
    assert stats["by_endpoint"]["movie"] <= 120 + stats["rate_limited"]


async def test_processes_share_one_tmdb_budget_and_weather_429s(
    database_url: str, engine: AsyncEngine, tmp_path: Path
) -> None:
    # The stand-in allows 32 requests per second, the app asks for 40: 429s will come.
    async with cluster(database_url, engine, tmp_path, rate_limit=32) as (running, tmdb):
        apis = [await running.api(), await running.api()]
        for _ in range(3):
            await running.worker(concurrency=2)
        async with (
            httpx.AsyncClient(base_url=apis[0], timeout=30) as one,
            httpx.AsyncClient(base_url=apis[1], timeout=30) as other,
        ):
            sessions = await asyncio.gather(
                *(upload((one, other)[n % 2], export(40, f"Rate Film {n}")) for n in range(4))
            )
        finals = await asyncio.gather(*(finish(apis[0], s) for s in sessions))
        stats = await standin_stats(tmdb)

    assert [f["status"] for f in finals] == ["completed"] * 4
    assert all(f["enriched_count"] == 40 for f in finals)
    assert stats["rate_limited"] > 0  # the 429s were injected ...
    # ... and the shared budget held: over any five seconds (five processes each on a budget of
    # their own would send several times as much), and in any one second within what the jitter
    # of five busy processes on two cores adds (arrivals are stamped when the stand-in's loop
    # gets to them: a stall of 100 ms bunches four requests into the next second, and a loaded
    # machine stalls longer: 57 seen, with the five seconds' figure within its bound)
    assert stats["peak_requests_per_5_seconds"] <= 5 * 40 + 3
    assert stats["peak_requests_per_second"] <= 2 * 40
    print(
        f"\npeak {stats['peak_requests_per_second']} req/s,"
        f" {stats['peak_requests_per_5_seconds']} in 5 s, {stats['rate_limited']} 429s"
    )


async def test_cancel_stops_every_tmdb_request_of_the_session(
    database_url: str, engine: AsyncEngine, tmp_path: Path
) -> None:
    async with cluster(database_url, engine, tmp_path) as (running, tmdb):
        api = await running.api()
        await running.worker()
        async with httpx.AsyncClient(base_url=api, timeout=30) as client:
            session_id = await upload(client, export(300, "Cancel Film"))
            await until_progress(api, session_id, 0.1)
            cancelled = await client.post(f"/api/session/{session_id}/cancel")
            await asyncio.sleep(ABORT_INTERVAL + 1)
            settled = (await standin_stats(tmdb))["requests_total"]
            await asyncio.sleep(2)
            later = (await standin_stats(tmdb))["requests_total"]
            again = await client.post(f"/api/session/{session_id}/cancel")
            final = await status_of(api, session_id)
        await no_job_left(running, session_id)

    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert later == settled  # no TMDB request after the abort interval + 1 s
    assert again.status_code == 200  # cancelling twice is harmless
    assert final["status"] == "cancelled"
    assert final["enriched_count"] < final["total_movies"]


async def test_sigterm_hands_the_job_to_another_worker(
    database_url: str, engine: AsyncEngine, tmp_path: Path
) -> None:
    async with cluster(database_url, engine, tmp_path) as (running, tmdb):
        api, session_id, _before, holder = await a_worker_holding_a_session(running, 2, "Term Film")
        holder.send_signal(signal.SIGTERM)
        assert holder.wait(timeout=15) == 0  # a clean stop
        await assert_taken_over(running, tmdb, api, session_id, holder, films=150)


async def test_without_a_worker_the_session_waits_then_completes(
    database_url: str, engine: AsyncEngine, tmp_path: Path
) -> None:
    async with cluster(database_url, engine, tmp_path) as (running, _tmdb):
        api = await running.api()
        session_id = await upload_to(api, export(40, "Wait Film"))
        await asyncio.sleep(2)
        waiting = await status_of(api, session_id)
        queued = await running.jobs(session_id, "todo")
        await running.worker()
        final = await finish(api, session_id)
        await no_job_left(running, session_id)

    assert waiting["enriched_count"] == 0
    assert waiting["status"] not in ("completed", "failed")
    assert queued == 1
    await assert_exact(engine, final, 40)
