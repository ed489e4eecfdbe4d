"""`make bench-upload`: does a huge upload stall the server? A 1,000,000-row diary.csv zip is
uploaded to the app running as its own process (`letterboxd-stats serve`) while `/api/health` is
asked every 50 ms; reports health p50/p99/max latency during the upload, the upload's answer
time and the app's peak RSS (VmHWM).

    .venv/bin/python -m bench.upload_load                     # SQLite, 1,000,000 rows
    .venv/bin/python -m bench.upload_load --database postgresql --rows 1000000

The app runs with MAX_CSV_ROWS / MAX_UPLOAD_ROWS raised to the row count (the defaults,
100,000 and 500,000, answer such an upload 413 straight away), so the whole file is parsed
and stored: the figures are those of the largest upload the limits let through.
On PostgreSQL the benchmark uses the database named by --pg-database (dropped and created).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import os
import statistics
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import httpx

from bench.common import app_server, write_results
from bench.import_time import fresh_pg_database

POLL_SECONDS = 0.05
FILMS = 20_000  # distinct films among the rows (the rest are rewatches)


def diary_zip(rows: int, films: int = FILMS) -> bytes:
    """A diary.csv of `rows` viewings of `films` distinct films, deflated in a zip."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Tags", "Watched Date"]
    )
    for n in range(rows):
        film = n % films
        day = f"20{10 + n % 15:02d}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        writer.writerow(
            [
                day,
                f"Bench Film {film}",
                1950 + film % 70,
                f"https://boxd.it/d{n}",
                (n % 5) + 1,
                "Yes" if n >= films else "",
                "",
                day,
            ]
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("diary.csv", out.getvalue())
    return buffer.getvalue()


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError("no VmHWM in /proc/<pid>/status")


async def _measure(app: str, payload: bytes) -> dict[str, Any]:
    latencies: list[float] = []
    failures = 0
    async with httpx.AsyncClient(base_url=app, timeout=600) as client:
        done = asyncio.Event()

        async def poll() -> None:
            nonlocal failures
            async with httpx.AsyncClient(base_url=app, timeout=600) as health:
                while not done.is_set():
                    started = time.perf_counter()
                    try:
                        answer = await health.get("/api/health")
                        if answer.status_code != 200:
                            failures += 1
                    except httpx.HTTPError:
                        failures += 1
                    latencies.append((time.perf_counter() - started) * 1000)
                    await asyncio.sleep(POLL_SECONDS)

        poller = asyncio.create_task(poll())
        await asyncio.sleep(0.5)  # a few unloaded polls first
        started = time.perf_counter()
        upload = await client.post("/api/upload", files=[("files", ("export.zip", payload))])
        seconds = time.perf_counter() - started
        done.set()
        await poller
    ordered = sorted(latencies)
    return {
        "upload_status": upload.status_code,
        "upload_answer": upload.json() if upload.status_code != 202 else "accepted",
        "upload_seconds": round(seconds, 2),
        "health_requests": len(ordered),
        "health_failures": failures,
        "health_p50_ms": round(statistics.median(ordered), 1),
        "health_p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))], 1),
        "health_max_ms": round(ordered[-1], 1),
    }


def run(database: str, rows: int, pg_database: str = "letterboxd_bench") -> dict[str, Any]:
    payload = diary_zip(rows)
    limits = {"MAX_CSV_ROWS": str(rows), "MAX_UPLOAD_ROWS": str(rows)}
    saved = {key: os.environ.get(key) for key in limits}
    os.environ.update(limits)
    try:
        with tempfile.TemporaryDirectory(prefix="lbx-bench-") as workdir:
            if database == "sqlite":
                url = f"sqlite+aiosqlite:///{workdir}/bench.db"
            else:
                url = asyncio.run(fresh_pg_database(pg_database))
            with app_server(url, None, workdir) as (app, pid):
                result = asyncio.run(_measure(app, payload))
                result["peak_rss_mib"] = peak_rss_mib(pid)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return {"database": database, "rows": rows, "zip_bytes": len(payload), **result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pg-database", default="letterboxd_bench")
    args = parser.parse_args()
    result = run(args.database, args.rows, args.pg_database)
    for key, value in result.items():
        print(f"{key:<18}{value}")
    path = write_results(f"upload_load_{args.database}", result)
    print(f"written to {path}")


if __name__ == "__main__":
    main()
