"""Completion on a catalogue where every answer is known: a collection of 3 with 2 seen, a
director with 4 of 6 released films seen (and one not released), a ranked list with 3 of 5
seen; hiding and showing again; the phase's counters, its requests, and a phase stopped
halfway resuming without fetching again what it stored."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.models import TmdbCollection, TmdbPerson, UploadSession
from tests.fixtures.apps import AppClient
from tests.fixtures.exports import FILM, csv_text, list_csv, make_zip, multipart
from tests.fixtures.tmdb import TMDB_SETTINGS, FakeFilm, FakeTmdb
from tests.fixtures.uploads import wait_completed

SAGA = [FakeFilm(7000 + i, f"Saga {i + 1}", 2001 + 2 * i, collection=500) for i in range(3)]
DIRECTED = [FakeFilm(7100 + i, f"Auteur Film {i + 1}", 1990 + i, director=777) for i in range(6)]
NOT_OUT = FakeFilm(7199, "Auteur Film Next", 2099, director=777)
LISTED_ONLY = [FakeFilm(7200 + i, f"Listed Film {i + 1}", 1980 + i) for i in range(2)]
CATALOGUE = [*SAGA, *DIRECTED, NOT_OUT, *LISTED_ONLY]
SEEN = [*SAGA[:2], *DIRECTED[:4]]


def _export() -> bytes:
    ranked = [
        f"1,{SEEN[0].title},{SEEN[0].year},,",
        f"2,{LISTED_ONLY[0].title},{LISTED_ONLY[0].year},,",
        f"3,{SEEN[2].title},{SEEN[2].year},,",
        f"4,{LISTED_ONLY[1].title},{LISTED_ONLY[1].year},,",
        f"5,{SEEN[3].title},{SEEN[3].year},,",
    ]
    return make_zip(
        {
            "watched.csv": csv_text(FILM, [f"2024-01-01,{f.title},{f.year}," for f in SEEN]),
            "watchlist.csv": csv_text(FILM, [f"2024-02-01,{SAGA[2].title},{SAGA[2].year},"]),
            "lists/my-ranking.csv": list_csv("My ranking", ranked),
        }
    )


async def _library(make_client: Any, fake: FakeTmdb, **settings: Any) -> tuple[AppClient, str]:
    client: AppClient = await make_client(
        tmdb_transport=fake.transport(), **(TMDB_SETTINGS | {"completion_people": 20} | settings)
    )
    upload = await client.post("/api/upload", files=multipart(("e.zip", _export())))
    assert upload.status_code == 202, upload.text
    session_id: str = upload.json()["session_id"]
    await wait_completed(client, session_id)
    await client.app.state.runner.wait_idle()  # the watchlist, then the completion phase
    return client, session_id


def _by_id(items: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {item["id"]: item for item in items}


async def test_collections_filmographies_and_lists_are_completed(make_client: Any) -> None:
    fake = FakeTmdb(CATALOGUE)
    client, session_id = await _library(make_client, fake)
    status = (await client.get(f"/api/session/{session_id}/status")).json()
    # one collection; 4 directors (777 and one per saga film) and 12 actors, all under 20 each
    assert fake.requests["collection"] == 1
    assert fake.requests["person"] == status["extras_total"] - 1
    assert status["extras_done"] == status["extras_total"] > 0

    body = (await client.get(f"/api/session/{session_id}/completion")).json()
    assert body["pending"] is False
    saga = _by_id(body["collections"])[500]
    assert (saga["seen"], saga["total"], saga["percent"]) == (2, 3, 66.7)
    assert [(m["tmdb_id"], m["released"], m["on_watchlist"]) for m in saga["missing"]] == [
        (SAGA[2].id, True, True)
    ]
    auteur = _by_id(body["people"]["directors"])[777]
    assert (auteur["seen"], auteur["total"]) == (4, 6)  # the 2099 film is not out: not counted
    assert [m["title"] for m in auteur["missing"]] == [f.title for f in DIRECTED[4:]]
    assert (
        body["people"]["directors"][0]["id"] == 777
        or body["people"]["directors"][0]["percent"] == 100
    )
    actors = body["people"]["actors"]
    assert actors
    assert all((a["seen"], a["total"]) == (1, 1) for a in actors)
    (ranking,) = body["lists"]
    assert (ranking["name"], ranking["seen"], ranking["total"]) == ("My ranking", 3, 5)
    assert [m["position"] for m in ranking["missing"]] == [2, 4]
    assert [m["title"] for m in ranking["missing"]] == [f.title for f in LISTED_ONLY]


async def test_hiding_a_person_or_a_collection_and_showing_it_again(make_client: Any) -> None:
    client, session_id = await _library(make_client, FakeTmdb(CATALOGUE))
    path = f"/api/session/{session_id}/completion"
    hidden = await client.post(f"{path}/ignore", json={"kind": "person", "id": 777})
    assert hidden.status_code == 200, hidden.text
    assert hidden.json() == [{"kind": "person", "id": 777}]
    await client.post(f"{path}/ignore", json={"kind": "collection", "id": 500})
    body = (await client.get(path)).json()
    assert 777 not in _by_id(body["people"]["directors"])
    assert body["collections"] == []
    assert body["hidden"] == [{"kind": "collection", "id": 500}, {"kind": "person", "id": 777}]
    shown = await client.request("DELETE", f"{path}/ignore", json={"kind": "person", "id": 777})
    assert shown.json() == [{"kind": "collection", "id": 500}]
    assert 777 in _by_id((await client.get(path)).json()["people"]["directors"])
    share_id = (await client.post(f"/api/session/{session_id}/share")).json()["share_id"]
    assert (await client.get(f"/api/session/{share_id}/completion")).status_code == 200
    refused = await client.post(
        f"/api/session/{share_id}/completion/ignore", json={"kind": "person", "id": 777}
    )
    assert refused.status_code == 404  # a viewer reads, never hides
    for bad in [{"kind": "studio", "id": 1}, {"kind": "person", "id": 0}, {"kind": "person"}]:
        assert (await client.post(f"{path}/ignore", json=bad)).status_code == 422


async def test_a_phase_stopped_halfway_resumes_without_fetching_again(
    make_client: Any, engine: AsyncEngine
) -> None:
    fake = FakeTmdb(CATALOGUE)
    first: AppClient = await make_client(
        tmdb_transport=fake.transport(),
        **(TMDB_SETTINGS | {"tmdb_max_connections": 1, "completion_people": 20}),
    )
    upload = await first.post("/api/upload", files=multipart(("e.zip", _export())))
    session_id = upload.json()["session_id"]
    await wait_completed(first, session_id)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60
    while loop.time() < deadline:  # the phase has stored a few items: TMDB hangs from now on
        status = (await first.get(f"/api/session/{session_id}/status")).json()
        if status["extras_done"] >= 3:
            fake.hold_after = fake.served
            break
        await asyncio.sleep(0.005)
    await first.app.state.runner.stop()  # the process goes away mid-phase
    async with engine.connect() as conn:
        stored = {
            f"/3/collection/{c}" for c in await conn.scalars(select(TmdbCollection.collection_id))
        }
        stored |= {
            f"/3/person/{p}/movie_credits" for p in await conn.scalars(select(TmdbPerson.person_id))
        }
        done, total = (
            await conn.execute(select(UploadSession.extras_done, UploadSession.extras_total))
        ).one()
    assert 3 <= done < total
    asked_before = len(fake.paths)

    fake.hold_after = None
    fake.release.set()
    second: AppClient = await make_client(
        tmdb_transport=fake.transport(), **(TMDB_SETTINGS | {"completion_people": 20})
    )
    for _ in range(3000):
        status = (await second.get(f"/api/session/{session_id}/status")).json()
        if status["extras_done"] == status["extras_total"] and status["extras_total"] > total - 1:
            break
        await asyncio.sleep(0.01)
    await second.app.state.runner.wait_idle()
    later = [p for p in fake.paths[asked_before:] if p.startswith(("/3/collection", "/3/person"))]
    assert later  # it resumed ...
    assert not set(later) & stored  # ... without asking again for what was stored
    assert len(later) == len(set(later))
    status = (await second.get(f"/api/session/{session_id}/status")).json()
    assert status["extras_done"] == status["extras_total"]
    body = (await second.get(f"/api/session/{session_id}/completion")).json()
    assert (_by_id(body["people"]["directors"])[777]["seen"], body["pending"]) == (4, False)
