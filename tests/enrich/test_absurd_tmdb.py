"""A TMDB answer with absurd fields never fails a job, a page or a statistic (issue 13, item
3): very long texts, a null title, integers beyond 64 bits, numbers that are not finite.
TMDB is faked at the HTTP boundary; the JSON is written as a careless server could write it
(Python's `json` reads `Infinity`, `NaN` and `1e999`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.models import TmdbMovie
from tests.fixtures.apps import AppClient
from tests.fixtures.exports import FILM, csv_text, multipart
from tests.fixtures.tmdb import TMDB_SETTINGS, FakeFilm, FakeTmdb
from tests.fixtures.uploads import wait_completed

JSON = "application/json"
HUGE = 2**80  # beyond 64 bits
LONG_TEXT = "Endless Title " + "x" * 100_000


@dataclass
class AbsurdFilm(FakeFilm):
    absurd: dict[str, Any] | None = None
    absurd_result: dict[str, Any] | None = None

    def result(self) -> dict[str, Any]:
        return super().result() | (self.absurd_result or {})

    def details(self) -> dict[str, Any]:
        return super().details() | (self.absurd or {})


class AbsurdTmdb(FakeTmdb):
    """FakeTmdb, answering with what a strict JSON encoder refuses: `"__NaN__"` in an answer
    is sent as NaN (likewise Infinity, 1e999)."""

    async def handle(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle(request)
        if response.status_code != 200:
            return response
        text = response.content.decode()
        for token in ("NaN", "Infinity", "1e999"):
            text = text.replace(f'"__{token}__"', token)
        return httpx.Response(200, content=text.encode(), headers={"Content-Type": JSON})


NUMBERS = AbsurdFilm(
    901,
    "Absurd Numbers",
    2001,
    absurd={
        "runtime": HUGE,
        "vote_count": -HUGE,
        "vote_average": "__NaN__",
        "popularity": "__1e999__",
        "genres": [{"id": HUGE, "name": "Huge"}, {"id": 18, "name": "Drama"}],
        "production_countries": [{"iso_3166_1": "X" * 10_000, "name": "Y" * 10_000}],
        "credits": {
            "cast": [
                {"id": HUGE, "name": "Big", "order": HUGE, "character": "c" * 50_000},
                {"id": 7, "name": "N" * 50_000, "order": 0, "profile_path": "/p" * 9_000},
            ],
            "crew": [{"id": -HUGE, "name": "Director", "job": "Director"}],
        },
        "keywords": {"keywords": [{"id": "__Infinity__", "name": "k" * 20_000}]},
    },
)
ENDLESS = AbsurdFilm(
    902, "Endless Title", 2002, absurd={"title": LONG_TEXT, "original_title": LONG_TEXT}
)
UNTITLED = AbsurdFilm(903, "No Title", 2003, absurd={"title": None, "original_title": "Sans titre"})
NOTHING = AbsurdFilm(904, "Nothing At All", 2004, absurd={"title": None, "original_title": None})
# A search result whose id is beyond 64 bits (the best "Heat" by far, were it a film), and one
# without any title.
HUGE_ID = AbsurdFilm(2**64, "Heat", 1995, absurd_result={"id": HUGE, "popularity": "__Infinity__"})
NULL_RESULT = AbsurdFilm(
    905,
    "Heat",
    1995,
    popularity=1,
    absurd_result={"title": None, "original_title": None, "popularity": "__1e999__"},
)
FILMS = [
    NUMBERS,
    ENDLESS,
    UNTITLED,
    NOTHING,
    HUGE_ID,
    NULL_RESULT,
    FakeFilm(949, "Heat", 1995, popularity=40),
]
ROWS = [
    "2024-01-02,Absurd Numbers,2001,https://boxd.it/a",
    "2024-01-03,Endless Title,2002,https://boxd.it/b",
    "2024-01-04,No Title,2003,https://boxd.it/c",
    "2024-01-05,Nothing At All,2004,https://boxd.it/d",
    "2024-01-06,Heat,1995,https://boxd.it/e",
]


async def test_absurd_tmdb_answers_never_fail_a_session(
    make_client: Any, engine: AsyncEngine
) -> None:
    fake = AbsurdTmdb(list(FILMS))
    client: AppClient = await make_client(tmdb_transport=fake.transport(), **TMDB_SETTINGS)
    upload = await client.post(
        "/api/upload", files=multipart(("watched.csv", csv_text(FILM, ROWS)))
    )
    assert upload.status_code == 202, upload.text
    session_id = upload.json()["session_id"]
    status = await wait_completed(client, session_id)
    assert status["status"] == "completed", status
    assert (status["matched_count"], status["failed_count"]) == (5, 0), status

    movies = await client.get(f"/api/session/{session_id}/movies")
    assert movies.status_code == 200, movies.text
    tmdb_ids = {m["title"]: m["tmdb_id"] for m in movies.json()["items"]}
    assert tmdb_ids == {
        "Absurd Numbers": 901,
        "Endless Title": 902,
        "No Title": 903,
        "Nothing At All": 904,
        "Heat": 949,
    }
    stats = await client.get(f"/api/session/{session_id}/stats")
    assert stats.status_code == 200, stats.text
    assert stats.json()["totals"]["tmdb_based_on"] == 5
    assert len(stats.content) < 200_000
    for path in ("export.json", "export.csv"):
        assert (await client.get(f"/api/session/{session_id}/{path}")).status_code == 200

    async with engine.connect() as conn:
        rows = {r.tmdb_id: r for r in (await conn.execute(select(TmdbMovie))).all()}
    numbers = rows[901]
    assert (numbers.runtime, numbers.vote_count, numbers.popularity) == (None, None, None)
    assert numbers.vote_average is None
    assert [g["id"] for g in numbers.data["genres"]] == [None, 18]
    assert len(json.dumps(numbers.data)) < 10_000
    assert len(rows[902].title) == 500
    assert rows[903].title == "Sans titre"
    assert rows[904].title == ""


async def test_the_review_search_shows_absurd_results_as_they_can_be(make_client: Any) -> None:
    fake = AbsurdTmdb(list(FILMS))
    client: AppClient = await make_client(tmdb_transport=fake.transport(), **TMDB_SETTINGS)
    upload = await client.post(
        "/api/upload", files=multipart(("watched.csv", csv_text(FILM, ROWS[:1])))
    )
    session_id = upload.json()["session_id"]
    await wait_completed(client, session_id)
    for query in ("Heat", "Endless", "Absurd"):
        found = await client.get(f"/api/session/{session_id}/tmdb/search", params={"query": query})
        assert found.status_code == 200, found.text
        for item in found.json()["results"]:
            assert 0 < item["tmdb_id"] < 2**31
            assert len(item["title"]) <= 500
    heat = await client.get(f"/api/session/{session_id}/tmdb/search", params={"query": "Heat"})
    assert sorted(item["tmdb_id"] for item in heat.json()["results"]) == [905, 949]
