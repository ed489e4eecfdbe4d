"""Issue 16 §1's "done when": a real export (../shared/data) updating an older version of itself,
derived here with the csv module (its newest films, their viewings, ratings and reviews dropped,
five more viewings dropped, five ratings changed, half the films' links in the pre-2020
`letterboxd.com/film/<slug>/` form, three years shifted by one, the newest watchlist entries
dropped). Every count of the change summary equals the count made here; a fix by hand is kept;
TMDB (the stand-in, in process) is asked at most twice per new film or watchlist entry."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest

from standin import StandinConfig, create_standin_app
from tests.fixtures.apps import AppFactory
from tests.fixtures.exports import multipart
from tests.fixtures.real_exports import EXPORTS, NEEDS_EXPORTS, independent_counts, zip_folder
from tests.fixtures.uploads import wait_completed

pytestmark = [NEEDS_EXPORTS, pytest.mark.shared_data]

KEY = "standin-key"
FILM_FILES = ("watched.csv", "ratings.csv", "likes/films.csv")
ENTRY_FILES = ("diary.csv", "reviews.csv")  # attached to their film by (Name, Year)
DROPPED_FILMS, DROPPED_VIEWINGS, CHANGED_RATINGS, SHIFTED_YEARS, DROPPED_WATCHLIST = 10, 5, 5, 3, 3


def _read(folder: Path, name: str) -> tuple[list[str], list[dict[str, str]]]:
    path = folder / name
    if not path.exists():
        return [], []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(folder: Path, name: str, header: list[str], rows: list[dict[str, str]]) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)


def _older(new: Path, old: Path) -> dict[str, Any]:
    """Writes the older export of `new` into `old`; what it changed, counted."""
    shutil.copytree(new, old, ignore=shutil.ignore_patterns("deleted", "orphaned"))
    files = {name: _read(new, name) for name in (*FILM_FILES, *ENTRY_FILES, "watchlist.csv")}
    watched = files["watched.csv"][1]
    key_count: dict[tuple[str, str], int] = {}
    for row in watched:
        key_count[(row["Name"], row["Year"])] = key_count.get((row["Name"], row["Year"]), 0) + 1
    unique = [r for r in watched if key_count[(r["Name"], r["Year"])] == 1]
    newest = sorted(unique, key=lambda r: r["Date"], reverse=True)
    dropped = {(r["Name"], r["Year"]) for r in newest[:DROPPED_FILMS]}
    rated = {(r["Name"], r["Year"]): r for r in files["ratings.csv"][1]}
    watched_keys = {(r["Name"], r["Year"]) for r in watched}

    # five more viewings of films kept (rated in ratings.csv: their rating does not move)
    diary = files["diary.csv"][1]
    candidates = [
        r
        for r in diary
        if (r["Name"], r["Year"]) not in dropped
        and (r["Name"], r["Year"]) in rated
        and (r["Name"], r["Year"]) in watched_keys
    ]
    dropped_views = {
        id(r) for r in sorted(candidates, key=lambda r: r["Date"], reverse=True)[:DROPPED_VIEWINGS]
    }
    # half the films' links in the old form; three of them a year off
    kept = [r for r in unique if (r["Name"], r["Year"]) not in dropped]
    slugged = {r["Letterboxd URI"]: f"https://letterboxd.com/film/old-slug-{i}/" for i, r in
               enumerate(kept[::2])}  # fmt: skip
    years = {(r["Name"], r["Year"]) for r in watched}
    shift: dict[tuple[str, str], str] = {}
    for row in kept[::2]:
        if len(shift) == SHIFTED_YEARS:
            break
        name, year = row["Name"], row["Year"]
        if year and all((name, str(int(year) + d)) not in years for d in (-2, -1, 1, 2)):
            shift[(name, year)] = str(int(year) + 1)
    changed_ratings = [
        k for k in rated if k not in dropped and k in watched_keys and k not in shift
    ][:CHANGED_RATINGS]

    def rewrite(name: str, rows: list[dict[str, str]]) -> list[dict[str, str]]:
        out = []
        for row in rows:
            key = (row["Name"], row["Year"])
            if key in dropped or id(row) in dropped_views:
                continue
            row = dict(row)
            if name in FILM_FILES:
                row["Letterboxd URI"] = slugged.get(row["Letterboxd URI"], row["Letterboxd URI"])
            if name == "ratings.csv" and key in changed_ratings:
                row["Rating"] = "1" if row["Rating"] != "1" else "2"
            if key in shift:
                row["Year"] = shift[key]
            out.append(row)
        return out

    for name in (*FILM_FILES, *ENTRY_FILES):
        header, rows = files[name]
        if header:
            _write(old, name, header, rewrite(name, rows))
    header, watchlist = files["watchlist.csv"]
    by_date = sorted(watchlist, key=lambda r: r["Date"], reverse=True)[:DROPPED_WATCHLIST]
    gone = {id(r) for r in by_date}
    _write(old, "watchlist.csv", header, [r for r in watchlist if id(r) not in gone])

    rated_in_diary = {(r["Name"], r["Year"]) for r in diary if r["Rating"]}
    diary_only = {(r["Name"], r["Year"]) for r in diary} - {
        (r["Name"], r["Year"]) for name in FILM_FILES for r in files[name][1]
    }
    return {
        "films_added": len(dropped),
        "diary_added": sum((r["Name"], r["Year"]) in dropped for r in diary) + len(dropped_views),
        "ratings_added": sum(k in rated or k in rated_in_diary for k in dropped),
        "ratings_changed": len(changed_ratings),
        "reviews_added": sum((r["Name"], r["Year"]) in dropped for r in files["reviews.csv"][1]),
        "watchlist_added": len(gone),
        "by_title": len(slugged) - len(shift) + len(diary_only - dropped),
        "by_near_year": len(shift),
        "slugged": slugged,
        "shifted": shift,
    }


def _enrichment_requests(served: dict[str, Any]) -> int:
    """The enrichment's requests, not the completion phase's collections and filmographies."""
    phase = served["by_endpoint"].get("person", 0) + served["by_endpoint"].get("collection", 0)
    return int(served["requests_total"]) - int(phase)


@pytest.mark.parametrize("name", ["choicehoney"])
async def test_an_update_against_an_older_version_of_a_real_export(
    make_client: AppFactory, tmp_path: Path, name: str
) -> None:
    new = EXPORTS / name
    expected = _older(new, tmp_path / "old")
    standin = create_standin_app(
        StandinConfig(api_key=KEY, synthesise=True, rate_limit=0, max_connections=0)
    )
    stats = httpx.AsyncClient(transport=httpx.ASGITransport(app=standin), base_url="http://s")
    client: Any = await make_client(
        tmdb_transport=httpx.ASGITransport(app=standin),
        tmdb_api_key=KEY,
        tmdb_base_url="http://standin/3",
        tmdb_backoff_seconds=0,
        enrich_write_interval_seconds=0.05,
    )
    upload = await client.post(
        "/api/upload", files=multipart(("old.zip", zip_folder(tmp_path / "old")))
    )
    assert upload.status_code == 202, upload.text
    session_id = upload.json()["session_id"]
    assert (await wait_completed(client, session_id, timeout=120))["status"] == "completed"
    await client.app.state.runner.wait_idle()

    # a fix by hand, on a film whose link changes form: kept
    page = (await client.get(f"/api/session/{session_id}/movies?limit=500")).json()["items"]
    slugs = set(expected["slugged"].values())
    fixed = next(m for m in page if m["letterboxd_uri"] in slugs and m["tmdb_id"])
    other = next(m for m in page if m["tmdb_id"] and m["tmdb_id"] != fixed["tmdb_id"])
    fix = await client.put(
        f"/api/session/{session_id}/movies/{fixed['movie_id']}/match",
        json={"tmdb_id": other["tmdb_id"]},
    )
    assert fix.status_code == 200, fix.text
    before = _enrichment_requests((await stats.get("/__stats")).json())
    extras_before = (await client.get(f"/api/session/{session_id}/status")).json()["extras_done"]

    answer = await client.post(
        f"/api/session/{session_id}/update", files=multipart(("new.zip", zip_folder(new)))
    )
    assert answer.status_code == 202, answer.text
    changes = answer.json()["changes"]
    counts = independent_counts(new)
    assert changes["unpaired_films"] == []
    assert changes["films_added"] == expected["films_added"]
    assert changes["films_removed"] == 0
    assert changes["films_kept"] == counts["films"] - expected["films_added"]
    assert changes["films_paired_by_title"] == expected["by_title"]
    assert changes["films_paired_by_near_year"] == expected["by_near_year"]
    assert (changes["diary_added"], changes["diary_removed"]) == (expected["diary_added"], 0)
    assert changes["ratings_added"] == expected["ratings_added"]
    assert changes["ratings_changed"] == expected["ratings_changed"]
    assert changes["ratings_removed"] == 0
    assert (changes["reviews_added"], changes["reviews_removed"]) == (expected["reviews_added"], 0)
    assert changes["watchlist_added"] == expected["watchlist_added"]
    assert changes["watchlist_removed"] == 0
    assert (changes["lists_added"], changes["lists_removed"], changes["lists_changed"]) == (0, 0, 0)
    assert answer.json()["to_enrich"] == expected["films_added"]

    status = await wait_completed(client, session_id, timeout=120)
    await client.app.state.runner.wait_idle()
    assert status["status"] == "completed"
    assert status["enriched_count"] == status["total_movies"] == counts["films"]
    assert status["import_enriched"] == status["import_total"] == expected["films_added"]
    summary = (await client.get(f"/api/session/{session_id}")).json()["counts"]
    assert summary == counts
    served = (await stats.get("/__stats")).json()
    used = _enrichment_requests(served) - before
    assert used <= 2 * (expected["films_added"] + expected["watchlist_added"])
    # the completion phase fetched only what the new films brought (cached items are not asked)
    assert status["extras_done"] - extras_before <= 40 + expected["films_added"]

    movie = (await client.get(f"/api/session/{session_id}/movies?limit=500")).json()["items"]
    now = next(m for m in movie if m["movie_id"] == fixed["movie_id"])
    assert (now["tmdb_id"], now["match_method"]) == (other["tmdb_id"], "user")
    assert now["letterboxd_uri"].startswith("https://boxd.it/")
    await stats.aclose()
