"""The enrichment job through the app, with TMDB faked at the HTTP boundary."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.models import Film, TmdbMatch, TmdbMovie, WatchlistEntry
from tests.fixtures.apps import AppClient
from tests.fixtures.exports import FILM, csv_text, make_zip, multipart, small_export
from tests.fixtures.tmdb import API_KEY, CATALOGUE, TMDB_SETTINGS, FakeFilm, FakeTmdb
from tests.fixtures.uploads import enriched, movies_by_title, wait_completed

RAN = 11645  # on the watchlist of `small_export`, not in its library


async def test_every_film_ends_in_a_final_state_with_metadata(make_client: Any) -> None:
    fake = FakeTmdb(CATALOGUE)
    client, session_id, status = await enriched(make_client, fake)
    assert status["status"] == "completed"
    assert status["error_message"] is None
    assert status["enriched_count"] == status["total_movies"] == 4
    assert status["matched_count"] == 3
    assert status["unmatched_count"] == 1
    assert status["failed_count"] == 0
    assert status["progress_percent"] == 100.0

    movies = await movies_by_title(client, session_id)
    heat = movies["Heat"]
    assert heat["tmdb_id"] == 949  # the 1995 film, not the 1986 one
    assert heat["match_status"] == "matched"
    assert heat["match_method"] == "primary_release_year"
    assert 0.0 < heat["match_confidence"] <= 1.0
    assert heat["genres"] == ["Drama", "Crime"]
    assert heat["runtime"] == 100 + 949 % 50
    assert heat["directors"] == [{"id": 3949, "name": "Director 949", "profile_path": None}]
    assert [c["name"] for c in heat["cast"]] == ["Actor 949", "Actress 949"]
    assert heat["countries"] == ["US"]
    assert heat["languages"] == ["en"]
    unmatched = movies["Only In Diary"]
    assert unmatched["match_status"] == "unmatched"
    assert unmatched["tmdb_id"] is None
    assert "Only In Diary" in unmatched["match_reason"]
    # cold: one details request per matched film, and one for the watchlist's Ran
    assert fake.requests["movie"] == 3 + 1


async def test_the_watchlist_is_enriched_after_the_library(
    make_client: Any, engine: AsyncEngine
) -> None:
    client, session_id, status = await enriched(make_client, FakeTmdb(CATALOGUE))
    # the watchlist's own phase: counted apart from the library's, and done
    assert status["watchlist_total"] == 1  # its phase follows the library's `completed`
    after = (await client.get(f"/api/session/{session_id}/status")).json()
    assert (after["watchlist_total"], after["watchlist_enriched"]) == (1, 1)
    assert after["progress_percent"] == 100.0  # the library's bar is not the watchlist's
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                select(WatchlistEntry.title, WatchlistEntry.tmdb_id, WatchlistEntry.match_status)
            )
        ).all()
    assert [(title, tmdb_id, str(status)) for title, tmdb_id, status in rows] == [
        ("Ran", 11645, "matched")
    ]


async def test_a_second_upload_costs_no_request(make_client: Any, engine: AsyncEngine) -> None:
    fake = FakeTmdb(CATALOGUE)
    await enriched(make_client, fake)
    first = sum(fake.requests.values())
    client, session_id, status = await enriched(make_client, fake)
    assert sum(fake.requests.values()) == first
    assert status["matched_count"] == 3
    assert (await movies_by_title(client, session_id))["Heat"]["genres"] == ["Drama", "Crime"]
    async with engine.connect() as conn:
        # the 3 matched films and the watchlist's Ran; 4 library keys + Ran's
        assert (await conn.execute(select(func.count()).select_from(TmdbMovie))).scalar_one() == 4
        assert (await conn.execute(select(func.count()).select_from(TmdbMatch))).scalar_one() == 5


async def test_a_rejected_key_fails_the_session_at_once(make_client: Any) -> None:
    fake = FakeTmdb(CATALOGUE, reject_key=True)
    _client, _session_id, status = await enriched(make_client, fake)
    assert status["status"] == "failed"
    assert status["error_message"] == "TMDB rejected the API key"
    assert fake.requests["401"] <= 4  # the films in flight, not a retry storm


async def test_a_film_whose_requests_keep_failing_ends_failed_with_a_reason(
    make_client: Any,
) -> None:
    fake = FakeTmdb(CATALOGUE, failing_ids={146})
    client, session_id, status = await enriched(make_client, fake)
    assert status["status"] == "completed"
    assert status["failed_count"] == 1
    assert status["matched_count"] + status["unmatched_count"] + status["failed_count"] == 4
    tiger = (await movies_by_title(client, session_id))["Crouching Tiger, Hidden Dragon"]
    assert tiger["match_status"] == "failed"
    assert "after 3 attempts" in tiger["match_reason"]
    assert "HTTP 503" in tiger["match_reason"]


async def test_a_user_fixes_a_match(make_client: Any) -> None:
    fake = FakeTmdb(CATALOGUE)
    client, session_id, _ = await enriched(make_client, fake)
    movie_id = (await movies_by_title(client, session_id))["Only In Diary"]["movie_id"]

    response = await client.put(
        f"/api/session/{session_id}/movies/{movie_id}/match", json={"tmdb_id": 11645}
    )
    assert response.status_code == 200, response.text
    fixed = response.json()
    assert (fixed["tmdb_id"], fixed["match_status"], fixed["match_method"]) == (
        11645,
        "matched",
        "user",
    )
    assert fixed["match_confidence"] == 1.0
    assert fixed["tmdb_title"] == "Ran"
    status = (await client.get(f"/api/session/{session_id}/status")).json()
    assert (status["matched_count"], status["unmatched_count"], status["enriched_count"]) == (
        4,
        0,
        4,
    )

    missing = await client.put(
        f"/api/session/{session_id}/movies/{movie_id}/match", json={"tmdb_id": 424242}
    )
    assert missing.status_code == 404
    assert missing.json()["error"] == "TmdbFilmNotFound"
    no_movie = await client.put(
        f"/api/session/{session_id}/movies/999/match", json={"tmdb_id": 11645}
    )
    assert no_movie.status_code == 404
    assert no_movie.json()["error"] == "MovieNotFound"
    bad_body = await client.put(
        f"/api/session/{session_id}/movies/{movie_id}/match", json={"tmdb_id": "x"}
    )
    assert bad_body.status_code == 422


async def test_events_stream_progress_then_the_end(make_client: Any) -> None:
    fake = FakeTmdb(CATALOGUE)
    client, session_id, _ = await enriched(make_client, fake)
    response = await client.get(f"/api/session/{session_id}/events")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = [
        line.removeprefix("event: ")
        for line in response.text.splitlines()
        if line.startswith("event:")
    ]
    assert events[0] == "progress"
    assert events[-1] == "end"
    assert '"status":"completed"' in response.text
    assert (await client.get("/api/session/not-an-id/events")).status_code == 404


async def test_an_interrupted_job_resumes_where_it_stopped(
    make_client: Any, engine: AsyncEngine
) -> None:
    fake = FakeTmdb(CATALOGUE, hold_after=2)  # one search + one details, then TMDB hangs
    first: AppClient = await make_client(
        tmdb_transport=fake.transport(), **(TMDB_SETTINGS | {"tmdb_max_connections": 1})
    )
    upload = await first.post("/api/upload", files=multipart(("e.zip", make_zip(small_export()))))
    session_id = upload.json()["session_id"]
    # the first film is stored; the second hangs in TMDB. On PostgreSQL the job starts when a
    # queue worker picks it up, which a busy machine (parallel tests) can delay by seconds.
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60
    while loop.time() < deadline:
        if (await first.get(f"/api/session/{session_id}/status")).json()["enriched_count"] >= 1:
            break
        await asyncio.sleep(0.01)
    done_before = (await first.get(f"/api/session/{session_id}/status")).json()["enriched_count"]
    assert 1 <= done_before < 4
    await first.app.state.runner.stop()  # the process goes away

    fake.hold_after = None
    second: httpx.AsyncClient = await make_client(tmdb_transport=fake.transport(), **TMDB_SETTINGS)
    status = await wait_completed(second, session_id)
    assert status["status"] == "completed"
    assert status["enriched_count"] == 4
    assert status["matched_count"] + status["unmatched_count"] + status["failed_count"] == 4
    async with engine.connect() as conn:
        films = (await conn.execute(select(func.count()).select_from(Film))).scalar_one()
    assert films == 4
    # the stored film is not asked for again: only the three films left (one is a miss). Ran
    # is only on the watchlist, enriched after `completed`, whenever it comes: not counted.
    library = {tmdb_id: n for tmdb_id, n in fake.movie_requests.items() if tmdb_id != RAN}
    assert sum(library.values()) == 1 + 2
    assert set(library.values()) == {1}


@pytest.mark.parametrize("path", ["/status", "/events", "/movies"])
async def test_unknown_sessions_stay_404(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(f"/api/session/00000000-0000-4000-8000-000000000000{path}")
    assert response.status_code == 404


async def test_the_key_never_reaches_the_logs(
    make_client: Any, capfd: pytest.CaptureFixture[str]
) -> None:
    fake = FakeTmdb(CATALOGUE, failing_ids={146})  # retries and failures get logged too
    await enriched(make_client, fake, log_level="debug")
    logged = capfd.readouterr()
    assert "tmdb.request" in logged.err  # the client did log its requests
    assert API_KEY not in logged.err
    assert API_KEY not in logged.out


async def test_search_tmdb_to_fix_a_match(make_client: Any) -> None:
    fake = FakeTmdb(CATALOGUE)
    client, session_id, _ = await enriched(make_client, fake)
    found = await client.get(f"/api/session/{session_id}/tmdb/search", params={"query": "heat"})
    assert found.status_code == 200
    assert [(r["tmdb_id"], r["year"]) for r in found.json()["results"]] == [
        (949, 1995),
        (950, 1986),
    ]
    narrowed = await client.get(
        f"/api/session/{session_id}/tmdb/search", params={"query": "heat", "year": 1986}
    )
    assert [r["tmdb_id"] for r in narrowed.json()["results"]] == [950]
    assert (await client.get(f"/api/session/{session_id}/tmdb/search")).status_code == 422
    unknown = "/api/session/00000000-0000-4000-8000-000000000000/tmdb/search?query=heat"
    assert (await client.get(unknown)).status_code == 404


async def test_search_tmdb_without_credentials_says_so(client: httpx.AsyncClient) -> None:
    upload = await client.post("/api/upload", files=multipart(("e.zip", make_zip(small_export()))))
    session_id = upload.json()["session_id"]
    response = await client.get(f"/api/session/{session_id}/tmdb/search?query=heat")
    assert response.status_code == 503
    assert response.json()["error"] == "TmdbDisabled"


async def test_tmdb_misbehaving_in_every_way(
    make_client: Any, capfd: pytest.CaptureFixture[str]
) -> None:
    """5xx, timeouts, resets, 429 with and without Retry-After, non-JSON bodies and 200s with
    missing fields, 40 % of requests: every film ends in a final state with a reason, the
    session completes, nothing unhandled is logged."""
    films = [FakeFilm(5000 + n, f"Chaos Film {n}", 1950 + n) for n in range(40)]
    # Seed 1919 brings every kind of fault within the first 50 requests, and a 429 without
    # Retry-After (which pauses the client a whole second) once only: seed 3 had eleven.
    fake = FakeTmdb(films, chaos=0.4, seed=1919)
    client: AppClient = await make_client(
        tmdb_transport=fake.transport(),
        **(TMDB_SETTINGS | {"tmdb_max_attempts": 3, "tmdb_backoff_max_seconds": 0.01}),
    )
    rows = [f"2024-01-01,{f.title},{f.year},https://boxd.it/c{f.id}" for f in films]
    upload = await client.post(
        "/api/upload", files=multipart(("e.zip", make_zip({"watched.csv": csv_text(FILM, rows)})))
    )
    session_id = upload.json()["session_id"]
    status = await wait_completed(client, session_id, timeout=60)  # 429s pause everything
    await client.app.state.runner.wait_idle()

    assert status["status"] == "completed"
    assert status["enriched_count"] == status["total_movies"] == 40
    assert status["matched_count"] + status["unmatched_count"] + status["failed_count"] == 40
    assert status["matched_count"] > 0
    assert len(fake.faults) == 8  # every kind of fault was injected
    page = (await client.get(f"/api/session/{session_id}/movies?limit=100")).json()["items"]
    for movie in page:
        assert movie["match_status"] in ("matched", "needs_review", "unmatched", "failed")
        if movie["match_status"] in ("unmatched", "failed"):
            assert movie["match_reason"]
    logged = capfd.readouterr().err
    assert "Traceback" not in logged
    assert "enrich.failed" not in logged
