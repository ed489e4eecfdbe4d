"""Latency of the watchlist (GET /api/session/{id}/watchlist) of a 3,538-film watchlist, on
SQLite and PostgreSQL: five queries, each timed repeatedly in a warm process and as the first
request of a freshly started one.

    .venv/bin/python -m bench.watchlist [--database sqlite|postgresql|both] [--requests 50]
        [--restarts 3]

The library is a real export (ujjwal, in ../shared/data: 3,538 watchlist entries, 1,249
ratings), uploaded as it is and enriched against an unthrottled stand-in (synthesised films for
the titles outside its catalogue; the rate is not what is measured here). The job is waited for
until it is entirely done: /status `completed` with every watchlist entry enriched and the
completion phase over (else a restarted app resumes the job meanwhile), then the
watchlist answering with the taste model `ready` and no film's offers pending (the job trains
the model and fetches where-to-watch offers as its last steps).

The queries: the default (ranked by the predicted rating, 50 entries), `sort=runtime&
max_runtime=120`, `providers=` the first provider of `where.providers` (the one streaming most
of the films), `region=GB` and `offset=3000&limit=50`. Each is asked, `--restarts` times, as the
first request of a restarted app (nothing in memory: one process per query and restart), then,
in one more process, once to warm up and `--requests` times more, timed by the client (httpx,
the server on loopback).
Bound: p95 of the repeated requests ≤ 100 ms, every query.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass
from typing import Any

import httpx

from bench.common import (
    SHARED,
    app_server,
    figure_row,
    percentile,
    print_table,
    standin,
    timed_get,
    upload_settled,
    write_results,
)
from bench.import_time import PG_BENCH_DB, export_zip, fresh_pg_database

EXPORT = SHARED / "letterboxd-exports" / "ujjwal"
BOUND_MS = 100.0
APP_SETTINGS = {"TMDB_RATE_LIMIT": "2000"}
SETTLE_SECONDS = 1800  # the whole job: upload to the last offer


@dataclass(frozen=True)
class Query:
    name: str  # in the table
    params: str  # the query string (`{provider}`: the first of where.providers)


QUERIES = (
    Query("default", ""),
    Query("runtime", "sort=runtime&max_runtime=120"),
    Query("providers", "providers={provider}"),
    Query("region GB", "region=GB"),
    Query("offset 3000", "offset=3000&limit=50"),
)


def _settle(client: httpx.Client, payload: bytes) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """Upload; the session's id, its last /status and its watchlist once the job is entirely
    done (see the module's docstring)."""
    session_id, status = upload_settled(
        client, payload, filename="ujjwal.zip", timeout=SETTLE_SECONDS
    )
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        watchlist = client.get(f"/api/session/{session_id}/watchlist?limit=1")
        watchlist.raise_for_status()
        body = watchlist.json()
        if body["model"]["status"] == "ready" and body["where"]["pending"] == 0:
            return session_id, status, body
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"watchlist of {session_id} not ready: model {body['model']['status']}, "
                f"{body['where']['pending']} films' offers pending"
            )
        time.sleep(0.5)


def measure(database: str, requests: int = 50, restarts: int = 3) -> list[dict[str, Any]]:
    """Upload and settle the library, then per query: `restarts` first requests of a restarted
    app, and in one more process a warm-up and `requests` timed requests."""
    payload = export_zip(EXPORT)
    firsts: dict[str, list[float]] = {q.name: [] for q in QUERIES}
    repeated: dict[str, list[float]] = {q.name: [] for q in QUERIES}
    totals: dict[str, int] = {}
    sizes: dict[str, float] = {}
    with (
        tempfile.TemporaryDirectory(prefix="lbx-bench-") as workdir,
        standin(rate_limit=0, latency_ms=0, jitter_ms=0) as tmdb,
    ):
        url = (
            f"sqlite+aiosqlite:///{workdir}/bench.db"
            if database == "sqlite"
            else asyncio.run(fresh_pg_database(f"{PG_BENCH_DB}_watchlist"))
        )
        started = time.perf_counter()
        with (
            app_server(url, tmdb, workdir, settings=APP_SETTINGS) as (app, _pid),
            httpx.Client(base_url=app, timeout=300) as client,
        ):
            session_id, status, settled = _settle(client, payload)
        settle_s = time.perf_counter() - started
        seen = settled["where"]["providers"]
        if not seen:
            raise RuntimeError("no provider streams any film of the watchlist: nothing to filter")
        provider = seen[0]
        base = f"/api/session/{session_id}/watchlist"
        paths = {
            q.name: f"{base}?{q.params.format(provider=provider['id'])}".rstrip("?")
            for q in QUERIES
        }
        for _ in range(restarts):
            for query in QUERIES:
                with (
                    app_server(url, tmdb, workdir, settings=APP_SETTINGS) as (app, _pid),
                    httpx.Client(base_url=app, timeout=300) as client,
                ):
                    firsts[query.name].append(timed_get(client, paths[query.name]))
        with (
            app_server(url, tmdb, workdir, settings=APP_SETTINGS) as (app, _pid),
            httpx.Client(base_url=app, timeout=300) as client,
        ):
            for query in QUERIES:
                answer = client.get(paths[query.name])  # the warm-up
                answer.raise_for_status()
                totals[query.name] = int(answer.json()["total"])
                sizes[query.name] = len(answer.content) / 1024
                repeated[query.name] = [
                    timed_get(client, paths[query.name]) for _ in range(requests)
                ]
    db = database
    model = settled["model"]
    rows = [
        figure_row(f"{db}: watchlist entries", status["watchlist_total"], "entries"),
        figure_row(f"{db}: rated films the model rests on", model["rated"] or 0, "films"),
        figure_row(f"{db}: upload to settled, s", settle_s, "s"),
        figure_row(f"{db}: providers= (first of where.providers), id", provider["id"], "id")
        | {"provider": provider, "paths": paths},
    ]
    for query in QUERIES:
        name, times = query.name, repeated[query.name]
        rows += [
            figure_row(f"{db}: {name}, entries matching", totals[name], "entries"),
            figure_row(f"{db}: {name}, answer size, KiB", sizes[name], "KiB"),
            figure_row(f"{db}: {name}, p50 ms of {requests}", median(times), "ms"),
            figure_row(
                f"{db}: {name}, p95 ms of {requests}", percentile(times, 0.95), "ms", BOUND_MS
            ),
            figure_row(f"{db}: {name}, max ms of {requests}", max(times), "ms"),
            figure_row(
                f"{db}: {name}, 1st after restart, p95 of {restarts}",
                percentile(firsts[name], 0.95),
                "ms",
            ),
        ]
    for row in rows:
        row["database"] = database
    return rows


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--restarts", type=int, default=3)
    args = parser.parse_args()
    if args.requests < 1 or args.restarts < 1:
        parser.error("--requests and --restarts must be at least 1")
    if not EXPORT.is_dir():
        raise SystemExit(f"no export at {EXPORT}")
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    rows = [row for db in databases for row in measure(db, args.requests, args.restarts)]
    legend = (f"{q.name}: ?{q.params or '(none)'}" for q in QUERIES)
    print("\nqueries: " + "; ".join(legend).replace("{provider}", "<first of where.providers>"))
    print_table("The watchlist of a 3,538-film watchlist (GET /api/session/{id}/watchlist)", rows)
    figures = {
        "rows": rows,
        "export": EXPORT.name,
        "queries": {q.name: q.params for q in QUERIES},
        "requests": args.requests,
        "restarts": args.restarts,
    }
    print(f"written to {write_results('watchlist', figures)}")


if __name__ == "__main__":
    main()
