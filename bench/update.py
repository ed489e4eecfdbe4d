"""Updating a large library with a newer export: the 2,614-film export (patrickmjones, in
../shared/data) with its 50 newest films dropped is imported and enriched first (against a
stand-in with no rate limit: set-up, not measured); then the app, restarted on a stand-in at
TMDB's 40 req/s (80 ms latency), is given the real export as an update.

    .venv/bin/python -m bench.update [--export patrickmjones] [--new 50]

Figures: seconds from the update's POST to `completed`, and the requests the update cost at
the stand-in. Bound: 2 requests per new film (search + details): 100 requests, and at 40 req/s
≈ 2.5 s.
"""

from __future__ import annotations

import argparse
import csv
import io
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import httpx

from bench.common import SHARED, app_server, print_table, read_export_csv, standin, write_results

RATE = 40
FILM_FILES = ("watched.csv", "ratings.csv", "likes/films.csv", "diary.csv", "reviews.csv")


def exports(folder: Path, new: int) -> tuple[bytes, bytes, int]:
    """(the older export, the export as it is, the films the older one lacks)."""
    _, watched = read_export_csv(folder, "watched.csv")
    dropped = {
        (r["Name"], r["Year"]) for r in sorted(watched, key=lambda r: r["Date"], reverse=True)[:new]
    }
    old, current = io.BytesIO(), io.BytesIO()
    with (
        zipfile.ZipFile(old, "w", zipfile.ZIP_DEFLATED) as older,
        zipfile.ZipFile(current, "w", zipfile.ZIP_DEFLATED) as newer,
    ):
        for path in sorted(folder.rglob("*.csv")):
            name = path.relative_to(folder).as_posix()
            newer.write(path, name)
            if name not in FILM_FILES:
                older.write(path, name)
                continue
            header, rows = read_export_csv(folder, name)
            out = io.StringIO()
            writer = csv.DictWriter(out, header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(r for r in rows if (r["Name"], r["Year"]) not in dropped)
            older.writestr(name, out.getvalue())
    return old.getvalue(), current.getvalue(), len(dropped)


def _requests(base: str) -> tuple[int, dict[str, int]]:
    body = httpx.get(f"{base}/__stats", timeout=10).json()
    return int(body["requests_total"]), dict(body["by_endpoint"])


def _methods(client: httpx.Client, session_id: str, newest: int) -> dict[str, int]:
    """How the `newest` films (the update's: numbered after the kept ones) were matched."""
    films: list[dict[str, Any]] = []
    while True:
        page = client.get(
            f"/api/session/{session_id}/movies", params={"limit": 500, "offset": len(films)}
        ).json()
        films += page["items"]
        if len(films) >= page["total"]:
            break
    counts: dict[str, int] = {}
    for film in sorted(films, key=lambda f: f["movie_id"])[-newest:]:
        key = f"{film['match_status']}:{film['match_method']}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def _quiet(base: str, still: float = 3.0) -> None:
    """Until the stand-in has had no request for `still` seconds."""
    seen, since = _requests(base)[0], time.monotonic()
    while time.monotonic() - since < still:
        time.sleep(0.5)
        now = _requests(base)[0]
        if now != seen:
            seen, since = now, time.monotonic()


def _wait(client: httpx.Client, session_id: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status: dict[str, Any] = client.get(f"/api/session/{session_id}/status").json()
        if status["status"] in ("completed", "failed"):
            return status
        time.sleep(0.05)
    raise RuntimeError(f"session {session_id} did not finish")


def measure(export: str, new: int) -> dict[str, Any]:
    old, current, added = exports(SHARED / "letterboxd-exports" / export, new)
    with tempfile.TemporaryDirectory() as workdir:
        url = f"sqlite+aiosqlite:///{workdir}/bench.db"
        with (
            standin(rate_limit=0, latency_ms=0, jitter_ms=0) as fast,
            app_server(url, fast, workdir, settings={"TMDB_RATE_LIMIT": "1000"}) as (app, _pid),
            httpx.Client(base_url=app, timeout=120) as client,
        ):
            upload = client.post("/api/upload", files=[("files", ("old.zip", old))])
            upload.raise_for_status()
            session_id = upload.json()["session_id"]
            _wait(client, session_id, 900)
            _quiet(fast)  # the watchlist follows the library: done when TMDB is not asked more
        with (
            standin(rate_limit=RATE) as tmdb,
            app_server(url, tmdb, workdir) as (app, _pid),
            httpx.Client(base_url=app, timeout=120) as client,
        ):
            before = _requests(tmdb)
            started = time.perf_counter()
            answer = client.post(
                f"/api/session/{session_id}/update", files=[("files", ("new.zip", current))]
            )
            answer.raise_for_status()
            accepted = time.perf_counter() - started
            status = _wait(client, session_id, 300)
            seconds = time.perf_counter() - started
            time.sleep(1)  # the watchlist (unchanged: no request expected)
            methods = _methods(client, session_id, added)
            after = _requests(tmdb)
            used = after[0] - before[0]
            by_endpoint = {k: n - before[1].get(k, 0) for k, n in after[1].items()}
    changes = answer.json()["changes"]
    return {
        "export": export,
        "films": status["total_movies"],
        "new_films": added,
        "films_added": changes["films_added"],
        "films_kept": changes["films_kept"],
        "status": status["status"],
        "seconds_to_202": round(accepted, 2),
        "seconds_to_completed": round(seconds, 2),
        "requests": used,
        "requests_by_endpoint": by_endpoint,
        "new_films_by_method": methods,
        "bound_requests": 2 * added,
        "bound_seconds": round(2 * added / RATE, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--export", default="patrickmjones")
    parser.add_argument("--new", type=int, default=50)
    args = parser.parse_args()
    result = measure(args.export, args.new)
    rows = [
        {"figure": "films in the library", "value": result["films"]},
        {"figure": "new films (added)", "value": result["films_added"]},
        {"figure": "seconds to 202", "value": result["seconds_to_202"]},
        {
            "figure": "seconds to completed",
            "value": result["seconds_to_completed"],
            "bound": result["bound_seconds"],
            "ratio": round(result["seconds_to_completed"] / result["bound_seconds"], 2),
        },
        {
            "figure": "TMDB requests",
            "value": result["requests"],
            "bound": result["bound_requests"],
            "ratio": round(result["requests"] / result["bound_requests"], 2),
        },
    ]
    print_table(f"update of {result['export']} with {args.new} new films (SQLite)", rows)
    print(write_results("update", result))


if __name__ == "__main__":
    main()
