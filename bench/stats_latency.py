"""Latency of /stats and /stats?year= for the largest real export (2,614 films), fully
enriched, on SQLite and PostgreSQL. Bound: p95 under 100 ms.

    .venv/bin/python -m bench.stats_latency [--database sqlite|postgresql|both] [--requests 50]

The library is enriched against an unthrottled stand-in first (the rate is not what is measured
here); then each endpoint is called once (computed: the first call) and `--requests` times
more (answered from the per-session cache until the session changes).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

import httpx

from bench.common import SHARED, STANDIN_KEY, free_port, print_table, wait_until_up, write_results
from bench.import_time import export_zip, fresh_pg_database

EXPORT = SHARED / "letterboxd-exports" / "patrickmjones"
BOUND_MS = 100.0


def _standin() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "letterboxd_stats", "tmdb-standin", f"--port={port}",
            f"--api-key={STANDIN_KEY}", "--rate-limit=0", "--max-connections=0", "--synthesise",
            f"--data-dir={SHARED}",
        ]
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    wait_until_up(f"{base}/__stats")
    return process, base


def _app(database_url: str, tmdb: str, workdir: str) -> tuple[subprocess.Popen[bytes], str]:
    env = os.environ | {
        "DATABASE_URL": database_url,
        "TMDB_BASE_URL": f"{tmdb}/3",
        "TMDB_API_KEY": STANDIN_KEY,
        "TMDB_RATE_LIMIT": "2000",
        "LOG_LEVEL": "warning",
    }
    cli = [sys.executable, "-m", "letterboxd_stats"]
    subprocess.run([*cli, "migrate"], env=env, check=True, cwd=workdir, capture_output=True)
    port = free_port()
    process = subprocess.Popen([*cli, "serve", f"--port={port}"], env=env, cwd=workdir)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(f"{base}/api/health")
    return process, base


def _wait_until_quiet(tmdb: str, quiet_seconds: float = 1.5) -> None:
    """Until the stand-in has served no request for `quiet_seconds`: the job is idle."""
    last, since = -1, time.monotonic()
    while time.monotonic() - since < quiet_seconds:
        served = httpx.get(f"{tmdb}/__stats", timeout=10).json()["requests_total"]
        if served != last:
            last, since = served, time.monotonic()
        time.sleep(0.2)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(database: str, requests: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="lbx-bench-") as workdir:
        url = (
            f"sqlite+aiosqlite:///{workdir}/bench.db"
            if database == "sqlite"
            else asyncio.run(fresh_pg_database())
        )
        standin, tmdb = _standin()
        app, base = _app(url, tmdb, workdir)
        try:
            with httpx.Client(base_url=base, timeout=120) as client:
                upload = client.post(
                    "/api/upload", files=[("files", ("p.zip", export_zip(EXPORT)))]
                )
                upload.raise_for_status()
                session_id = upload.json()["session_id"]
                while client.get(f"/api/session/{session_id}/status").json()["status"] not in (
                    "completed",
                    "failed",
                ):
                    time.sleep(0.2)
                _wait_until_quiet(tmdb)  # the watchlist is enriched after `completed`
                years = [None, 2019]
                for year in years:
                    path = f"/api/session/{session_id}/stats" + (f"?year={year}" if year else "")
                    started = time.perf_counter()
                    client.get(path).raise_for_status()  # computed: nothing cached yet
                    cold = (time.perf_counter() - started) * 1000
                    times = []
                    for _ in range(requests):
                        started = time.perf_counter()
                        client.get(path).raise_for_status()
                        times.append((time.perf_counter() - started) * 1000)
                    p95 = _percentile(times, 0.95)
                    label = "all time" if year is None else f"year {year}"
                    rows.append(
                        {
                            "figure": f"{database}: /stats {label} first call ms",
                            "value": round(cold, 1),
                        }
                    )
                    rows.append(
                        {
                            "figure": f"{database}: /stats {label} p50 ms",
                            "value": round(statistics.median(times), 1),
                        }
                    )
                    rows.append(
                        {
                            "figure": f"{database}: /stats {label} p95 ms",
                            "value": round(p95, 1),
                            "bound": BOUND_MS,
                            "ratio": round(p95 / BOUND_MS, 3),
                        }
                    )
        finally:
            app.terminate()
            standin.terminate()
            app.wait(timeout=30)
            standin.wait(timeout=30)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    if not EXPORT.is_dir():
        raise SystemExit(f"no export at {EXPORT}")
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    rows = [row for db in databases for row in measure(db, args.requests)]
    print_table("Stats latency, 2,614-film library (patrickmjones)", rows)
    print(f"written to {write_results('stats', {'rows': rows, 'requests': args.requests})}")


if __name__ == "__main__":
    main()
