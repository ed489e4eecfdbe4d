"""Cold and warm enrichment against the TMDB stand-in at 40 req/s with ~80 ms latency.

    .venv/bin/python -m bench.enrichment                 # 100 and 1,000 films, SQLite
    .venv/bin/python -m bench.enrichment --sizes 100 --database postgresql
    .venv/bin/python -m bench.enrichment --sizes 1000 --real-world   # TMDB's real search answers
    .venv/bin/python -m bench.enrichment --sizes 500 --tv-cost 3     # what TV searches cost

Bound: one cold film costs two requests (search + details), so at 40 req/s the best possible is
20 films/s; the ratio is films/s ÷ 20 (goal ≥ 0.9). Warm: the same export again (goal: 0
requests), and a second user whose export overlaps the first by half (only new films cost).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from typing import Any

import httpx
import psutil

from bench.common import (
    app_server,
    catalogue_titles,
    export_zip,
    print_table,
    standin,
    write_results,
)
from bench.import_time import fresh_pg_database

RATE = 40
BOUND_FILMS_PER_SECOND = RATE / 2


def stats(standin_base: str) -> dict[str, Any]:
    body: dict[str, Any] = httpx.get(f"{standin_base}/__stats", timeout=10).json()
    return body


def enrich(
    app: str, standin_base: str, payload: bytes, app_pid: int | None = None
) -> dict[str, Any]:
    """Upload, poll until the end; with `app_pid`, also the app's peak RSS (bytes)."""
    process = psutil.Process(app_pid) if app_pid is not None else None
    peak = process.memory_info().rss if process is not None else 0
    before = stats(standin_base)
    started = time.perf_counter()
    with httpx.Client(base_url=app, timeout=60) as client:
        upload = client.post("/api/upload", files=[("files", ("export.zip", payload))])
        upload.raise_for_status()
        session_id = upload.json()["session_id"]
        while True:
            if process is not None:
                peak = max(peak, process.memory_info().rss)
            status = client.get(f"/api/session/{session_id}/status").json()
            if status["status"] in ("completed", "failed"):
                break
            time.sleep(0.05)
    seconds = time.perf_counter() - started
    after = stats(standin_base)
    requests = after["requests_total"] - before["requests_total"]
    films = status["total_movies"]
    return {
        "films": films,
        "status": status["status"],
        "seconds": round(seconds, 2),
        "films_per_second": round(films / seconds, 2),
        "requests": requests,
        "requests_per_film": round(requests / films, 3) if films else 0,
        "rate_limited": after["rate_limited"] - before["rate_limited"],
        "matched": status["matched_count"],
        "needs_review": status["needs_review_count"],
        "unmatched": status["unmatched_count"],
        "failed": status["failed_count"],
        "peak_rss": peak,
    }


def run(database: str, sizes: list[int], *, real_world: bool = False) -> list[dict[str, Any]]:
    """`real_world`: the stand-in answers searches in its real-world mode (making-ofs,
    same-title shorts…), where an obscure best candidate costs more searches."""
    rows: list[dict[str, Any]] = []
    tmdb_standin = standin(real_world=real_world)
    with tempfile.TemporaryDirectory(prefix="lbx-bench-") as workdir, tmdb_standin as tmdb:
        url = (
            f"sqlite+aiosqlite:///{workdir}/bench.db"
            if database == "sqlite"
            else asyncio.run(fresh_pg_database())
        )
        with app_server(url, tmdb, workdir) as (app, _pid):
            skip = 0
            for size in sizes:
                films = catalogue_titles(size, skip=skip)
                skip += size  # every size is cold: titles no earlier run asked for
                cold = enrich(app, tmdb, export_zip(films))
                ratio = round(cold["films_per_second"] / BOUND_FILMS_PER_SECOND, 3)
                rows.append(
                    {
                        "figure": f"cold {size} films: films/s",
                        "value": cold["films_per_second"],
                        "bound": BOUND_FILMS_PER_SECOND,
                        "ratio": ratio,
                        "detail": cold,
                    }
                )
                rows.append(
                    {
                        "figure": f"cold {size} films: 429s received",
                        "value": cold["rate_limited"],
                        "bound": 0,
                        "detail": None,
                    }
                )
                rows.append(
                    {
                        "figure": f"cold {size} films: requests per film",
                        "value": cold["requests_per_film"],
                        "bound": 2,
                        "ratio": round(cold["requests_per_film"] / 2, 3),
                        "detail": None,
                    }
                )
                warm = enrich(app, tmdb, export_zip(films))
                rows.append(
                    {
                        "figure": f"warm {size} films: seconds to completed",
                        "value": warm["seconds"],
                        "detail": warm,
                    }
                )
                rows.append(
                    {
                        "figure": f"warm {size} films: TMDB requests",
                        "value": warm["requests"],
                        "bound": 0,
                        "detail": None,
                    }
                )
                half = size // 2
                overlap = films[:half] + catalogue_titles(size - half, skip=skip)
                skip += size - half
                second = enrich(app, tmdb, export_zip(overlap))
                rows.append(
                    {
                        "figure": f"2nd user, {size - half} new of {size}: requests per new film",
                        "value": round(second["requests"] / max(1, size - half), 3),
                        "bound": 2,
                        "detail": second,
                    }
                )
    label = f"{database}, real-world" if real_world else database
    for row in rows:
        row["figure"] = f"{label}: {row['figure']}"
    return rows


