"""`POST /api/session/{id}/update`: a library replaced by a newer export, with TMDB faked at the
HTTP boundary; and `GET /api/session/{id}/history`."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.fixtures.apps import AppClient
from tests.fixtures.database import all_rows
from tests.fixtures.exports import (
    DIARY,
    FILM,
    PROFILE,
    RATINGS,
    csv_text,
    list_csv,
    make_zip,
    multipart,
    small_export,
)
from tests.fixtures.tmdb import CATALOGUE, FakeFilm, FakeTmdb
from tests.fixtures.uploads import enriched, movies_by_title, wait_completed

HEIST = FakeFilm(5000, "The Heist", 2010)


def newer_export() -> dict[str, str]:
    """`small_export` a few months on: one film more (watched, rated, a viewing), Amélie rated
    4 instead of 3, the 1986 Heat on the watchlist, the list's second entry changed."""
    files = small_export()
    files["watched.csv"] = csv_text(
        FILM,
        [
            "2024-01-02,Heat,1995,https://boxd.it/heat",
            '2024-01-03,"Crouching Tiger, Hidden Dragon",2000,https://boxd.it/ctiger',
            "2024-01-04,Amélie,2001,https://boxd.it/amelie",
            "2024-06-01,The Heist,2010,https://boxd.it/heist",
        ],
    )
    files["ratings.csv"] = csv_text(
        RATINGS,
        [
            "2024-01-02,Heat,1995,https://boxd.it/heat,4.5",
            "2024-06-02,Amélie,2001,https://boxd.it/amelie,4",
            "2024-06-01,The Heist,2010,https://boxd.it/heist,2.5",
        ],
    )
    files["diary.csv"] = csv_text(
        DIARY,
        [
            '2024-01-02,Heat,1995,https://boxd.it/e1,4.5,,"crime, la",2023-12-30',
            "2024-02-02,Heat,1995,https://boxd.it/e2,5,Yes,crime,2024-02-01",
            "2024-03-01,Only In Diary,1970,https://boxd.it/e3,,,,2024-02-28",
            "2024-06-01,The Heist,2010,https://boxd.it/e4,2.5,,,2024-05-31",
        ],
    )
    files["watchlist.csv"] = csv_text(
        FILM,
        [
            "2024-05-01,Ran,1985,https://boxd.it/ran",
            "2024-06-03,Heat,1986,https://boxd.it/heat86",
        ],
    )
    files["lists/favourites.csv"] = list_csv(
        "Favourites",
        ["1,Heat,1995,https://boxd.it/heat,", "2,The Heist,2010,https://boxd.it/heist,"],
    )
    return files


async def _update(client: AppClient, session_id: str, files: dict[str, str], name: str) -> Any:
    return await client.post(
        f"/api/session/{session_id}/update", files=multipart((name, make_zip(files)))
    )


def _enrichment_requests(fake: FakeTmdb) -> int:
    """The searches and details of the enrichment, not the completion phase's collections and
    filmographies (a phase of its own, bounded apart)."""
    return sum(n for kind, n in fake.requests.items() if kind not in ("person", "collection"))


