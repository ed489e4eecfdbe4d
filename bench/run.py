"""`make bench` / `make bench-quick`: every figure that matters, measured the same way each time,
side by side with its bound. Prints one table, writes bench/results/latest.json and latest.md.

    .venv/bin/python -m bench.run            # full: SQLite then PostgreSQL (≈ 20 min)
    .venv/bin/python -m bench.run --quick    # SQLite, small sizes (< 2 min)

The TMDB stand-in runs at 40 req/s with 80 ± 20 ms latency and 20 connections (TMDB's limits;
the load figures, `bench/load.py`, at 400 req/s with ~5 ms; the 1,000,000-row upload,
`bench/upload_load.py`, without TMDB); the app runs as its own process on
a real port, as `letterboxd-stats serve`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psutil

from bench import (
    compare,
    enrichment,
    import_time,
    load,
    matching_accuracy,
    search_flood,
    stats_latency,
    taste_model,
    upload_load,
)
from bench.common import (
    SHARED,
    app_server,
    catalogue_titles,
    export_zip,
    standin,
    write_results,
)

BOUND_FILMS_PER_SECOND = 20.0  # 2 requests per cold film at 40 req/s
THROUGHPUT_GOAL = 0.9
LARGEST = SHARED / "letterboxd-exports" / "patrickmjones"


@dataclass
class Figure:
    section: str
    figure: str
    value: float | int | str
    unit: str = ""
    bound: float | None = None
    higher_is_better: bool = False
    goal: float | None = None  # a ratio to reach, when the bound is a best case (throughput)

    @property
    def ratio(self) -> float | None:
        if self.bound is None or not isinstance(self.value, int | float) or self.bound == 0:
            return None
        return round(self.value / self.bound, 3)

    @property
    def within(self) -> bool | None:
        if self.bound is None or not isinstance(self.value, int | float):
            return None
        if self.goal is not None and self.ratio is not None:
            return self.ratio >= self.goal
        return self.value >= self.bound if self.higher_is_better else self.value <= self.bound

    def as_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "figure": self.figure,
            "value": self.value,
            "unit": self.unit,
            "bound": self.bound,
            "ratio": self.ratio,
            "within_bound": self.within,
        }


def database_url(database: str, workdir: str) -> str:
    if database == "sqlite":
        return f"sqlite+aiosqlite:///{workdir}/bench.db"
    return asyncio.run(import_time.fresh_pg_database())


def imports(database: str, repeat: int, only_largest: bool) -> list[Figure]:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="lbx-bench-") as workdir:
        url = database_url(database, workdir)
        with app_server(url, None, workdir) as (app, _pid):
            for row in import_time.measure(app, repeat):
                if only_largest and row["films"] != 2614:
                    continue
                bound = 1.0 if row["films"] == 2614 else None
                name = f"{database}: {row['export']} ({row['films']} films) upload→202"
                figures.append(Figure("import", name, float(str(row["median_s"])), "s", bound))
    return figures


def enrich_with_memory(app: str, tmdb: str, payload: bytes, pid: int) -> tuple[dict[str, Any], int]:
    result = enrichment.enrich(app, tmdb, payload, app_pid=pid)
    return result, int(result["peak_rss"])


def _throughput(group: str, name: str, films_per_second: float) -> Figure:
    """Films per second against the bound of 20 (40 req/s, 2 requests per cold film)."""
    return Figure(
        group,
        name,
        round(films_per_second, 2),
        "films/s",
        BOUND_FILMS_PER_SECOND,
        higher_is_better=True,
        goal=THROUGHPUT_GOAL,
    )


def _cold_figures(label: str, cold: dict[str, Any], peak: int) -> list[Figure]:
    """Throughput against the bound, 429s received, and the app's peak memory of a cold run."""
    return [
        _throughput("cold enrichment", f"{label}: films/s", cold["films_per_second"]),
        Figure("cold enrichment", f"{label}: 429s received", cold["rate_limited"], "", 0),
        Figure("memory", f"{label}: peak RSS of the app", round(peak / 2**20, 1), "MiB"),
    ]


