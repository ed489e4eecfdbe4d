"""One client must not stall the server or fail someone else's job: no pooled connection is
held while TMDB answers or between progress events, a full pool is "busy" (503 for requests,
a wait for jobs), progress streams are capped, lookups by hand are limited and cached, and a
deleted session's job stops. TMDB is faked at the HTTP boundary; streams run on a real port
(httpx's ASGI transport buffers whole responses)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from letterboxd_stats.app import create_app
from letterboxd_stats.models import FINAL_STATUSES
from tests.fixtures.apps import AppClient, make_settings
from tests.fixtures.exports import FILM, csv_text, make_zip, multipart
from tests.fixtures.loopback import serving
from tests.fixtures.tmdb import API_KEY, FakeFilm, FakeTmdb

FILMS = [FakeFilm(7000 + n, f"Abuse Film {n:03d}", 1950 + n % 60) for n in range(200)]
TMDB: dict[str, Any] = {
    "tmdb_api_key": API_KEY,
    "tmdb_base_url": "https://tmdb.test/3",
    "tmdb_backoff_seconds": 0,
    "tmdb_max_attempts": 2,
    "enrich_write_interval_seconds": 0.05,
    "job_abort_poll_seconds": 0.2,
    "tmdb_rate_limit": 1000.0,  # the pace is not what these tests are about
}
TINY_POOL: dict[str, Any] = {
    "database_pool_size": 1,
    "database_max_overflow": 0,
    "database_pool_timeout_seconds": 0.3,
}


def export(films: list[FakeFilm]) -> bytes:
    rows = [f"2024-01-01,{f.title},{f.year},https://boxd.it/ab{f.id}" for f in films]
    return make_zip({"watched.csv": csv_text(FILM, rows)})


async def upload(client: httpx.AsyncClient, films: list[FakeFilm]) -> str:
    response = await client.post("/api/upload", files=multipart(("e.zip", export(films))))
    assert response.status_code == 202, response.text
    session_id: str = response.json()["session_id"]
    return session_id


async def status_of(client: httpx.AsyncClient, session_id: str) -> dict[str, Any]:
    body: dict[str, Any] = (await client.get(f"/api/session/{session_id}/status")).json()
    return body


async def until(client: httpx.AsyncClient, session_id: str, done: Any, timeout: float = 30) -> Any:
    """Poll /status until `done`; a 503 `DatabaseBusy` (a tiny pool the job is using too) is
    what a busy server answers: asked again, as a client should."""
    status: dict[str, Any] = {}
    for _ in range(int(timeout / 0.02)):
        response = await client.get(f"/api/session/{session_id}/status")
        if response.status_code == 503:
            assert response.json()["error"] == "DatabaseBusy", response.text
            assert "retry-after" in response.headers
        else:
            status = response.json()
            if done(status):
                return status
        await asyncio.sleep(0.02)
    raise AssertionError(f"not reached: {status}")


def finished(status: dict[str, Any]) -> bool:
    return status["status"] in FINAL_STATUSES


@asynccontextmanager
async def on_a_port(
    database_url: str, fake: FakeTmdb, **overrides: Any
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        make_settings(database_url, **(TMDB | overrides)), tmdb_transport=fake.transport()
    )
    async with (
        serving(app, lifespan="on") as base,
        httpx.AsyncClient(base_url=base, timeout=30) as client,
    ):
        try:
            yield client
        finally:
            fake.release.set()  # let held TMDB requests go, so that jobs can end
            await asyncio.wait_for(app.state.runner.wait_idle(), timeout=30)


async def sse_events(response: httpx.Response) -> AsyncIterator[dict[str, str]]:
    event: dict[str, str] = {}
    async for line in response.aiter_lines():
        if not line:
            if event:
                yield event
            event = {}
            continue
        name, _, value = line.partition(":")
        if name in ("event", "data"):
            event[name] = value.strip()


# --- a full pool is "busy": 503 with Retry-After for requests, a wait for jobs ---


async def test_a_full_pool_answers_503_busy_not_500(make_client: Any) -> None:
    client: AppClient = await make_client(**TINY_POOL)
    session_id = await upload(client, FILMS[:3])
    engine = client.app.state.engine
    async with engine.connect() as held:  # the pool's only connection
        await held.exec_driver_sql("SELECT 1")
        response = await client.get(f"/api/session/{session_id}/status")
    assert response.status_code == 503
    assert response.json()["error"] == "DatabaseBusy"
    assert "busy" in response.json()["detail"]
    assert int(response.headers["retry-after"]) >= 1
    assert (await client.get(f"/api/session/{session_id}/status")).status_code == 200


async def test_a_job_waits_out_a_full_pool_and_completes(make_client: Any) -> None:
    fake = FakeTmdb(FILMS[:40])
    client: AppClient = await make_client(tmdb_transport=fake.transport(), **TMDB, **TINY_POOL)
    session_id = await upload(client, FILMS[:40])
    engine = client.app.state.engine
    async with engine.connect() as held:  # everything the job writes must wait ~1 s
        await held.exec_driver_sql("SELECT 1")
        await asyncio.sleep(1.0)
    status = await until(client, session_id, finished)
    assert status["status"] == "completed", status
    assert status["enriched_count"] == status["matched_count"] == 40


# --- no connection is held while TMDB answers a lookup by hand ---


@pytest.mark.real_port  # on_a_port: streams need a real server
async def test_lookups_waiting_on_tmdb_hold_no_connection(database_url: str) -> None:
    fake = FakeTmdb(FILMS[:2], hold_after=0)  # TMDB answers nothing until released
    async with on_a_port(database_url, fake, **TINY_POOL) as client:
        session_id = await upload(client, FILMS[:2])  # its job waits on TMDB too
        search = asyncio.create_task(
            client.get(f"/api/session/{session_id}/tmdb/search", params={"query": "abuse"})
        )
        fix = asyncio.create_task(
            client.put(f"/api/session/{session_id}/movies/1/match", json={"tmdb_id": FILMS[1].id})
        )
        await asyncio.sleep(0.5)  # both are waiting on TMDB now
        answers = [await client.get(f"/api/session/{session_id}/status") for _ in range(3)]
        fake.release.set()
        found, fixed = await search, await fix
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert found.status_code == 200, found.text
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["tmdb_id"] == FILMS[1].id
    assert fixed.json()["match_method"] == "user"


# --- progress streams: no connection between events, capped, told of a deletion ---


@pytest.mark.real_port  # on_a_port: streams need a real server
async def test_progress_streams_hold_no_connection_between_events(database_url: str) -> None:
    fake = FakeTmdb(FILMS[:50], hold_after=0)  # the session stays `enriching`
    async with on_a_port(database_url, fake, **TINY_POOL) as client:
        session_id = await upload(client, FILMS[:50])
        async with asyncio.TaskGroup() as streams:
            opened: list[dict[str, str]] = []
            ready = asyncio.Event()
            stop = asyncio.Event()

            async def listen() -> None:
                async with client.stream("GET", f"/api/session/{session_id}/events") as r:
                    assert r.status_code == 200
                    opened.append(await anext(sse_events(r)))
                    if len(opened) == 4:
                        ready.set()
                    await stop.wait()

            for _ in range(4):
                streams.create_task(listen())
            await asyncio.wait_for(ready.wait(), 10)
            answers = [
                (await client.get(f"/api/session/{session_id}/status")).status_code
                for _ in range(5)
            ]
            stop.set()
    assert [event["event"] for event in opened] == ["progress"] * 4
    assert answers == [200] * 5  # four open streams, a pool of one: it is free between events


@pytest.mark.real_port  # on_a_port: streams need a real server
async def test_progress_streams_are_capped_per_session_and_freed(database_url: str) -> None:
    fake = FakeTmdb(FILMS[:50], hold_after=0)
    caps = {"sse_max_streams_per_session": 2, "sse_max_streams_per_client": 3}
    async with on_a_port(database_url, fake, **caps) as client:
        first = await upload(client, FILMS[:50])
        other = await upload(client, FILMS[50:60])
        url = f"/api/session/{first}/events"
        async with client.stream("GET", url) as one, client.stream("GET", url) as two:
            assert (one.status_code, two.status_code) == (200, 200)
            refused = await client.get(url)
            async with client.stream("GET", f"/api/session/{other}/events") as three:
                assert three.status_code == 200
                per_client = await client.get(f"/api/session/{other}/events")
        async with client.stream("GET", url) as again:  # the slots were given back
            again_status = again.status_code
    assert refused.status_code == 429
    assert refused.json()["error"] == "TooManyRequests"
    assert "poll /status" in refused.json()["detail"]
    assert int(refused.headers["retry-after"]) >= 1
    assert per_client.status_code == 429
    assert again_status == 200


@pytest.mark.real_port  # on_a_port: streams need a real server
async def test_a_stream_ends_with_an_end_event_when_its_session_is_deleted(
    database_url: str,
) -> None:
    fake = FakeTmdb(FILMS[:20], hold_after=0)
    async with on_a_port(database_url, fake) as client:
        session_id = await upload(client, FILMS[:20])
        async with client.stream("GET", f"/api/session/{session_id}/events") as stream:
            events = sse_events(stream)
            assert (await anext(events))["event"] == "progress"
            deleted = await client.delete(f"/api/session/{session_id}")
            end = await asyncio.wait_for(anext(events), 10)
    assert deleted.status_code == 204
    assert end["event"] == "end"
    assert json.loads(end["data"]) == {
        "error": "SessionNotFound",
        "detail": "the session was deleted",
    }


# --- lookups by hand: blank refused, repeated answered from memory, limited ---


async def test_a_blank_search_is_422_and_asks_tmdb_nothing(make_client: Any) -> None:
    fake = FakeTmdb(FILMS[:2])
    client: AppClient = await make_client(tmdb_transport=fake.transport(), **TMDB)
    session_id = await upload(client, FILMS[:2])
    await until(client, session_id, finished)
    await client.app.state.runner.wait_idle()  # the job's last steps ask TMDB too
    before = sum(fake.requests.values())
    response = await client.get(f"/api/session/{session_id}/tmdb/search", params={"query": "  "})
    assert response.status_code == 422
    assert response.json()["error"] == "InvalidSearch"
    assert "blank" in response.json()["detail"]
    assert sum(fake.requests.values()) == before


async def test_identical_searches_cost_one_tmdb_request(make_client: Any) -> None:
    fake = FakeTmdb(FILMS[:2])
    client: AppClient = await make_client(tmdb_transport=fake.transport(), **TMDB)
    session_id = await upload(client, FILMS[:2])
    await until(client, session_id, finished)
    await client.app.state.runner.wait_idle()
    before = fake.requests["search"]
    url = f"/api/session/{session_id}/tmdb/search"
    answers = await asyncio.gather(
        *(
            client.get(url, params={"query": q})
            for q in ["Abuse Film 001"] * 10 + ["abuse  FILM 001"] * 10
        )
    )
    assert [a.status_code for a in answers] == [200] * 20
    assert {a.json()["results"][0]["tmdb_id"] for a in answers} == {FILMS[1].id}
    assert fake.requests["search"] - before == 1


@pytest.mark.parametrize(
    ("limits", "refused_from"),
    [
        ({"user_lookups_per_minute_per_session": 3}, "session"),
        ({"user_lookups_per_minute_per_client": 3}, "client"),
    ],
)
async def test_lookups_by_hand_are_limited_with_retry_after(
    make_client: Any, limits: dict[str, int], refused_from: str
) -> None:
    fake = FakeTmdb(FILMS[:10])
    client: AppClient = await make_client(tmdb_transport=fake.transport(), **TMDB, **limits)
    one = await upload(client, FILMS[:5])
    two = await upload(client, FILMS[5:10])
    await until(client, one, finished)
    await until(client, two, finished)
    answers = [
        await client.get(f"/api/session/{one}/tmdb/search", params={"query": f"film {n}"})
        for n in range(3)
    ]
    fix = await client.put(f"/api/session/{one}/movies/1/match", json={"tmdb_id": FILMS[2].id})
    elsewhere = await client.get(f"/api/session/{two}/tmdb/search", params={"query": "film"})
    assert [a.status_code for a in answers] == [200] * 3
    assert fix.status_code == 429  # a match fix asks TMDB too: it counts
    assert fix.json()["error"] == "TooManyRequests"
    assert int(fix.headers["retry-after"]) >= 1
    # another library of the same client: refused by the client's limit, not the session's
    assert elsewhere.status_code == (429 if refused_from == "client" else 200)


# --- deleting a session stops its job first ---


async def test_delete_during_enrichment_stops_its_tmdb_requests(make_client: Any) -> None:
    films = [FakeFilm(9000 + n, f"Deleted Film {n:03d}", 1950 + n % 60) for n in range(300)]
    fake = FakeTmdb(films)

    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.01)
        return await fake.handle(request)

    client: AppClient = await make_client(
        tmdb_transport=httpx.MockTransport(slow), **(TMDB | {"tmdb_rate_limit": 200})
    )
    session_id = await upload(client, films)
    await until(client, session_id, lambda s: s["enriched_count"] >= 20)
    deleted = await client.delete(f"/api/session/{session_id}")
    await client.app.state.runner.wait_idle()  # a job that went on would end its 300 films
    settled = fake.served
    await asyncio.sleep(0.5)
    assert deleted.status_code == 204
    assert fake.served == settled  # no TMDB request once the job has stopped
    assert fake.served < 2 * len(films)  # and the job did not run to its end
    assert (await client.get(f"/api/session/{session_id}/status")).status_code == 404
