"""GET /api/compare/{a}/{b} on two libraries uploaded and enriched against the fake TMDB:
the figures known in advance; `b` must be a share id; nothing private in the answer."""

from __future__ import annotations

from typing import Any

from tests.fixtures.apps import AppClient
from tests.fixtures.exports import FILM, PROFILE, RATINGS, REVIEWS, csv_text, make_zip, multipart
from tests.fixtures.tmdb import TMDB_SETTINGS, FakeFilm, FakeTmdb
from tests.fixtures.uploads import wait_completed

CATALOGUE = [
    FakeFilm(949, "Heat", 1995),
    FakeFilm(348, "Alien", 1979),
    FakeFilm(593, "Solaris", 1972),
    FakeFilm(11645, "Ran", 1985),
    FakeFilm(1398, "Stalker", 1979),
    FakeFilm(19, "Metropolis", 1927),
]


def _export(user: str, ratings: dict[str, str], watchlist: list[str], review: str) -> bytes:
    years = {f.title: f.year for f in CATALOGUE}
    return make_zip(
        {
            "watched.csv": csv_text(FILM, [f"2024-01-01,{t},{years[t]}," for t in ratings]),
            "ratings.csv": csv_text(
                RATINGS, [f"2024-01-01,{t},{years[t]},,{r}" for t, r in ratings.items() if r]
            ),
            "watchlist.csv": csv_text(FILM, [f"2024-01-01,{t},{years[t]}," for t in watchlist]),
            "reviews.csv": csv_text(
                REVIEWS,
                [f"2024-01-02,{next(iter(ratings))},1995,,4,,{review},,2024-01-01"],
            ),
            "profile.csv": csv_text(PROFILE, [f"2020-01-01,{user},,,,,,,,"]),
        }
    )


async def _library(client: AppClient, export: bytes) -> str:
    upload = await client.post("/api/upload", files=multipart(("e.zip", export)))
    assert upload.status_code == 202, upload.text
    session_id: str = upload.json()["session_id"]
    assert (await wait_completed(client, session_id))["status"] == "completed"
    await client.app.state.runner.wait_idle()
    return session_id


async def _two(make_client: Any) -> tuple[AppClient, str, str, str]:
    """a (owner id), b (owner id), b's share id."""
    client: AppClient = await make_client(
        tmdb_transport=FakeTmdb(CATALOGUE).transport(), **TMDB_SETTINGS
    )
    # both watched Heat, Alien, Solaris (both rated all three; Solaris 5 against 1 star)
    a = await _library(
        client,
        _export("anna", {"Heat": "4.5", "Alien": "4", "Solaris": "5", "Ran": "4"},
                ["Stalker", "Metropolis"], "SECRET-REVIEW-A"),
    )  # fmt: skip
    b = await _library(
        client,
        _export("ben", {"Heat": "4.5", "Alien": "3.5", "Solaris": "1", "Metropolis": "4.5"},
                ["Stalker", "Ran"], "SECRET-REVIEW-B"),
    )  # fmt: skip
    shared = await client.post(f"/api/session/{b}/share")
    assert shared.status_code in (200, 201), shared.text
    return client, a, b, shared.json()["share_id"]


async def test_two_libraries_compared(make_client: Any) -> None:
    client, a, b, b_share = await _two(make_client)
    answer = await client.get(f"/api/compare/{a}/{b_share}")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["a"]["name"], body["b"]["name"]) == ("anna", "ben")
    assert body["overlap"]["films"] == 3
    assert body["overlap"]["rated"] == 3
    assert body["overlap"]["jaccard"] == round(3 / (4 + 4 - 3), 4)
    assert body["compatibility"]["score"] is None  # 3 co-rated films: too few
    assert body["compatibility"]["taste_similarity"] is not None
    first = body["agreements"]["disagreements"][0]
    assert (first["title"], first["rating_a"], first["rating_b"], first["gap"]) == (
        "Solaris", 5.0, 1.0, 4.0,
    )  # fmt: skip
    assert [f["title"] for f in body["watch_together"]["both"]] == ["Stalker"]
    loved = {(f["title"], f["on_watchlist_of"]) for f in
             body["watch_together"]["one_watchlist_other_loved"]}  # fmt: skip
    assert loved == {("Metropolis", "a"), ("Ran", "b")}
    for_b = body["recommendations"]["for_b"]
    assert [(r["title"], r["on_watchlist"]) for r in for_b] == [("Ran", True)]
    for private in (a, b, b_share, "SECRET-REVIEW"):
        assert private not in answer.text


async def test_b_must_be_a_share_id(make_client: Any) -> None:
    client, a, b, b_share = await _two(make_client)
    unknown = "00000000-0000-4000-8000-000000000000"
    by_owner_id = await client.get(f"/api/compare/{a}/{b}")
    by_unknown = await client.get(f"/api/compare/{a}/{unknown}")
    assert by_owner_id.status_code == by_unknown.status_code == 404
    assert by_owner_id.json() == by_unknown.json()  # indistinguishable
    assert (await client.get(f"/api/compare/{unknown}/{b_share}")).status_code == 404
    assert (await client.get(f"/api/compare/not-an-id/{b_share}")).status_code == 404
    # a share id as a: a friend compares two shared libraries
    a_share = (await client.post(f"/api/session/{a}/share")).json()["share_id"]
    both_shared = await client.get(f"/api/compare/{a_share}/{b_share}")
    assert both_shared.status_code == 200
    assert both_shared.json()["overlap"]["films"] == 3
    # revoked: gone
    assert (await client.delete(f"/api/session/{b}/share")).status_code == 204
    assert (await client.get(f"/api/compare/{a}/{b_share}")).status_code == 404


async def test_an_answer_follows_a_change_of_either_library(make_client: Any) -> None:
    client, a, _b, b_share = await _two(make_client)
    before = (await client.get(f"/api/compare/{a}/{b_share}")).json()
    again = (await client.get(f"/api/compare/{a}/{b_share}")).json()
    assert again == before
    # a fixes Solaris to another film: no longer the film b rated 1 star
    fixed = await client.put(f"/api/session/{a}/movies/3/match", json={"tmdb_id": 1398})
    assert fixed.status_code == 200, fixed.text
    after = (await client.get(f"/api/compare/{a}/{b_share}")).json()
    assert after["overlap"]["films"] == 2
    assert all(d["title"] != "Solaris" for d in after["agreements"]["disagreements"])
