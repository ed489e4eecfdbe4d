"""Latency of /stats and /stats?year= for the largest real export (2,614 films) and a
10,000-film synthetic library, fully enriched, on SQLite and PostgreSQL, and the app's peak
memory while it enriches and serves them.

    .venv/bin/python -m bench.stats_latency [--database sqlite|postgresql|both]
        [--library real|synthetic|both] [--requests 50] [--restarts 5]

The library is enriched against an unthrottled stand-in first (the rate is not what is measured
here); then, `--restarts` times, the app is restarted, each endpoint is called once (the first
computation of a process with nothing in memory) and `--requests` times more (answered from the
cache). The first call's figure is the median over the restarts.
Bounds: the first call after a restart ≤ 100 ms (2,614 films) and ≤ 300 ms (10,000 films);
p95 of the repeated calls < 100 ms; peak RSS ≤ 200 MiB for the 10,000-film library.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import psutil

from bench.common import (
    ROOT,
    SHARED,
    STANDIN_KEY,
    catalogue_titles,
    free_port,
    percentile,
    print_table,
    timed_get,
    wait_until_up,
    write_results,
)
from bench.import_time import export_zip, fresh_pg_database

EXPORT = SHARED / "letterboxd-exports" / "patrickmjones"
BOUND_MS = 100.0
SYNTHETIC_FILMS = 10_000
RSS_BOUND_MIB = 200.0


def _standin() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "standin", f"--port={port}",
            f"--api-key={STANDIN_KEY}", "--rate-limit=0", "--max-connections=0", "--synthesise",
            f"--data-dir={SHARED}",
        ],
        cwd=ROOT,  # the stand-in lives beside bench/
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


def synthetic_export(films: int) -> bytes:
    """A library of `films` films (real catalogue titles first, then synthetic ones), each
    rated and logged once in the diary, viewings spread over 2010-2024."""
    rated = io.StringIO()
    diary = io.StringIO()
    rated_csv = csv.writer(rated, lineterminator="\n")
    diary_csv = csv.writer(diary, lineterminator="\n")
    rated_csv.writerow(["Date", "Name", "Year", "Letterboxd URI", "Rating"])
    diary_csv.writerow(
        ["Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Tags", "Watched Date"]
    )
    for n, (title, year) in enumerate(catalogue_titles(films)):
        stars = 0.5 * (1 + n % 10)
        watched = date(2010 + n % 15, 1 + n % 12, 1 + n % 28).isoformat()
        rated_csv.writerow([watched, title, year, f"https://boxd.it/s{n}", stars])
        diary_csv.writerow([watched, title, year, f"https://boxd.it/d{n}", stars, "", "", watched])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ratings.csv", rated.getvalue())
        archive.writestr("diary.csv", diary.getvalue())
    return buffer.getvalue()


@dataclass(frozen=True)
class Library:
    name: str
    payload: Callable[[], bytes]
    year: int
    first_bound_ms: float  # the first /stats after a restart


LIBRARIES = {
    "real": Library("2,614-film export (patrickmjones)", lambda: export_zip(EXPORT), 2019, 100.0),
    "synthetic": Library(
        f"{SYNTHETIC_FILMS:,}-film synthetic library",
        lambda: synthetic_export(SYNTHETIC_FILMS),
        2019,
        300.0,
    ),
}


class _Peak:
    """The app's peak resident memory, sampled while we wait (and read from VmHWM at the end)."""

    def __init__(self) -> None:
        self.rss = 0

    def sample(self, pid: int) -> None:
        with contextlib.suppress(psutil.Error):
            self.rss = max(self.rss, psutil.Process(pid).memory_info().rss)

    def high_water(self, pid: int) -> None:
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    self.rss = max(self.rss, int(line.split()[1]) * 1024)


def _stop(process: subprocess.Popen[bytes], peak: _Peak) -> None:
    peak.high_water(process.pid)
    process.terminate()
    process.wait(timeout=30)


