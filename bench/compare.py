"""Comparing two ~2,600-film libraries (GET /api/compare/{a}/{b}), on SQLite and PostgreSQL:
the first comparison a fresh process computes, the same comparison once the cache no longer
holds it (a warm process), and repeated calls (answered from the cache).

    .venv/bin/python -m bench.compare [--database sqlite|postgresql|both] [--restarts 5]
        [--requests 50] [--invalidations 5] [--ratings-a completed|exported]

Library a is the largest real export (patrickmjones, 2,614 films, in ../shared/data). It holds
only 5 ratings (its diary has no stars), which would leave at most 5 co-rated films and no
compatibility score; by default (`--ratings-a completed`) every film it has not rated gets a
rating (deterministic, from its title and year) in its ratings.csv, so that the comparison
works on a fully rated library; `--ratings-a exported` compares the export as it is.
Library b is derived from it, written into a new zip with the csv module: a third of its films
dropped, the rest rated as a rated them (about a third of the ratings moved by half a star to
three stars), then filled up to a's size with films of a second real export (ujjwal: its own
rows, ratings, likes and watchlist). So both have ~2,600 films, ~1,750 in common, co-rated.

Both libraries are enriched against an unthrottled stand-in first (the rate is not what is
measured here); b is shared (POST /api/session/{id}/share) and compared as a friend's: a by its
owner id, b by its share id. Then, `--restarts` times, the app is restarted and the comparison
asked for once (the first computation of a process with nothing in memory), `--invalidations`
times after b's `updated_at` (the cache's version) was moved in the database (the
comparison computed again by a warm process), and `--requests` times more (from the cache).
Bound: the first call after a restart, p95 ≤ 200 ms (with 5 restarts, the slowest).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import statistics
import tempfile
import time
import uuid
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import create_async_engine

from bench.common import (
    SHARED,
    app_server,
    figure_row,
    percentile,
    print_table,
    read_export_csv,
    standin,
    timed_get,
    write_results,
)
from bench.import_time import PG_BENCH_DB, export_zip, fresh_pg_database
from letterboxd_stats.models import UploadSession

EXPORTS = SHARED / "letterboxd-exports"
EXPORT_A = EXPORTS / "patrickmjones"
EXPORT_OTHER = EXPORTS / "ujjwal"  # the films b has that a has not
BOUND_MS = 200.0
# The files whose rows are films of the library (keyed by name and year, as bench/update.py).
FILM_FILES = ("watched.csv", "ratings.csv", "diary.csv", "reviews.csv", "likes/films.csv")
# Half stars 1-10, skewed as ratings are (most films 3-4 stars).
HALF_STARS = (1, 2, 3, 4, 4, 5, 5, 6, 6, 6, 7, 7, 7, 7, 8, 8, 8, 8, 9, 9, 10)
APP_SETTINGS = {"TMDB_RATE_LIMIT": "2000"}

Key = tuple[str, str]  # (Name, Year)


def _csv(header: list[str], rows: Iterable[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _key(row: dict[str, str]) -> Key:
    return row["Name"], row["Year"]


def _hash(key: Key, salt: str) -> int:
    return zlib.crc32(f"{salt}|{key[0]}|{key[1]}".encode())


def _stars(half: int) -> str:
    return f"{half / 2:g}"


def synthetic_half_stars(key: Key) -> int:
    return HALF_STARS[_hash(key, "rating") % len(HALF_STARS)]


def _b_half_stars(key: Key, a_half: int) -> int:
    """b's rating of a film both have: a's for about two thirds, else moved by 0.5-3 stars."""
    draw = _hash(key, "b") % 12
    moves = {8: 1, 9: -2, 10: 3, 11: -6}  # half stars: agreements and a few disagreements
    return max(1, min(10, a_half + moves.get(draw, 0)))


@dataclass(frozen=True)
class Pair:
    a: bytes
    b: bytes
    description: dict[str, Any]


def libraries(completed: bool) -> Pair:
    """The two exports as zips (see the module's docstring)."""
    # a: the export as it is, its ratings.csv completed (`completed`)
    rating_header, a_ratings = read_export_csv(EXPORT_A, "ratings.csv")
    _, a_watched = read_export_csv(EXPORT_A, "watched.csv")
    rated = {_key(r): round(float(r["Rating"]) * 2) for r in a_ratings if r["Rating"]}
    a_half = dict(rated)
    added: list[dict[str, str]] = []
    for row in a_watched:
        key = _key(row)
        if key not in a_half:
            a_half[key] = synthetic_half_stars(key)
            added.append(row | {"Rating": _stars(a_half[key])})
    if completed:
        a_buffer = io.BytesIO()
        with zipfile.ZipFile(a_buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(EXPORT_A.rglob("*.csv")):
                name = path.relative_to(EXPORT_A).as_posix()
                if name != "ratings.csv":
                    archive.write(path, name)
            archive.writestr("ratings.csv", _csv(rating_header, [*a_ratings, *added]))
        a_zip = a_buffer.getvalue()
    else:
        a_zip = export_zip(EXPORT_A)

    # b: two thirds of a's films (with b's ratings of them), then films of the other export
    a_rows = {name: read_export_csv(EXPORT_A, name) for name in FILM_FILES}
    a_keys = {_key(r) for _, rows in a_rows.values() for r in rows}
    kept = {k for k in a_keys if _hash(k, "drop") % 3 != 0}
    other_rows = {name: read_export_csv(EXPORT_OTHER, name) for name in FILM_FILES}
    target = len({_key(r) for r in a_watched})
    extra: set[Key] = set()
    for row in other_rows["watched.csv"][1]:
        if len(kept) + len(extra) >= target:
            break
        if _key(row) not in kept:
            extra.add(_key(row))
    b_files: dict[str, str] = {}
    for name in FILM_FILES:
        header = a_rows[name][0] or other_rows[name][0]
        if not header:
            continue
        rows = [r for r in a_rows[name][1] if _key(r) in kept and name != "ratings.csv"]
        if name == "ratings.csv":
            header = rating_header
            rows = [
                r | {"Rating": _stars(_b_half_stars(_key(r), a_half[_key(r)]))}
                for r in a_watched
                if _key(r) in kept
            ]
        rows += [r for r in other_rows[name][1] if _key(r) in extra]
        b_files[name] = _csv(header, rows)
    films_b = kept | extra
    watchlist_header, watchlist = read_export_csv(EXPORT_OTHER, "watchlist.csv")
    b_files["watchlist.csv"] = _csv(
        watchlist_header, (r for r in watchlist if _key(r) not in films_b)
    )
    b_buffer = io.BytesIO()
    with zipfile.ZipFile(b_buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(EXPORT_OTHER / "profile.csv", "profile.csv")
        for name, text in b_files.items():
            archive.writestr(name, text)
    co_rated = {k for k in kept if k in (a_half if completed else rated)}
    changed = sum(1 for k in co_rated if _b_half_stars(k, a_half[k]) != a_half[k])
    return Pair(
        a_zip,
        b_buffer.getvalue(),
        {
            "a": f"{EXPORT_A.name}" + (" (ratings completed)" if completed else " (as exported)"),
            "a_ratings_added": len(added) if completed else 0,
            "b": f"{len(kept)} films of {EXPORT_A.name}, {len(extra)} of {EXPORT_OTHER.name}",
            "b_ratings_changed": changed,
        },
    )


def _enrich(client: httpx.Client, tmdb: str, payload: bytes, name: str) -> str:
    """Upload; the session's id once it completed and TMDB is asked nothing more (the
    watchlist is enriched after `completed`)."""
    upload = client.post("/api/upload", files=[("files", (name, payload))])
    upload.raise_for_status()
    session_id = str(upload.json()["session_id"])
    deadline = time.monotonic() + 1800
    while client.get(f"/api/session/{session_id}/status").json()["status"] not in (
        "completed",
        "failed",
    ):
        if time.monotonic() > deadline:
            raise RuntimeError(f"session {session_id} did not finish")
        time.sleep(0.2)
    last, since = -1, time.monotonic()
    while time.monotonic() - since < 1.5:
        served = httpx.get(f"{tmdb}/__stats", timeout=10).json()["requests_total"]
        if served != last:
            last, since = served, time.monotonic()
        time.sleep(0.2)
    return session_id


async def _touch(database_url: str, session_id: str) -> None:
    """A new `updated_at` for the session, as a change of its library gives it: the cached
    comparison is no longer valid."""
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                update(UploadSession)
                .where(UploadSession.id == uuid.UUID(session_id))
                .values(updated_at=datetime.now(UTC))
            )
    finally:
        await engine.dispose()


def measure(
    database: str,
    requests: int = 50,
    restarts: int = 5,
    invalidations: int = 5,
    completed: bool = True,
) -> list[dict[str, Any]]:
    """Enrich both libraries, share b, then `restarts` times: restart the app, time the first
    comparison of the new process, `invalidations` more after moving b's version, and
    `requests` more from the cache."""
    pair = libraries(completed)
    firsts: list[float] = []
    again: list[float] = []
    repeated: list[float] = []
    with (
        tempfile.TemporaryDirectory(prefix="lbx-bench-") as workdir,
        standin(rate_limit=0, latency_ms=0, jitter_ms=0) as tmdb,
    ):
        url = (
            f"sqlite+aiosqlite:///{workdir}/bench.db"
            if database == "sqlite"
            else asyncio.run(fresh_pg_database(f"{PG_BENCH_DB}_compare"))
        )
        with (
            app_server(url, tmdb, workdir, settings=APP_SETTINGS) as (app, _pid),
            httpx.Client(base_url=app, timeout=300) as client,
        ):
            a_id = _enrich(client, tmdb, pair.a, "a.zip")
            b_id = _enrich(client, tmdb, pair.b, "b.zip")
            share = client.post(f"/api/session/{b_id}/share")
            share.raise_for_status()
            path = f"/api/compare/{a_id}/{share.json()['share_id']}"
            answer = client.get(path)  # computed by the process that enriched: set-up
            answer.raise_for_status()
        for _ in range(restarts):
            with (
                app_server(url, tmdb, workdir, settings=APP_SETTINGS) as (app, _pid),
                httpx.Client(base_url=app, timeout=300) as client,
            ):
                firsts.append(timed_get(client, path))  # nothing in memory
                for _ in range(invalidations):
                    asyncio.run(_touch(url, b_id))
                    again.append(timed_get(client, path))
                repeated += [timed_get(client, path) for _ in range(requests)]
    body = answer.json()
    db = database
    rows = [
        figure_row(f"{db}: films of a ({EXPORT_A.name})", body["a"]["films"], "films"),
        figure_row(f"{db}: films of b (derived from a)", body["b"]["films"], "films"),
        figure_row(f"{db}: films both have", body["overlap"]["films"], "films"),
        figure_row(f"{db}: co-rated films", body["overlap"]["rated"], "films"),
        figure_row(f"{db}: answer size, KiB", len(answer.content) / 1024, "KiB"),
        figure_row(f"{db}: first after restart, ms, median of {restarts}", median(firsts), "ms"),
        figure_row(
            f"{db}: first after restart, ms, p95 of {restarts}",
            percentile(firsts, 0.95),
            "ms",
            BOUND_MS,
        ),
        figure_row(f"{db}: first after restart, ms, slowest of {restarts}", max(firsts), "ms"),
    ]
    if again:
        n = len(again)
        rows += [
            figure_row(f"{db}: warm after b changed, ms, median of {n}", median(again), "ms"),
            figure_row(
                f"{db}: warm after b changed, ms, p95 of {n}",
                percentile(again, 0.95),
                "ms",
                BOUND_MS,
            ),
        ]
    if repeated:
        n = len(repeated)
        rows += [
            figure_row(f"{db}: repeated (cached), ms, p50 of {n}", median(repeated), "ms"),
            figure_row(
                f"{db}: repeated (cached), ms, p95 of {n}", percentile(repeated, 0.95), "ms"
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
    parser.add_argument("--restarts", type=int, default=5)
    parser.add_argument("--invalidations", type=int, default=5)
    parser.add_argument("--ratings-a", choices=["completed", "exported"], default="completed")
    args = parser.parse_args()
    if args.restarts < 1:
        parser.error("--restarts must be at least 1")
    for folder in (EXPORT_A, EXPORT_OTHER):
        if not folder.is_dir():
            raise SystemExit(f"no export at {folder}")
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    completed = args.ratings_a == "completed"
    rows = [
        row
        for db in databases
        for row in measure(db, args.requests, args.restarts, args.invalidations, completed)
    ]
    print_table("Comparing two ~2,600-film libraries (GET /api/compare/{a}/{b})", rows)
    figures = {
        "rows": rows,
        "libraries": libraries(completed).description,
        "requests": args.requests,
        "restarts": args.restarts,
        "invalidations": args.invalidations,
    }
    print(f"written to {write_results('compare', figures)}")


if __name__ == "__main__":
    main()
