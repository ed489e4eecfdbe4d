"""A victim's enrichment under a flood of TMDB searches from another client (issue 13, item 6).

    .venv/bin/python -m bench.search_flood                      # SQLite and PostgreSQL, 400 films
    .venv/bin/python -m bench.search_flood --films 100 --database sqlite

The stand-in answers as TMDB does (40 req/s, 80 ± 20 ms, 20 connections); the app runs as its
own process with its defaults (40 req/s for TMDB, of which user lookups get at most
`TMDB_USER_RATE_LIMIT`). Three runs of one cold library each (different films, so that every
run costs the same requests):

* unloaded: the victim alone;
* flood: while it enriches, 50 searchers of a throwaway library search without pause, each a
  title no one asked for (the cache cannot help), retrying 0.2 s after a 429;
* flood, limits off: the same with the per-session and per-client lookup limits raised out of
  reach, so that only the user lookups' share of the TMDB budget protects the victim.

Bound: the victim keeps ≥ 0.8 of its unloaded films/s under each flood.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from typing import Any

import httpx

from bench.common import (
    app_server,
    catalogue_titles,
    export_zip,
    print_table,
    standin,
    write_results,
)
from bench.import_time import fresh_pg_database
from letterboxd_stats.models import FINAL_STATUSES

SEARCHERS = 50
RETRY_AFTER_429 = 0.2
BOUND_RATIO = 0.8
LIMITS_OFF = {
    "USER_LOOKUPS_PER_MINUTE_PER_SESSION": "1000000",
    "USER_LOOKUPS_PER_MINUTE_PER_CLIENT": "1000000",
}


async def _finish(client: httpx.AsyncClient, session_id: str) -> dict[str, Any]:
    while True:
        status: dict[str, Any] = (await client.get(f"/api/session/{session_id}/status")).json()
        if status["status"] in FINAL_STATUSES:
            return status
        await asyncio.sleep(0.1)


async def _victim(app: str, films: list[tuple[str, int]], flood: bool) -> dict[str, Any]:
    """Enrich `films` (cold); with `flood`, 50 searchers hammer a throwaway library meanwhile."""
    codes: Counter[int] = Counter()
    async with httpx.AsyncClient(base_url=app, timeout=120) as client:
        throwaway = ""
        if flood:
            upload = await client.post(
                "/api/upload", files=[("files", ("t.zip", export_zip([("Throwaway", 2001)])))]
            )
            throwaway = upload.json()["session_id"]
            await _finish(client, throwaway)
        queries = iter(catalogue_titles(100_000, skip=40_000))
        done = asyncio.Event()

        async def searcher() -> None:
            while not done.is_set():
                title, year = next(queries)
                response = await client.get(
                    f"/api/session/{throwaway}/tmdb/search",
                    params={"query": title, "year": year},
                )
                codes[response.status_code] += 1
                if response.status_code == 429:
                    await asyncio.sleep(RETRY_AFTER_429)

        searchers = [asyncio.create_task(searcher()) for _ in range(SEARCHERS if flood else 0)]
        started = time.perf_counter()
        upload = await client.post("/api/upload", files=[("files", ("v.zip", export_zip(films)))])
        upload.raise_for_status()
        status = await _finish(client, upload.json()["session_id"])
        seconds = time.perf_counter() - started
        done.set()
        await asyncio.gather(*searchers)
    return {
        "status": status["status"],
        "films": status["total_movies"],
        "enriched": status["enriched_count"],
        "seconds": round(seconds, 2),
        "films_per_second": round(status["total_movies"] / seconds, 2),
        "searches": dict(sorted(codes.items())),
    }


def run(database: str, films: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    runs: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="lbx-bench-") as workdir, standin() as tmdb:
        for name, settings, flood in (
            ("unloaded", {}, False),
            ("flood", {}, True),
            ("flood, limits off", LIMITS_OFF, True),
        ):
            url = (
                f"sqlite+aiosqlite:///{workdir}/{len(runs)}.db"
                if database == "sqlite"
                else asyncio.run(fresh_pg_database("letterboxd_bench_flood"))
            )
            skip = 10_000 + len(runs) * films  # every run cold, on films of its own
            with app_server(url, tmdb, workdir, settings=settings) as (app, _pid):
                runs[name] = asyncio.run(_victim(app, catalogue_titles(films, skip=skip), flood))
    unloaded = runs["unloaded"]["films_per_second"]
    for name, result in runs.items():
        row: dict[str, Any] = {
            "figure": f"{database}: victim {films} films, {name}: films/s",
            "value": result["films_per_second"],
            "detail": result,
        }
        if name != "unloaded":
            row |= {"bound": round(BOUND_RATIO * unloaded, 2)}
            row["ratio"] = round(result["films_per_second"] / unloaded, 3)
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--films", type=int, default=400)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    rows = [row for database in databases for row in run(database, args.films)]
    print_table("Victim films/s under a search flood (bound: ≥ 0.8 of unloaded)", rows)
    for row in rows:
        print(f"  {row['figure']}: {row['detail']}")
    path = write_results("search_flood", {"rows": rows})
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
