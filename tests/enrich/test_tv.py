"""TV entries (miniseries, specials) that Letterboxd lists: matched through TMDB's TV search
once the movie searches end without a confident match, fetched with their aggregate credits,
stored apart from the movie of the same number, counted as films. TMDB faked at the HTTP
boundary."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.models import Film, TmdbKind, TmdbMatch, TmdbMovie
from tests.fixtures.apps import AppClient
from tests.fixtures.exports import FILM, RATINGS, csv_text, make_zip, multipart
from tests.fixtures.tmdb import TMDB_SETTINGS, FakeFilm, FakeSeries, FakeTmdb
from tests.fixtures.uploads import movies_by_title, wait_completed

CHERNOBYL = FakeSeries(87108, "Chernobyl", 2019, episodes=5, episode_minutes=(60, 70))
# A movie with the series' number: the two ids are two spaces, both are stored.
SAME_NUMBER = FakeFilm(87108, "Parasite", 2019, popularity=80)
HEAT = FakeFilm(949, "Heat", 1995, popularity=40)
# A film whose title a series also carries: the movie matches confidently, TV is not asked.
FARGO_FILM = FakeFilm(275, "Fargo", 1996, popularity=30)
FARGO_SERIES = FakeSeries(60622, "Fargo", 1996, episodes=10)


async def _enrich(make_client: Any, fake: FakeTmdb, films: list[str]) -> tuple[AppClient, str]:
    client: AppClient = await make_client(tmdb_transport=fake.transport(), **TMDB_SETTINGS)
    watched = csv_text(FILM, [f"2024-01-01,{f},https://boxd.it/t{n}" for n, f in enumerate(films)])
    rated = csv_text(RATINGS, [f"2024-01-01,{films[0]},https://boxd.it/t0,4.5"])
    upload = await client.post(
        "/api/upload",
        files=multipart(("e.zip", make_zip({"watched.csv": watched, "ratings.csv": rated}))),
    )
    assert upload.status_code == 202, upload.text
    session_id = upload.json()["session_id"]
    status = await wait_completed(client, session_id)
    await client.app.state.runner.wait_idle()
    assert status["status"] == "completed"
    return client, session_id


async def test_a_miniseries_is_matched_on_tv_and_kept_as_a_series(
    make_client: Any, engine: AsyncEngine
) -> None:
    fake = FakeTmdb([SAME_NUMBER, HEAT], series=[CHERNOBYL])
    client, session_id = await _enrich(make_client, fake, ["Chernobyl,2019", "Parasite,2019"])

    movies = await movies_by_title(client, session_id)
    series = movies["Chernobyl"]
    assert series["match_status"] == "matched"
    assert (series["tmdb_id"], series["tmdb_kind"]) == (87108, "tv")
    assert series["match_method"] == "tv_first_air_date_year"
    assert series["runtime"] == 65 * 5  # the mean episode length times the episodes
    assert series["release_date"] == "2019-05-06"
    assert series["directors"] == [
        {"id": 6000 + 87108, "name": "Series Director 87108", "profile_path": None}
    ]  # once, however many episodes they directed
    assert [c["name"] for c in series["cast"]] == ["Series Lead 87108"]
    film = movies["Parasite"]
    assert (film["tmdb_id"], film["tmdb_kind"]) == (87108, "movie")
    assert film["runtime"] == 100 + 87108 % 50  # its own metadata, not the series'
    assert fake.requests["tv"] == 1

    async with engine.connect() as conn:
        stored = set((await conn.execute(select(TmdbMovie.tmdb_id, TmdbMovie.kind))).all())
        kinds = dict((await conn.execute(select(Film.title, Film.tmdb_kind))).all())
        cached = dict((await conn.execute(select(TmdbMatch.title, TmdbMatch.tmdb_kind))).all())
    assert stored == {(87108, TmdbKind.tv), (87108, TmdbKind.movie)}
    assert kinds == {"Chernobyl": TmdbKind.tv, "Parasite": TmdbKind.movie}
    assert cached["Chernobyl"] is TmdbKind.tv


async def test_a_series_counts_as_a_film_in_the_statistics(make_client: Any) -> None:
    fake = FakeTmdb([HEAT], series=[CHERNOBYL])
    client, session_id = await _enrich(make_client, fake, ["Chernobyl,2019", "Heat,1995"])
    stats = (await client.get(f"/api/session/{session_id}/stats")).json()
    assert stats["totals"]["films"] == 2
    assert stats["totals"]["tmdb_based_on"] == 2  # both have TMDB data
    assert stats["totals"]["hours_based_on"] == 2
    assert stats["totals"]["hours"] == round((65 * 5 + 100 + 949 % 50) / 60, 1)
    directors = {p["name"] for p in stats["people"]["directors"]["most_watched"]}
    assert directors == {"Series Director 87108", "Director 949"}
    assert stats["coverage"]["films"]["with_tmdb_data"] == 2


async def test_a_confident_movie_match_never_asks_tv(make_client: Any) -> None:
    fake = FakeTmdb([FARGO_FILM, HEAT], series=[FARGO_SERIES])
    client, session_id = await _enrich(make_client, fake, ["Fargo,1996", "Heat,1995"])
    movies = await movies_by_title(client, session_id)
    assert (movies["Fargo"]["tmdb_id"], movies["Fargo"]["tmdb_kind"]) == (275, "movie")
    assert fake.requests["search_tv"] == 0
    assert fake.requests["tv"] == 0


async def test_nothing_on_tv_either_leaves_the_film_unmatched(make_client: Any) -> None:
    fake = FakeTmdb([HEAT], series=[CHERNOBYL])
    client, session_id = await _enrich(make_client, fake, ["No Such Thing,2001", "Heat,1995"])
    missing = (await movies_by_title(client, session_id))["No Such Thing"]
    assert missing["match_status"] == "unmatched"
    assert (missing["tmdb_id"], missing["tmdb_kind"]) == (None, None)
    assert fake.requests["search_tv"] == 1  # one question: the series first aired that year


async def test_a_failing_tv_search_keeps_the_movie_decision(make_client: Any) -> None:
    fake = FakeTmdb([HEAT], series=[CHERNOBYL], failing_paths={"/3/search/tv"})
    client: AppClient = await make_client(
        tmdb_transport=fake.transport(), **(TMDB_SETTINGS | {"tmdb_max_attempts": 1})
    )
    rows = ["2024-01-01,Chernobyl,2019,https://boxd.it/c1"]
    upload = await client.post(
        "/api/upload",
        files=multipart(("e.zip", make_zip({"watched.csv": csv_text(FILM, rows)}))),
    )
    status = await wait_completed(client, upload.json()["session_id"])
    assert status["status"] == "completed"
    film = (await movies_by_title(client, upload.json()["session_id"]))["Chernobyl"]
    assert film["match_status"] == "unmatched"  # what the movie searches said, not failed
    assert status["failed_count"] == 0
    assert fake.requests["search_tv"] == 1  # its one attempt, answered 503


async def test_the_review_search_finds_series_and_a_pick_makes_the_film_one(
    make_client: Any,
) -> None:
    fake = FakeTmdb([HEAT, SAME_NUMBER], series=[CHERNOBYL])
    client, session_id = await _enrich(make_client, fake, ["Parasite,2019", "Heat,1995"])
    url = f"/api/session/{session_id}/tmdb/search"

    found = await client.get(url, params={"query": "chernobyl", "year": 2019, "kind": "tv"})
    movies = await client.get(url, params={"query": "chernobyl", "year": 2019})
    assert found.status_code == 200, found.text
    assert [(c["tmdb_id"], c["kind"], c["title"], c["year"]) for c in found.json()["results"]] == [
        (87108, "tv", "Chernobyl", 2019)
    ]
    assert movies.json()["results"] == []  # a movie search does not see series
    parasite = (await movies_by_title(client, session_id))["Parasite"]

    picked = await client.put(
        f"/api/session/{session_id}/movies/{parasite['movie_id']}/match",
        json={"tmdb_id": 87108, "kind": "tv"},
    )
    assert picked.status_code == 200, picked.text
    body = picked.json()
    assert (body["tmdb_id"], body["tmdb_kind"], body["match_method"]) == (87108, "tv", "user")
    assert body["tmdb_title"] == "Chernobyl"
    assert body["runtime"] == 65 * 5
    stats = (await client.get(f"/api/session/{session_id}/stats")).json()
    assert "Series Director 87108" in {
        p["name"] for p in stats["people"]["directors"]["most_watched"]
    }


async def test_a_pick_of_an_unknown_kind_is_refused(make_client: Any) -> None:
    fake = FakeTmdb([HEAT])
    client, session_id = await _enrich(make_client, fake, ["Heat,1995"])
    heat = (await movies_by_title(client, session_id))["Heat"]
    refused = await client.put(
        f"/api/session/{session_id}/movies/{heat['movie_id']}/match",
        json={"tmdb_id": 949, "kind": "book"},
    )
    search = await client.get(
        f"/api/session/{session_id}/tmdb/search", params={"query": "heat", "kind": "book"}
    )
    assert (refused.status_code, search.status_code) == (422, 422)


async def test_with_tv_search_off_only_movies_are_asked(make_client: Any) -> None:
    fake = FakeTmdb([HEAT], series=[CHERNOBYL])
    client: AppClient = await make_client(
        tmdb_transport=fake.transport(), **(TMDB_SETTINGS | {"tmdb_search_tv": False})
    )
    rows = ["2024-01-01,Chernobyl,2019,https://boxd.it/c1"]
    upload = await client.post(
        "/api/upload",
        files=multipart(("e.zip", make_zip({"watched.csv": csv_text(FILM, rows)}))),
    )
    status = await wait_completed(client, upload.json()["session_id"])
    assert status["unmatched_count"] == 1
    assert fake.requests["search_tv"] == 0


async def test_a_movie_and_a_series_of_one_number_count_apart_in_the_stats(
    make_client: Any,
) -> None:
    fake = FakeTmdb([SAME_NUMBER, HEAT], series=[CHERNOBYL])
    client, session_id = await _enrich(make_client, fake, ["Chernobyl,2019", "Parasite,2019"])
    movies = await movies_by_title(client, session_id)
    runtimes = movies["Chernobyl"]["runtime"], movies["Parasite"]["runtime"]
    assert runtimes[0] != runtimes[1]
    stats = (await client.get(f"/api/session/{session_id}/stats")).json()
    assert stats["totals"]["hours_based_on"] == 2
    assert stats["totals"]["hours"] == round(sum(runtimes) / 60, 1)
