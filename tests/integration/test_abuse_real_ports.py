"""A victim and an attacker on one app (its own process, the TMDB stand-in on a real port,
answering slowly): while the victim's library enriches, one client fires 30 match fixes and
40 searches at once on a throwaway library and keeps 25 progress streams reconnecting to the
victim's. The victim's job completes with exact counts and no request answers 5xx.

This is issue 13's scenario: before connections were released across TMDB waits and between
events, and pool timeouts were "busy", it failed the victim's job (`TimeoutError`) on
PostgreSQL. The lookup limits and stream caps are raised here, so that every request reaches
the pool: this tests the pool, `tests/sessions/test_abuse.py` tests the caps.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import httpx

from tests.fixtures.database import DATABASE_URL
from tests.fixtures.real_ports import (
    app_env,
    assert_consistent,
    export,
    follow,
    standin_config,
    stop_process,
    upload,
)
from tests.fixtures.servers import free_port, running_standin, start_app_process

VICTIM_FILMS = 300
ATTACKER_FILMS = 60
MATCH_FIXES = 30
SEARCHES = 40
STREAMS = 25
UNCAPPED = {
    "USER_LOOKUPS_PER_MINUTE_PER_SESSION": "1000",
    "USER_LOOKUPS_PER_MINUTE_PER_CLIENT": "1000",
    "SSE_MAX_STREAMS_PER_SESSION": "100",
    "SSE_MAX_STREAMS_PER_CLIENT": "100",
    "TMDB_USER_RATE_LIMIT": "20",
}


async def _streams(base: str, session_id: str, done: asyncio.Event, codes: list[int]) -> None:
    """One client's progress stream, dropped after two events and opened again until `done`."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        while not done.is_set():
            async with client.stream("GET", f"/api/session/{session_id}/events") as response:
                codes.append(response.status_code)
                if response.status_code != 200:
                    await asyncio.sleep(0.1)
                    continue
                events = 0
                async for line in response.aiter_lines():
                    events += line.startswith("event:")
                    if events >= 2 or done.is_set():
                        break


async def test_a_victim_completes_while_another_client_hammers_the_app(tmp_path: Path) -> None:
    database_url = _database_url(tmp_path)
    log_file = tmp_path / "app.log"
    config = standin_config(latency_ms=60, jitter_ms=40)
    codes: dict[str, list[int]] = {"match": [], "search": [], "events": []}
    async with running_standin(config) as tmdb:
        port = free_port()
        env = app_env(database_url, tmdb, TMDB_RATE_LIMIT="100", **UNCAPPED)
        process = await start_app_process(env, port, log_file=log_file)
        base = f"http://127.0.0.1:{port}"
        try:
            async with httpx.AsyncClient(base_url=base, timeout=120) as client:
                throwaway = await upload(client, export(ATTACKER_FILMS, "Throwaway Film"))
                thrown = (await follow(client, throwaway))[-1]
                page = (await client.get(f"/api/session/{throwaway}/movies?limit=500")).json()
                films = [m for m in page["items"] if m["tmdb_id"] is not None]
                assert len(films) >= MATCH_FIXES, thrown

                victim = await upload(client, export(VICTIM_FILMS, "Victim Film"))
                done = asyncio.Event()

                async def fix(n: int) -> None:
                    film, other = films[n], films[(n + 1) % len(films)]
                    response = await client.put(
                        f"/api/session/{throwaway}/movies/{film['movie_id']}/match",
                        json={"tmdb_id": other["tmdb_id"]},
                    )
                    codes["match"].append(response.status_code)

                async def search(n: int) -> None:
                    response = await client.get(
                        f"/api/session/{throwaway}/tmdb/search",
                        params={"query": f"Throwaway Film {n:04d}"},
                    )
                    codes["search"].append(response.status_code)

                async def attack() -> None:
                    streams = [
                        asyncio.create_task(_streams(base, victim, done, codes["events"]))
                        for _ in range(STREAMS)
                    ]
                    await asyncio.gather(
                        *(fix(n) for n in range(MATCH_FIXES)),
                        *(search(n) for n in range(SEARCHES)),
                    )
                    await done.wait()
                    for task in streams:
                        task.cancel()
                    for task in streams:
                        with contextlib.suppress(asyncio.CancelledError):
                            await task

                attacker = asyncio.create_task(attack())
                samples = await follow(client, victim, timeout=300)
                done.set()
                await attacker
                after = (await client.get(f"/api/session/{throwaway}/status")).json()
        finally:
            await stop_process(process)

    final = samples[-1]
    assert final["status"] == "completed", final
    assert final["enriched_count"] == final["total_movies"] == VICTIM_FILMS
    assert_consistent(final)
    assert final["matched_count"] + final["unmatched_count"] + final["failed_count"] == (
        VICTIM_FILMS
    )
    assert final["failed_count"] == 0, final
    # the attack was real: every request was answered, and none with a 5xx
    assert len(codes["match"]) == MATCH_FIXES
    assert len(codes["search"]) == SEARCHES
    assert len(codes["events"]) >= STREAMS
    every = [c for kind in codes.values() for c in kind]
    assert [c for c in every if c >= 500] == [], codes
    assert codes["match"] == [200] * MATCH_FIXES, codes["match"]
    assert codes["search"] == [200] * SEARCHES, codes["search"]
    assert after["status"] == "completed"
    assert after["enriched_count"] == ATTACKER_FILMS
    log = log_file.read_text(errors="replace")
    problems = [problem for problem in ("Traceback", "TimeoutError") if problem in log]
    assert problems == [], log[-5000:]


def _database_url(tmp_path: Path) -> str:
    """The test database on PostgreSQL (its job queue, its pool); a file of this test on SQLite
    (the app process runs its own jobs there)."""
    if DATABASE_URL.startswith("postgresql"):
        return DATABASE_URL
    return f"sqlite+aiosqlite:///{tmp_path / 'abuse.db'}"
