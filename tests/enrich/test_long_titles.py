"""No title length fails a job: match keys always fit their column (issue 13, item 3).

The keys of the global match cache are derived from the normalised title, which can be much
longer than the title itself (NFKD expands some characters, `&` becomes `and`). On PostgreSQL a
key longer than its column used to fail the whole session, or the watchlist at every restart.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.ingest import repository
from letterboxd_stats.ingest.library import build_library
from letterboxd_stats.ingest.records import FilmRow, ParsedExport
from letterboxd_stats.models import Film, TmdbMatch, WatchlistEntry
from tests.fixtures.apps import AppClient
from tests.fixtures.exports import FILM, csv_text, make_zip, multipart
from tests.fixtures.tmdb import TMDB_SETTINGS, FakeFilm, FakeTmdb
from tests.fixtures.uploads import wait_completed

LONG_TITLE = ("Longest Title Ever Typed " * 24)[:596]  # as an old import stored it
EXPANDING_TITLE = "\ufdfa" * 40  # 40 characters; NFKD makes each of them 18


async def _old_import(client: AppClient, export: ParsedExport) -> str:
    """A session as an import before the title bound stored it, then its job."""
    session_id = uuid.uuid4()
    async with client.app.state.sessionmaker() as db, db.begin():
        await repository.insert_library(
            db,
            session_id,
            build_library(export),
            now=datetime.now(UTC),
            trace_id=None,
        )
    await client.app.state.runner.submit(session_id)
    await client.app.state.runner.wait_idle()
    return str(session_id)


async def test_a_596_character_title_completes_its_session(
    make_client: Any, engine: AsyncEngine
) -> None:
    fake = FakeTmdb([FakeFilm(900001, LONG_TITLE, 1999), FakeFilm(949, "Heat", 1995)])
    client: AppClient = await make_client(tmdb_transport=fake.transport(), **TMDB_SETTINGS)
    on = date(2024, 1, 2)
    session_id = await _old_import(
        client,
        ParsedExport(
            watched=[FilmRow(on, LONG_TITLE, 1999, None), FilmRow(on, "Heat", 1995, None)]
        ),
    )
    status = (await client.get(f"/api/session/{session_id}/status")).json()
    assert status["status"] == "completed", status
    assert status["matched_count"] == status["total_movies"] == 2
    async with engine.connect() as conn:
        films = dict((await conn.execute(select(Film.title, Film.tmdb_id))).all())
        keys = (await conn.execute(select(TmdbMatch.match_key))).scalars().all()
    assert films == {LONG_TITLE: 900001, "Heat": 949}
    assert max(len(key) for key in keys) <= 255

    # the same film again costs no search: the bounded key is the same key
    searches = fake.requests["search"]
    again = await _old_import(client, ParsedExport(watched=[FilmRow(on, LONG_TITLE, 1999, None)]))
    assert (await client.get(f"/api/session/{again}/status")).json()["matched_count"] == 1
    assert fake.requests["search"] == searches


async def test_a_long_watchlist_title_is_enriched(make_client: Any, engine: AsyncEngine) -> None:
    fake = FakeTmdb([FakeFilm(900001, LONG_TITLE, 1999), FakeFilm(949, "Heat", 1995)])
    client: AppClient = await make_client(tmdb_transport=fake.transport(), **TMDB_SETTINGS)
    on = date(2024, 1, 2)
    await _old_import(
        client,
        ParsedExport(
            watched=[FilmRow(on, "Heat", 1995, None)],
            watchlist=[FilmRow(on, LONG_TITLE, 1999, None)],
        ),
    )
    async with engine.connect() as conn:
        rows = (
            await conn.execute(select(WatchlistEntry.match_status, WatchlistEntry.tmdb_id))
        ).all()
    assert [(str(status), tmdb_id) for status, tmdb_id in rows] == [("matched", 900001)]


async def test_a_title_whose_normalised_form_outgrows_the_key_column(
    make_client: Any, engine: AsyncEngine
) -> None:
    """Accepted at import (40 characters); its normalised key is 725 characters long."""
    fake = FakeTmdb([FakeFilm(900002, EXPANDING_TITLE, 2001)])
    client: AppClient = await make_client(tmdb_transport=fake.transport(), **TMDB_SETTINGS)
    export = {"watched.csv": csv_text(FILM, [f"2024-01-02,{EXPANDING_TITLE},2001,"])}
    upload = await client.post("/api/upload", files=multipart(("e.zip", make_zip(export))))
    assert upload.status_code == 202, upload.text
    status = await wait_completed(client, upload.json()["session_id"])
    assert status["status"] == "completed", status
    assert status["matched_count"] == 1
    async with engine.connect() as conn:
        (key,) = (await conn.execute(select(TmdbMatch.match_key))).scalars().all()
    assert len(key) <= 255
