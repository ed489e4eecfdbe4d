"""/stats through the app: errors, an import without TMDB, and every real export."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fixtures.exports import make_zip, multipart, small_export
from tests.fixtures.real_exports import EXPORTS, NAMES, independent_counts, zip_folder
from tests.fixtures.uploads import wait_completed


async def _upload(client: httpx.AsyncClient, payload: bytes) -> str:
    response = await client.post("/api/upload", files=multipart(("export.zip", payload)))
    assert response.status_code == 202, response.text
    session_id: str = response.json()["session_id"]
    await wait_completed(client, session_id)
    return session_id


async def _stats(client: httpx.AsyncClient, session_id: str, query: str = "") -> dict[str, Any]:
    response = await client.get(f"/api/session/{session_id}/stats{query}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    "session_id",
    [str(uuid.uuid4()), "not-a-uuid", str(uuid.uuid1())],
    ids=["uuid4", "not-a-uuid", "uuid1"],  # the same test ids in every xdist worker
)
async def test_unknown_or_malformed_ids_are_404(client: httpx.AsyncClient, session_id: str) -> None:
    response = await client.get(f"/api/session/{session_id}/stats")
    assert response.status_code == 404
    assert response.json()["error"] == "SessionNotFound"
    assert (await client.get(f"/api/session/{session_id}/stats?year=2024")).status_code == 404


@pytest.mark.parametrize("year", ["1869", "2101", "abc", "-1"])
async def test_a_bad_year_is_422(client: httpx.AsyncClient, year: str) -> None:
    session_id = await _upload(client, make_zip(small_export()))
    response = await client.get(f"/api/session/{session_id}/stats?year={year}")
    assert response.status_code == 422
    assert response.json()["error"] == "ValidationError"


async def test_stats_without_tmdb(client: httpx.AsyncClient) -> None:
    """small_export: Heat (rated 4.5, liked, two viewings), Crouching Tiger (no rating),
    Amélie (3), Only In Diary (1970, one viewing); no TMDB credentials."""
    session_id = await _upload(client, make_zip(small_export()))
    body = await _stats(client, session_id)
    assert body["session_id"] == session_id
    assert body["year"] is None
    totals = body["totals"]
    assert totals == {
        "films": 4,
        "viewings": 3,
        "hours": 0.0,
        "hours_based_on": 0,
        "directors": 0,
        "actors": 0,
        "countries": 0,
        "languages": 0,
        "tmdb_based_on": 0,
        "ratings": 2,
        "reviews": 1,
        "likes": 1,
        "lists": 1,
        "watchlist": 1,
        "watchlist_hours": 0.0,
        "watchlist_based_on": 0,
    }
    assert body["coverage"]["films"] == {
        "total": 4,
        "matched": 0,
        "needs_review": 0,
        "unmatched": 0,
        "failed": 0,
        "pending": 4,
        "with_tmdb_data": 0,
    }
    assert body["genres"] == {"based_on": 0, "total": 0, "most_watched": [], "highest_rated": []}
    assert body["people"]["directors"]["based_on"] == 0
    assert [d["decade"] for d in body["release_years"]["by_decade"]] == [1970, 1990, 2000]
    assert body["ratings"]["mean"] == 3.75
    assert body["ratings"]["median"] == 3.75
    diary = body["diary"]
    assert [m["period"] for m in diary["by_month"]] == ["2023-12", "2024-01", "2024-02"]
    assert [m["viewings"] for m in diary["by_month"]] == [1, 0, 2]
    assert (diary["first_watches"], diary["rewatches"]) == (2, 1)
    assert diary["releases"] is None
    assert body["watchlist_and_lists"]["watchlist"]["oldest_entry"] == {
        "title": "Ran",
        "year": 1985,
        "added_on": "2024-05-01",
        "tmdb_id": None,
    }
    assert body["watchlist_and_lists"]["lists"] == {"count": 1, "entries": 2}

    year = await _stats(client, session_id, "?year=2024")
    assert year["year"] == 2024
    assert (year["totals"]["films"], year["totals"]["viewings"]) == (2, 2)
    assert year["totals"]["reviews"] == 0  # the review's Watched Date is 2023-12-30
    assert year["diary"]["releases"] == {"this_year": 0, "older": 2, "other": 0}

    empty = await _stats(client, session_id, "?year=1990")
    assert empty["totals"]["films"] == empty["totals"]["viewings"] == 0
    assert empty["diary"]["milestones"] == []
    assert sum(w["viewings"] for w in empty["diary"]["by_week"]) == 0


skip_without_exports = pytest.mark.skipif(
    not EXPORTS.is_dir(), reason=f"real exports not present at {EXPORTS} (../shared/data)"
)


@skip_without_exports
@pytest.mark.shared_data
@pytest.mark.parametrize("name", NAMES)
async def test_every_real_export_has_stats(client: httpx.AsyncClient, name: str) -> None:
    folder = EXPORTS / name
    expected = independent_counts(folder)
    session_id = await _upload(client, zip_folder(folder))
    body = await _stats(client, session_id)
    totals = body["totals"]
    assert totals["films"] == expected["films"]
    assert totals["viewings"] == expected["diary_entries"]
    assert totals["ratings"] == expected["ratings"]
    assert totals["reviews"] == expected["reviews"]
    assert totals["likes"] == expected["likes"]
    assert totals["lists"] == expected["lists"]
    assert totals["watchlist"] == expected["watchlist"]
    assert body["watchlist_and_lists"]["lists"]["entries"] == expected["list_entries"]
    assert body["coverage"]["films"]["pending"] == expected["films"]
    assert totals["tmdb_based_on"] == totals["hours_based_on"] == 0
    for section in ("genres", "countries", "languages", "studios", "keywords"):
        assert body[section]["based_on"] == body[section]["total"] == 0
    assert body["ratings"]["rated"] == expected["ratings"]
    assert sum(b["films"] for b in body["ratings"]["spread"]) == expected["ratings"]
    diary = body["diary"]
    assert sum(m["viewings"] for m in diary["by_month"]) == expected["diary_entries"]
    assert sum(w["viewings"] for w in diary["by_week"]) == expected["diary_entries"]
    assert diary["first_watches"] + diary["rewatches"] == expected["diary_entries"]
    if expected["diary_entries"]:
        assert diary["milestones"][-1]["number"] == expected["diary_entries"]
        last_year = int(diary["milestones"][-1]["date"][:4])
        year = await _stats(client, session_id, f"?year={last_year}")
        assert year["totals"]["viewings"] == sum(
            m["viewings"] for m in diary["by_month"] if m["period"].startswith(f"{last_year}-")
        )


def _largest_export() -> Path | None:
    folders = [EXPORTS / name for name in NAMES]
    return max(folders, key=lambda f: independent_counts(f)["films"], default=None)


@skip_without_exports
@pytest.mark.shared_data
async def test_time_of_stats_for_the_largest_export(client: httpx.AsyncClient) -> None:
    """Measured, not asserted (CI machines vary): printed with -s. TMDB data is absent here;
    bench-like figures with TMDB data come from tests/stats/test_timing.py."""
    folder = _largest_export()
    assert folder is not None
    session_id = await _upload(client, zip_folder(folder))
    await _stats(client, session_id)  # warm
    started = time.perf_counter()
    await _stats(client, session_id)
    elapsed = time.perf_counter() - started
    print(f"\n/stats for {folder.name}: {elapsed * 1000:.1f} ms (no TMDB data)")