async def test_an_update_reports_its_changes_and_enriches_only_the_new_films(
    make_client: Any,
) -> None:
    fake = FakeTmdb([*CATALOGUE, HEIST])
    client, session_id, _ = await enriched(make_client, fake)
    before = _enrichment_requests(fake)
    people_before = fake.requests["person"] + fake.requests["collection"]

    answer = await _update(
        client, session_id, newer_export(), "letterboxd-tester-2024-06-04-10-00-utc.zip"
    )
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["status"] == "enriching"
    assert body["to_enrich"] == 1
    assert body["export_date"] == "2024-06-04"
    assert body["previous_export_date"] == "2024-05-01"  # small_export's newest Date
    assert body["warnings"] == []
    changes = body["changes"]
    assert (changes["films_added"], changes["films_removed"], changes["films_kept"]) == (1, 0, 4)
    assert changes["added_films"] == [{"title": "The Heist", "year": 2010}]
    assert (changes["diary_added"], changes["diary_removed"]) == (1, 0)
    assert changes["new_viewings"] == [
        {"title": "The Heist", "year": 2010, "watched_on": "2024-05-31", "rating": 2.5}
    ]
    assert changes["ratings_added"] == 1
    assert changes["ratings_changed"] == 1
    assert changes["rating_changes"] == [{"title": "Amélie", "year": 2001, "old": 3.0, "new": 4.0}]
    assert (changes["reviews_added"], changes["reviews_removed"]) == (0, 0)
    assert (changes["watchlist_added"], changes["watchlist_removed"]) == (1, 0)
    assert changes["added_to_watchlist"] == [{"title": "Heat", "year": 1986}]
    assert (changes["lists_added"], changes["lists_removed"], changes["lists_changed"]) == (0, 0, 1)
    assert changes["list_names_changed"] == ["Favourites"]

    status = await wait_completed(client, session_id)
    await client.app.state.runner.wait_idle()
    assert status["total_movies"] == 5
    assert status["carried_count"] == 4
    assert status["import_total"] == 1
    assert status["import_enriched"] == 1
    assert status["enriched_count"] == status["matched_count"] + status["unmatched_count"] == 5
    assert status["progress_percent"] == 100.0
    # one search + one details for The Heist, one search + one details for the 1986 Heat
    assert _enrichment_requests(fake) - before <= 2 * 2
    # the completion phase asks only for The Heist's people (its director, its two actors)
    assert fake.requests["person"] + fake.requests["collection"] - people_before <= 3
    assert fake.movie_requests[949] == 1  # kept films are never fetched again
    movies = await movies_by_title(client, session_id)
    assert movies["The Heist"]["tmdb_id"] == HEIST.id
    assert movies["Heat"]["tmdb_id"] == 949
    assert movies["Amélie"]["rating"] == 4.0
    summary = (await client.get(f"/api/session/{session_id}")).json()
    assert summary["counts"]["films"] == 5
    assert summary["counts"]["diary_entries"] == 4
    assert summary["counts"]["watchlist"] == 2


async def test_the_history_records_the_upload_and_every_update(make_client: Any) -> None:
    fake = FakeTmdb([*CATALOGUE, HEIST])
    client, session_id, _ = await enriched(make_client, fake)
    first = (await client.get(f"/api/session/{session_id}/history")).json()
    assert [(i["import_no"], i["kind"], i["changes"]) for i in first["imports"]] == [
        (1, "upload", None)
    ]
    assert first["imports"][0]["counts"]["films"] == 4
    assert first["imports"][0]["export_date"] == "2024-05-01"

    assert (await _update(client, session_id, newer_export(), "e.zip")).status_code == 202
    await wait_completed(client, session_id)
    history = (await client.get(f"/api/session/{session_id}/history")).json()["imports"]
    assert [i["kind"] for i in history] == ["upload", "update"]
    assert history[1]["counts"]["films"] == 5
    assert history[1]["export_date"] == "2024-06-03"  # no date in the name: the newest Date
    assert history[1]["changes"]["films_added"] == 1


async def test_a_users_fix_is_kept_after_an_update(make_client: Any) -> None:
    fake = FakeTmdb([*CATALOGUE, HEIST])
    client, session_id, _ = await enriched(make_client, fake)
    heat = (await movies_by_title(client, session_id))["Heat"]
    fix = await client.put(
        f"/api/session/{session_id}/movies/{heat['movie_id']}/match", json={"tmdb_id": 950}
    )
    assert fix.status_code == 200, fix.text
    assert (await _update(client, session_id, newer_export(), "e.zip")).status_code == 202
    await wait_completed(client, session_id)
    heat = (await movies_by_title(client, session_id))["Heat"]
    assert (heat["tmdb_id"], heat["match_method"], heat["match_confidence"]) == (950, "user", 1.0)


async def test_films_are_paired_across_link_forms_and_a_corrected_year(make_client: Any) -> None:
    fake = FakeTmdb([*CATALOGUE, HEIST])
    client, session_id, _ = await enriched(make_client, fake)
    before = dict(fake.requests)
    files = small_export()
    for name in ("watched.csv", "ratings.csv", "likes/films.csv"):
        files[name] = (
            files[name]
            .replace("https://boxd.it/heat", "https://letterboxd.com/film/heat-1995/")
            .replace(
                "Amélie,2001,https://boxd.it/amelie",
                "Amélie,2002,https://letterboxd.com/film/amelie/",
            )
        )
    answer = await _update(client, session_id, files, "e.zip")
    assert answer.status_code == 202, answer.text
    changes = answer.json()["changes"]
    assert (changes["films_added"], changes["films_removed"], changes["films_kept"]) == (0, 0, 4)
    # Heat (a slug link for a short one), and Only In Diary (no link on either side)
    assert changes["films_paired_by_title"] == 2
    assert changes["films_paired_by_near_year"] == 1  # Amélie: 2001 -> 2002, and a slug link
    assert changes["diary_added"] == changes["diary_removed"] == 0
    assert answer.json()["to_enrich"] == 0
    assert (await wait_completed(client, session_id))["status"] == "completed"
    assert dict(fake.requests) == before


