"""Scale-out on PostgreSQL: films per second with 1, 2 and 4 worker processes on one host,
against the TMDB stand-in at 40 req/s (80 ± 20 ms); one API process queues the jobs
(`JOB_WORKERS=external`). The bound is the shared rate: 40 req/s = 20 films/s at 2 requests per
cold film, whatever the number of workers; more workers must not exceed it.

    make bench-scale
    .venv/bin/python -m bench.scale_out [--workers 1 2 4] [--films 300]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from bench.common import (
    app_server,
    catalogue_titles,
    export_zip,
    print_table,
    standin,
    write_results,
)

PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/bench_scale"
BOUND = 20.0  # films/s: the shared 40 req/s at 2 requests per cold film


def _fresh_database() -> None:
    admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("DROP DATABASE IF EXISTS bench_scale WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE bench_scale"))
    admin.dispose()


def _run(workers: int, films: int) -> dict[str, Any]:
    _fresh_database()
    with (
        tempfile.TemporaryDirectory(prefix="lbx-bench-") as workdir,
        standin() as tmdb,
        app_server(PG, tmdb, workdir, workers=workers) as (base, _pid),
    ):
        # one session per worker, so that every worker has a job to run
        per = films // workers
        payloads = [export_zip(catalogue_titles(per, skip=n * per)) for n in range(workers)]
        started = time.perf_counter()
        with httpx.Client(base_url=base, timeout=60) as client:
            ids = [
                client.post("/api/upload", files=[("files", ("e.zip", p))]).json()["session_id"]
                for p in payloads
            ]
            while True:
                states = [client.get(f"/api/session/{i}/status").json() for i in ids]
                if all(s["status"] in ("completed", "failed") for s in states):
                    break
                time.sleep(0.05)
        seconds = time.perf_counter() - started
        served = httpx.get(f"{tmdb}/__stats").json()
    done = sum(s["enriched_count"] for s in states)
    rate = done / seconds
    return {
        "figure": f"{workers} worker process(es), {done} cold films",
        "value": f"{rate:.1f} films/s",
        "bound": f"{BOUND:.0f}/s",
        "ratio": f"{rate / BOUND:.2f}",
        "peak req/s at the stand-in": served["peak_requests_per_second"],
        "peak req in 5 s": served["peak_requests_per_5_seconds"],
        "429s": served["rate_limited"],
        "requests": served["requests_total"],
        "seconds": round(seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--films", type=int, default=400)
    args = parser.parse_args()
    rows = [_run(n, args.films) for n in args.workers]
    print_table("scale-out: worker processes on one host, one shared TMDB budget", rows)
    for row in rows:
        print(
            f"  {row['figure']}: peak {row['peak req/s at the stand-in']} req/s at the stand-in"
            f" ({row['peak req in 5 s']} in 5 s),"
            f" {row['429s']} 429s, {row['requests']} requests, {row['seconds']} s"
        )
    print(f"results: {write_results('scale_out', {'rows': rows})}")


if __name__ == "__main__":
    main()