def enrichments(database: str, sizes: list[int], largest: bool) -> list[Figure]:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="lbx-bench-") as workdir, standin() as tmdb:
        url = database_url(database, workdir)
        with app_server(url, tmdb, workdir) as (app, pid):
            skip = 0
            for size in sizes:
                films = catalogue_titles(size, skip=skip)
                skip += size
                cold, peak = enrich_with_memory(app, tmdb, export_zip(films), pid)
                label = f"{database}: cold {size} films"
                figures += _cold_figures(label, cold, peak)
                figures.append(
                    Figure(
                        "cold enrichment",
                        f"{label}: requests per film",
                        round(cold["requests_per_film"], 3),
                        "",
                        2.0,
                    ),
                )
                warm, _ = enrich_with_memory(app, tmdb, export_zip(films), pid)
                figures += [
                    Figure(
                        "warm enrichment",
                        f"{database}: warm {size} films: time to completed",
                        round(warm["seconds"], 2),
                        "s",
                    ),
                    Figure(
                        "warm enrichment",
                        f"{database}: warm {size} films: TMDB requests",
                        warm["requests"],
                        "",
                        0,
                    ),
                ]
                new = size - size // 2
                overlap = films[: size // 2] + catalogue_titles(new, skip=skip)
                skip += new
                second, _ = enrich_with_memory(app, tmdb, export_zip(overlap), pid)
                figures.append(
                    Figure(
                        "warm enrichment",
                        f"{database}: 2nd user, {new} new of {size}: requests/new film",
                        round(second["requests"] / new, 3),
                        "",
                        2.0,
                    )
                )
            if largest and LARGEST.is_dir():
                cold, peak = enrich_with_memory(app, tmdb, import_time.export_zip(LARGEST), pid)
                label = f"{database}: largest real export ({cold['films']} films)"
                figures += _cold_figures(label, cold, peak)
    return figures


async def _concurrent(app: str, sessions: int, films_each: int, skip: int) -> dict[str, float]:
    payloads = [
        export_zip(catalogue_titles(films_each, skip=skip + n * films_each))
        for n in range(sessions)
    ]
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=app, timeout=120) as client:
        started = time.perf_counter()
        uploads = await asyncio.gather(
            *(client.post("/api/upload", files=[("files", ("e.zip", p))]) for p in payloads)
        )
        ids = [u.json()["session_id"] for u in uploads]
        pending = set(ids)
        while pending:
            for session_id in list(pending):
                t0 = time.perf_counter()
                status = (await client.get(f"/api/session/{session_id}/status")).json()
                latencies.append((time.perf_counter() - t0) * 1000)
                if status["status"] in ("completed", "failed"):
                    pending.discard(session_id)
            await asyncio.sleep(0.1)
        seconds = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "seconds": seconds,
        "films_per_second": sessions * films_each / seconds,
        "status_p50_ms": statistics.median(ordered),
        "status_p95_ms": ordered[int(0.95 * (len(ordered) - 1))],
    }


def concurrency(database: str, sessions: int, films_each: int) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="lbx-bench-") as workdir, standin() as tmdb:
        url = database_url(database, workdir)
        with app_server(url, tmdb, workdir) as (app, _pid):
            result = asyncio.run(_concurrent(app, sessions, films_each, skip=20_000))
    label = f"{database}: {sessions} sessions x {films_each} films at once"
    return [
        _throughput("concurrency", f"{label}: total films/s", result["films_per_second"]),
        Figure("concurrency", f"{label}: time to all completed", round(result["seconds"], 1), "s"),
        Figure(
            "concurrency",
            f"{label}: /status p95 during the run",
            round(result["status_p95_ms"], 1),
            "ms",
            100.0,
        ),
    ]


def stats(database: str, requests: int, libraries: tuple[str, ...] = ("real",)) -> list[Figure]:
    """`bench/stats_latency.py`: /stats after a restart and repeated; the app's peak RSS."""
    figures = []
    for library in libraries:
        for row in stats_latency.measure(database, requests, library):
            unit = "MiB" if "RSS" in row["figure"] else "ms"
            figures.append(Figure("stats", row["figure"], row["value"], unit, row.get("bound")))
    return figures


def comparison(database: str, requests: int) -> list[Figure]:
    """`bench/compare.py`: /api/compare of two ~2,600-film libraries, first after a restart
    (p95 <= 200 ms), after one library changed, and repeated."""
    return [
        Figure("compare", row["figure"], row["value"], row["unit"], row.get("bound"))
        for row in compare.measure(database, requests)
    ]


def load_figures(database: str, sessions: int) -> list[Figure]:
    """`bench/load.py`: uploads at once, all complete, /status latency during the run."""
    rows, _detail = load.run(load.Scenario(database, sessions))
    return [
        Figure(
            "load",
            row["figure"],
            row["value"],
            row["unit"],
            row["bound"],
            higher_is_better=row["higher_is_better"],
        )
        for row in rows
    ]


def upload_figures(database: str, rows: int) -> list[Figure]:
    """`bench/upload_load.py`: /api/health while a huge diary upload is parsed and stored."""
    result = upload_load.run(database, rows, pg_database=import_time.PG_BENCH_DB)
    label = f"{database}: {rows:,}-row diary upload"
    return [
        Figure("upload", f"{label}: upload→202", result["upload_seconds"], "s"),
        Figure("upload", f"{label}: /api/health p50 meanwhile", result["health_p50_ms"], "ms"),
        Figure(
            "upload", f"{label}: /api/health p99 meanwhile", result["health_p99_ms"], "ms", 1000.0
        ),
        Figure(
            "upload", f"{label}: /api/health max meanwhile", result["health_max_ms"], "ms", 1000.0
        ),
        Figure("upload", f"{label}: peak RSS of the app", result["peak_rss_mib"], "MiB"),
    ]


