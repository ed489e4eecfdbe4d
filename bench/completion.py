"""The completion phase of an enrichment job (issue 19): its requests and seconds for the
2,614-film export at TMDB's 40 req/s.

    .venv/bin/python -m bench.completion [--database sqlite|postgresql|both] [--latency-ms 80]

The library is a real export (patrickmjones, in ../shared/data: 2,614 films and its
watchlist), uploaded as it is to an app at TMDB_RATE_LIMIT=40 (the real budget) in front of an
unthrottled stand-in (80 ms latency; synthesised films for the titles outside its catalogue, as
in bench/watchlist.py). /status is polled every 0.2 s; recorded: when the library is
`completed`, when every watchlist entry is enriched, when `extras_total > 0` first appears (the
phase's start) and when `extras_done == extras_total` (its end: held for a few polls, the
stand-in then asked nothing more for a while). The stand-in's /__stats is read before each
poll's /status until the phase shows (the last one kept: it precedes the phase) and at its
end: the phase's requests are the difference of its `collection` and `person` buckets.

Figures: films, watchlist entries, extras_total, collection and person requests, the phase's
seconds (from `extras_total` appearing to its end) and requests per second, and the whole job's
seconds. Bound: the phase's requests <= 40 (the 20 most seen directors' and 20 most seen
actors' filmographies) + the collections it touched.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from typing import Any

import httpx

from bench.common import SHARED, app_server, print_table, standin, write_results
from bench.import_time import PG_BENCH_DB, export_zip, fresh_pg_database

EXPORT = SHARED / "letterboxd-exports" / "patrickmjones"
RATE = 40
PEOPLE = 40  # 20 directors + 20 actors
APP_SETTINGS = {"TMDB_RATE_LIMIT": str(RATE)}
POLL_S = 0.2
END_POLLS = 5  # extras_done == extras_total held this many polls
QUIET_S = 3.0  # ... and the stand-in asked nothing for this long: the job is idle
TIMEOUT_S = 1800
BUCKETS = ("collection", "person")


def _stats(tmdb: str) -> dict[str, Any]:
    body: dict[str, Any] = httpx.get(f"{tmdb}/__stats", timeout=10).json()
    return {"requests_total": int(body["requests_total"]), "by_endpoint": body["by_endpoint"]}


def _bucket(stats: dict[str, Any], name: str) -> int:
    return int(stats["by_endpoint"].get(name, 0))


def _follow(client: httpx.Client, tmdb: str, session_id: str, started: float) -> dict[str, Any]:
    """Poll /status until the completion phase has ended and the job is idle; the moments
    (seconds since the upload) and the stand-in's /__stats around the phase."""
    moments: dict[str, float | None] = {
        "library_completed": None,
        "watchlist_enriched": None,
        "extras_appeared": None,
        "extras_done": None,
    }
    before: dict[str, Any] = _stats(tmdb)  # the last snapshot before the phase
    at_start: dict[str, Any] | None = None
    held = 0
    quiet_since: float | None = None
    last_total = before["requests_total"]
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        stats = _stats(tmdb)  # read before /status: it precedes the state /status shows
        status: dict[str, Any] = client.get(f"/api/session/{session_id}/status").json()
        now = time.perf_counter() - started
        if status["status"] == "failed":
            raise RuntimeError(f"session {session_id} failed: {status['error_message']}")
        library = status["status"] == "completed"
        if library and moments["library_completed"] is None:
            moments["library_completed"] = now
        watchlist = library and status["watchlist_enriched"] == status["watchlist_total"]
        if watchlist and moments["watchlist_enriched"] is None:
            moments["watchlist_enriched"] = now
        extras = int(status["extras_total"])
        if extras > 0 and at_start is None:
            moments["extras_appeared"], at_start = now, _stats(tmdb)
        elif at_start is None:
            before = stats
        ended = extras > 0 and status["extras_done"] == extras
        if ended and moments["extras_done"] is None:
            moments["extras_done"] = now
        held = held + 1 if ended else 0
        if stats["requests_total"] != last_total:
            last_total, quiet_since = stats["requests_total"], None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        idle = quiet_since is not None and time.monotonic() - quiet_since >= QUIET_S
        if held >= END_POLLS and idle:
            break
        if watchlist and extras == 0 and idle and (moments["watchlist_enriched"] or 0) + 10 < now:
            break  # nothing to complete (every item cached): the phase never shows
        if time.monotonic() > deadline:
            raise RuntimeError(f"session {session_id}: the completion phase did not end: {status}")
        time.sleep(POLL_S)
    return {"status": status, "moments": moments, "before": before, "at_start": at_start}


