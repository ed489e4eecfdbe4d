"""The global match cache is keyed by a film's Letterboxd identity when its link gives one
(issue 15 §3): two different films with one title and year never share an answer, the same
film in another library (in either link form it was exported with) costs no search, and a
film without a link falls back to title + year."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.models import Film, TmdbMatch
from tests.fixtures.apps import AppClient
from tests.fixtures.exports import FILM, csv_text, make_zip, multipart
from tests.fixtures.tmdb import TMDB_SETTINGS, FakeFilm, FakeTmdb
from tests.fixtures.uploads import wait_completed

SOLARIS = FakeFilm(593, "Solaris", 1972, popularity=20)


async def _library(client: AppClient, rows: list[str]) -> str:
    upload = await client.post(
        "/api/upload",
        files=multipart(("e.zip", make_zip({"watched.csv": csv_text(FILM, rows)}))),
    )
    assert upload.status_code == 202, upload.text
    session_id: str = upload.json()["session_id"]
    assert (await wait_completed(client, session_id))["status"] == "completed"
    await client.app.state.runner.wait_idle()
    return session_id


async def _keys(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        return set((await conn.execute(select(TmdbMatch.match_key))).scalars())


async def test_two_films_of_one_title_and_year_get_answers_of_their_own(
    make_client: Any, engine: AsyncEngine
) -> None:
    fake = FakeTmdb([SOLARIS])
    client: AppClient = await make_client(tmdb_transport=fake.transport(), **TMDB_SETTINGS)
    await _library(client, ["2024-01-01,Solaris,1972,https://boxd.it/aaa"])
    searched = fake.requests["search"]
    await _library(client, ["2024-01-01,Solaris,1972,https://boxd.it/bbb"])  # another film
    assert fake.requests["search"] == 2 * searched  # its own search, not the other's answer
    assert await _keys(engine) == {"uri:boxd:aaa", "uri:boxd:bbb"}


async def test_the_same_film_in_another_library_costs_no_search(
    make_client: Any, engine: AsyncEngine
) -> None:
    fake = FakeTmdb([SOLARIS])
    client: AppClient = await make_client(tmdb_transport=fake.transport(), **TMDB_SETTINGS)
    await _library(client, ["2024-01-01,Solaris,1972,https://letterboxd.com/film/solaris/"])
    searched = fake.requests["search"]
    again = await _library(client, ["2024-01-01,Solaris,1972,http://letterboxd.com/film/Solaris"])
    assert fake.requests["search"] == searched  # one key for both forms of the link
    assert await _keys(engine) == {"uri:slug:solaris"}
    async with engine.connect() as conn:
        tmdb_id = (
            await conn.execute(select(Film.tmdb_id).where(Film.session_id == uuid.UUID(again)))
        ).scalar_one()
    assert tmdb_id == 593


async def test_a_film_without_a_link_is_keyed_by_title_and_year(
    make_client: Any, engine: AsyncEngine
) -> None:
    fake = FakeTmdb([SOLARIS])
    client: AppClient = await make_client(tmdb_transport=fake.transport(), **TMDB_SETTINGS)
    await _library(client, ["2024-01-01,Solaris,1972,"])
    assert await _keys(engine) == {"solaris|1972"}