async def test_an_export_of_another_account_is_refused_and_changes_nothing(
    make_client: Any, engine: AsyncEngine
) -> None:
    client, session_id, _ = await enriched(make_client, FakeTmdb(CATALOGUE))
    files = newer_export()
    files["profile.csv"] = csv_text(PROFILE, ["2020-01-01,someone_else,,,,,,,,"])
    rows = await all_rows(engine)
    answer = await _update(client, session_id, files, "e.zip")
    assert answer.status_code == 409
    assert answer.json()["error"] == "DifferentAccount"
    assert "someone_else" in answer.json()["detail"]
    assert "tester" in answer.json()["detail"]
    assert await all_rows(engine) == rows


async def test_an_export_without_a_username_is_accepted(make_client: Any) -> None:
    client, session_id, _ = await enriched(make_client, FakeTmdb([*CATALOGUE, HEIST]))
    files = newer_export()
    del files["profile.csv"]
    answer = await _update(client, session_id, files, "e.zip")
    assert answer.status_code == 202, answer.text
    await wait_completed(client, session_id)
    assert (await client.get(f"/api/session/{session_id}")).json()["username"] == "tester"


@pytest.mark.parametrize(
    ("name", "content", "status", "needle"),
    [
        ("diary.csv", DIARY + "\n2024-01-02,Heat,1995,,4.5,,,2024-13-45\n", 400, "line 2"),
        ("ratings.csv", RATINGS + "\n2024-01-02,Heat,1995,x,9\n", 400, "ratings.csv: line 2"),
        ("watched.csv", "Name\nHeat\n", 400, "watched.csv: line 1"),
    ],
)
async def test_a_rejected_update_leaves_every_row_as_it_was(
    make_client: Any, engine: AsyncEngine, name: str, content: str, status: int, needle: str
) -> None:
    client, session_id, _ = await enriched(make_client, FakeTmdb(CATALOGUE))
    files = newer_export()
    files[name] = content
    rows = await all_rows(engine)
    answer = await _update(client, session_id, files, "e.zip")
    assert answer.status_code == status, answer.text
    assert needle in answer.json()["detail"]
    assert await all_rows(engine) == rows


async def test_an_older_export_is_accepted_with_a_warning(make_client: Any) -> None:
    client, session_id, _ = await enriched(make_client, FakeTmdb([*CATALOGUE, HEIST]))
    newer = await _update(client, session_id, newer_export(), "e.zip")
    assert newer.status_code == 202
    await wait_completed(client, session_id)
    older = await _update(client, session_id, small_export(), "e.zip")
    assert older.status_code == 202, older.text
    body = older.json()
    assert body["export_date"] == "2024-05-01"
    assert body["previous_export_date"] == "2024-06-03"
    assert any("older than the library's" in w for w in body["warnings"])
    assert body["changes"]["films_removed"] == 1
    assert body["to_enrich"] == 0
    status = await wait_completed(client, session_id)
    assert status["total_movies"] == status["enriched_count"] == 4


async def test_an_update_of_an_unknown_session_is_not_found(client: AppClient) -> None:
    answer = await client.post(
        "/api/session/00000000-0000-4000-8000-000000000000/update",
        files=multipart(("e.zip", make_zip(small_export()))),
    )
    assert answer.status_code == 404
    assert answer.json()["error"] == "SessionNotFound"
    history = await client.get("/api/session/00000000-0000-4000-8000-000000000000/history")
    assert history.status_code == 404


async def test_an_update_during_enrichment_stops_the_job_and_enriches_the_rest(
    make_client: Any,
) -> None:
    """The job of the first upload is held at its first request; the update stops it, and
    the new job enriches every film still pending: the counters end exact."""
    fake = FakeTmdb([*CATALOGUE, HEIST], hold_after=0)
    from tests.fixtures.tmdb import TMDB_SETTINGS

    client: AppClient = await make_client(tmdb_transport=fake.transport(), **TMDB_SETTINGS)
    upload = await client.post("/api/upload", files=multipart(("e.zip", make_zip(small_export()))))
    session_id = upload.json()["session_id"]
    answer = await _update(client, session_id, newer_export(), "e.zip")
    assert answer.status_code == 202, answer.text
    assert answer.json()["to_enrich"] == 5  # nothing was enriched yet: every film
    fake.release.set()
    status = await wait_completed(client, session_id)
    assert status["status"] == "completed"
    assert status["enriched_count"] == status["total_movies"] == 5
    assert status["matched_count"] + status["unmatched_count"] + status["failed_count"] == 5