def measure(database: str, latency_ms: float) -> dict[str, Any]:
    payload = export_zip(EXPORT)
    with (
        tempfile.TemporaryDirectory(prefix="lbx-bench-") as workdir,
        standin(rate_limit=0, latency_ms=latency_ms, jitter_ms=latency_ms / 4) as tmdb,
    ):
        url = (
            f"sqlite+aiosqlite:///{workdir}/bench.db"
            if database == "sqlite"
            else asyncio.run(fresh_pg_database(f"{PG_BENCH_DB}_completion"))
        )
        with (
            app_server(url, tmdb, workdir, settings=APP_SETTINGS) as (app, _pid),
            httpx.Client(base_url=app, timeout=300) as client,
        ):
            started = time.perf_counter()
            upload = client.post("/api/upload", files=[("files", (f"{EXPORT.name}.zip", payload))])
            upload.raise_for_status()
            session_id = str(upload.json()["session_id"])
            followed = _follow(client, tmdb, session_id, started)
            end = _stats(tmdb)
    status, moments, before = followed["status"], followed["moments"], followed["before"]
    collections = _bucket(end, "collection") - _bucket(before, "collection")
    people = _bucket(end, "person") - _bucket(before, "person")
    appeared, done = moments["extras_appeared"], moments["extras_done"]
    phase_s = (done - appeared) if appeared is not None and done is not None else 0.0
    requests = collections + people
    last = max(m for m in moments.values() if m is not None) if any(moments.values()) else 0.0
    return {
        "database": database,
        "export": EXPORT.name,
        "films": status["total_movies"],
        "watchlist_entries": status["watchlist_total"],
        "extras_total": status["extras_total"],
        "extras_done": status["extras_done"],
        "collection_requests": collections,
        "person_requests": people,
        "phase_requests": requests,
        "phase_seconds": round(phase_s, 2),
        "phase_requests_per_second": round(requests / phase_s, 1) if phase_s else None,
        "bound_requests": PEOPLE + collections,
        "job_seconds": round(last, 2),
        "moments_s": {k: None if v is None else round(v, 2) for k, v in moments.items()},
        "stats_before_phase": before,
        "stats_at_phase_start": followed["at_start"],
        "stats_at_end": end,
        "requests_whole_job": end["requests_total"],
        "rate_limit": RATE,
        "standin_latency_ms": latency_ms,
    }


def _rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    db = result["database"]
    moments = result["moments_s"]
    bound = result["bound_requests"]
    return [
        {"figure": f"{db}: films in the library", "value": result["films"]},
        {"figure": f"{db}: watchlist entries", "value": result["watchlist_entries"]},
        {"figure": f"{db}: extras_total", "value": result["extras_total"]},
        {"figure": f"{db}: collection requests (phase)", "value": result["collection_requests"]},
        {"figure": f"{db}: person requests (phase)", "value": result["person_requests"]},
        {
            "figure": f"{db}: phase requests (<= 40 + collections)",
            "value": result["phase_requests"],
            "bound": bound,
            "ratio": round(result["phase_requests"] / bound, 3) if bound else None,
        },
        {"figure": f"{db}: phase seconds", "value": result["phase_seconds"]},
        {
            "figure": f"{db}: phase requests per second",
            "value": result["phase_requests_per_second"],
        },
        {"figure": f"{db}: library completed at, s", "value": moments["library_completed"]},
        {"figure": f"{db}: watchlist enriched at, s", "value": moments["watchlist_enriched"]},
        {"figure": f"{db}: extras_total appeared at, s", "value": moments["extras_appeared"]},
        {"figure": f"{db}: whole job (upload to phase end), s", "value": result["job_seconds"]},
        {"figure": f"{db}: TMDB requests, whole job", "value": result["requests_whole_job"]},
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--latency-ms", type=float, default=80)
    args = parser.parse_args()
    if not EXPORT.is_dir():
        raise SystemExit(f"no export at {EXPORT}")
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    results = [measure(db, args.latency_ms) for db in databases]
    rows = [row for result in results for row in _rows(result)]
    print_table(
        f"The completion phase of {EXPORT.name} at {RATE} req/s (collections + filmographies)",
        rows,
    )
    print(f"written to {write_results('completion', {'rows': rows, 'results': results})}")


if __name__ == "__main__":
    main()