def measure(
    database: str, requests: int, library: str = "real", restarts: int = 5
) -> list[dict[str, Any]]:
    """Enrich the library, then `restarts` times: restart the app and time the first /stats
    (all time, a year) of the new process, which has nothing in memory, and `requests` more of
    each. The first call's figure is the median over the restarts (one call is at the mercy of
    the machine; the slowest is reported beside it)."""
    lib = LIBRARIES[library]
    rows: list[dict[str, Any]] = []
    peak = _Peak()
    with tempfile.TemporaryDirectory(prefix="lbx-bench-") as workdir:
        url = (
            f"sqlite+aiosqlite:///{workdir}/bench.db"
            if database == "sqlite"
            else asyncio.run(fresh_pg_database())
        )
        standin, tmdb = _standin()
        app: subprocess.Popen[bytes] | None
        app, base = _app(url, tmdb, workdir)
        try:
            with httpx.Client(base_url=base, timeout=300) as client:
                upload = client.post("/api/upload", files=[("files", ("p.zip", lib.payload()))])
                upload.raise_for_status()
                session_id = upload.json()["session_id"]
                while client.get(f"/api/session/{session_id}/status").json()["status"] not in (
                    "completed",
                    "failed",
                ):
                    peak.sample(app.pid)
                    time.sleep(0.2)
                _wait_until_quiet(tmdb)  # the watchlist is enriched after `completed`
                for year in (None, lib.year):  # served by the process that enriched
                    client.get(_path(session_id, year)).raise_for_status()
                peak.sample(app.pid)
            _stop(app, peak)
            firsts: dict[int | None, list[float]] = {None: [], lib.year: []}
            repeated: dict[int | None, list[float]] = {None: [], lib.year: []}
            for _ in range(restarts):
                app, base = _app(url, tmdb, workdir)  # a restart: nothing in memory
                with httpx.Client(base_url=base, timeout=300) as client:
                    for year in (None, lib.year):
                        path = _path(session_id, year)
                        firsts[year].append(timed_get(client, path))
                        repeated[year] += [timed_get(client, path) for _ in range(requests)]
                        peak.sample(app.pid)
                _stop(app, peak)
            for year in (None, lib.year):
                label = f"{database}: {lib.name}: /stats " + (
                    "all time" if year is None else f"year {year}"
                )
                first = statistics.median(firsts[year])
                times = repeated[year]
                bound = lib.first_bound_ms
                rows += [
                    {
                        "figure": f"{label}, first after a restart, ms (median of {restarts})",
                        "value": round(first, 1),
                        "bound": bound,
                        "ratio": round(first / bound, 3),
                    },
                    {
                        "figure": f"{label}, first after a restart, ms (slowest of {restarts})",
                        "value": round(max(firsts[year]), 1),
                    },
                    {"figure": f"{label} p50 ms", "value": round(statistics.median(times), 1)},
                    {
                        "figure": f"{label} p95 ms",
                        "value": round(percentile(times, 0.95), 1),
                        "bound": BOUND_MS,
                        "ratio": round(percentile(times, 0.95) / BOUND_MS, 3),
                    },
                ]
            app = None
        finally:
            if app is not None:
                _stop(app, peak)
            standin.terminate()
            standin.wait(timeout=30)
    mib = round(peak.rss / 2**20, 1)
    rows.append(
        {
            "figure": f"{database}: {lib.name}: peak RSS of the app (enriching, serving)",
            "value": mib,
            "bound": RSS_BOUND_MIB if library == "synthetic" else None,
            "ratio": round(mib / RSS_BOUND_MIB, 3) if library == "synthetic" else None,
        }
    )
    return rows


def _path(session_id: str, year: int | None) -> str:
    return f"/api/session/{session_id}/stats" + (f"?year={year}" if year else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--restarts", type=int, default=5)
    parser.add_argument("--library", choices=["real", "synthetic", "both"], default="both")
    args = parser.parse_args()
    if not EXPORT.is_dir():
        raise SystemExit(f"no export at {EXPORT}")
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    libraries = ["real", "synthetic"] if args.library == "both" else [args.library]
    rows = [
        row
        for db in databases
        for library in libraries
        for row in measure(db, args.requests, library, args.restarts)
    ]
    print_table("Stats latency after a restart, and the app's peak memory", rows)
    figures = {"rows": rows, "requests": args.requests, "restarts": args.restarts}
    print(f"written to {write_results('stats', figures)}")


if __name__ == "__main__":
    main()