def flood(database: str, films: int) -> list[Figure]:
    """`bench/search_flood.py`: a victim's films/s under a search flood, ≥ 0.8 of unloaded."""
    return [
        Figure(
            "abuse",
            row["figure"],
            row["value"],
            "films/s",
            row.get("bound"),
            higher_is_better=True,
        )
        for row in search_flood.run(database, films)
    ]


def matching() -> list[Figure]:
    """`bench/matching_accuracy.py` in both modes of the stand-in (normal and real-world)."""
    figures: list[Figure] = []
    for mode in matching_accuracy.MODES:
        report = asyncio.run(
            matching_accuracy.run(force_local=False, real_world=mode == "real-world")
        )
        figures += [
            Figure(
                "matching",
                f"{mode}: films matched to the ground-truth TMDB id",
                round(100 * report.share_correct, 2),
                "%",
                100 * matching_accuracy.GOAL_CORRECT,
                higher_is_better=True,
            ),
            Figure(
                "matching",
                f"{mode}: wrong matches flagged needs_review/unmatched",
                round(100 * report.share_wrong_flagged, 2),
                "%",
                100 * matching_accuracy.GOAL_FLAGGED,
                higher_is_better=True,
            ),
            Figure(
                "matching",
                f"{mode}: wrong and confident",
                round(100 * report.share(report.wrong_confident), 2),
                "%",
                100 * matching_accuracy.BOUND_WRONG_CONFIDENT,
            ),
        ]
    return figures


def taste() -> list[Figure]:
    """`bench/taste_model.py` (SQLite): the taste model's cross-validated accuracy beside its
    baselines on every real export with ≥ 200 rated films, and train()'s time (≤ 2 s)."""
    return [
        Figure("taste", row["figure"], row["value"], row["unit"], row["bound"])
        for row in taste_model.measure()
    ]


def print_table(figures: list[Figure]) -> None:
    print(f"\n{'figure':<78}{'value':>10} {'unit':<8}{'bound':>8}{'ratio':>8}  within")
    for f in figures:
        ok = {True: "yes", False: "NO", None: ""}[f.within]
        bound = "" if f.bound is None else f"{f.bound:g}"
        ratio = "" if f.ratio is None else f"{f.ratio:.3f}"
        print(f"{f.figure[:77]:<78}{f.value!s:>10} {f.unit:<8}{bound:>8}{ratio:>8}  {ok}")


def markdown(figures: list[Figure], meta: dict[str, Any]) -> str:
    lines = [
        f"# Benchmark results ({meta['mode']}, {meta['finished']})",
        "",
        f"Machine: {meta['cpus']} cores, {meta['memory_gib']} GiB, {meta['platform']}. "
        "Stand-in: 40 req/s, 80 ± 20 ms, 20 connections.",
        "",
        "| figure | value | bound | ratio | within |",
        "|---|---|---|---|---|",
    ]
    for f in figures:
        within = {True: "yes", False: "**no**", None: ""}[f.within]
        bound = "" if f.bound is None else f"{f.bound:g}"
        ratio = "" if f.ratio is None else f"{f.ratio:.3f}"
        lines.append(f"| {f.figure} | {f.value} {f.unit} | {bound} | {ratio} | {within} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="SQLite only, small sizes (< 2 min)")
    args = parser.parse_args()
    if not SHARED.is_dir():
        raise SystemExit(f"the benchmarks need the shared data at {SHARED}")
    started = time.perf_counter()
    figures: list[Figure] = []
    if args.quick:
        figures += imports("sqlite", repeat=1, only_largest=True)
        figures += enrichments("sqlite", [100], largest=False)
        figures += concurrency("sqlite", sessions=5, films_each=20)
        figures += stats("sqlite", requests=20)
        figures += upload_figures("sqlite", rows=100_000)
        figures += flood("sqlite", films=100)
    else:
        for database in ("sqlite", "postgresql"):
            figures += imports(database, repeat=3, only_largest=False)
            figures += enrichments(database, [100, 1000], largest=True)
            figures += stats(database, requests=50, libraries=("real", "synthetic"))
            figures += comparison(database, requests=50)
            figures += upload_figures(database, rows=1_000_000)
            figures += flood(database, films=400)
        figures += concurrency("postgresql", sessions=20, films_each=50)
        figures += load_figures("postgresql", sessions=load.SESSIONS)
        figures += matching()
        figures += taste()
    meta = {
        "mode": "quick" if args.quick else "full",
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 1),
        "cpus": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "platform": platform.platform(),
    }
    print_table(figures)
    path = write_results("latest", {**meta, "figures": [f.as_dict() for f in figures]})
    Path(path.with_suffix(".md")).write_text(markdown(figures, meta))
    print(
        f"\n{meta['mode']} run in {meta['seconds']} s; "
        f"written to {path} and {path.with_suffix('.md')}"
    )


if __name__ == "__main__":
    main()