def tv_cost(database: str, size: int, rounds: int) -> list[dict[str, Any]]:
    """What the TV searches cost a cold enrichment in the stand-in's real-world mode: `rounds`
    pairs of runs of `size` new films, TV search on and off (`TMDB_SEARCH_TV`), alternating
    which goes first, each on a fresh database. Bound: films/s with TV at least 0.98 of without."""
    results: dict[bool, list[dict[str, Any]]] = {True: [], False: []}
    skip = 0
    with standin(real_world=True) as tmdb:
        for n in range(rounds):
            for tv in (True, False) if n % 2 == 0 else (False, True):
                films = catalogue_titles(size, skip=skip)
                skip += size
                with tempfile.TemporaryDirectory(prefix="lbx-bench-") as workdir:
                    url = (
                        f"sqlite+aiosqlite:///{workdir}/bench.db"
                        if database == "sqlite"
                        else asyncio.run(fresh_pg_database())
                    )
                    env = {"TMDB_SEARCH_TV": "true" if tv else "false"}
                    with app_server(url, tmdb, workdir, settings=env) as (app, _pid):
                        results[tv].append(enrich(app, tmdb, export_zip(films)))

    def median(tv: bool, key: str) -> float:
        values = sorted(r[key] for r in results[tv])
        return float(values[len(values) // 2])

    on, off = median(True, "films_per_second"), median(False, "films_per_second")
    label = f"{database}, real-world, cold {size} films"
    return [
        {"figure": f"{label}, TV search on: films/s (median of {rounds})", "value": on},
        {"figure": f"{label}, TV search off: films/s (median of {rounds})", "value": off},
        {
            "figure": f"{label}: films/s with TV ÷ without",
            "value": round(on / off, 3),
            "bound": 0.98,
            "ratio": round((on / off) / 0.98, 3),
        },
        {
            "figure": f"{label}, TV search on / off: requests per film",
            "value": f"{median(True, 'requests_per_film')} / {median(False, 'requests_per_film')}",
        },
        {
            "figure": f"{label}, TV search on / off: unmatched + review",
            "value": " / ".join(
                str(round(median(tv, "unmatched") + median(tv, "needs_review")))
                for tv in (True, False)
            ),
        },
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--real-world", action="store_true", help="the stand-in's real-world search answers"
    )
    parser.add_argument(
        "--tv-cost",
        type=int,
        metavar="ROUNDS",
        help="instead: what the TV searches cost, ROUNDS pairs of cold runs (real-world mode)",
    )
    args = parser.parse_args()
    if args.tv_cost:
        size = args.sizes[-1]
        rows = tv_cost(args.database, size, args.tv_cost)
        print_table(f"The TV searches' cost, {size} cold films, real-world mode", rows)
        print(f"written to {write_results(f'tv-cost-{args.database}', {'rows': rows})}")
        return
    rows = run(args.database, args.sizes, real_world=args.real_world)
    mode = ", real-world search answers" if args.real_world else ""
    print_table(f"Enrichment against the stand-in ({RATE} req/s, ~80 ms{mode})", rows)
    name = f"enrichment-{args.database}" + ("-real-world" if args.real_world else "")
    path = write_results(name, {"rate": RATE, "real_world": args.real_world, "rows": rows})
    print(f"written to {path}")


if __name__ == "__main__":
    main()
