"""`watch/providers` on the stand-in (JustWatch's data in TMDB v3's shape): appended to
`movie/{id}` and `tv/{id}`, and standalone with `id`; deterministic per work and region; some
works offered nowhere; counted as `watch_providers` by /__stats."""

from __future__ import annotations

from typing import Any

import pytest
from standin.providers import OFFER_TYPES, PROVIDERS, REGIONS, offered_regions, offers
from standin.sources import default_data_dir, load_films

from standin import TV_ID_MIN
from tests.fixtures.standin import AUTH, HAS_SHARED_DATA, NEEDS_SHARED_DATA, client_for, tiny

OFFER_KEYS = ["logo_path", "provider_id", "provider_name", "display_priority"]
PART = "watch/providers"
CHERNOBYL = TV_ID_MIN + 1
SLUGS = {  # TMDB's slugs of TINY_FILMS' titles
    1: "solaris", 2: "solaris", 3: "alien", 4: "aliens", 5: "the-alien-within",
    6: "nation-of-the-alien", 7: "alien-nation", 8: "amelie",
}  # fmt: skip
NOT_FOUND = (
    b'{"success":false,"status_code":34,'
    b'"status_message":"The resource you requested could not be found."}'
)
REAL = {
    8: "Netflix", 9: "Amazon Prime Video", 10: "Amazon Video", 2: "Apple TV",
    3: "Google Play Movies", 337: "Disney Plus", 1899: "Max", 15: "Hulu", 11: "MUBI",
    258: "Criterion Channel", 191: "Kanopy", 73: "Tubi TV", 300: "Pluto TV", 192: "YouTube",
    531: "Paramount Plus",
}  # fmt: skip


def assert_tmdb_shape(results: dict[str, Any], kind: str, work: str) -> None:
    """Every region: `link` first, then only non-empty offer types, each offer TMDB's four
    fields (a known provider), by display priority."""
    assert set(results) <= set(REGIONS)
    for region, offered in results.items():
        assert next(iter(offered)) == "link"
        assert offered["link"] == (
            f"https://www.themoviedb.org/{kind}/{work}/watch?locale={region}"
        )
        types = list(offered)[1:]
        assert types == [t for t in OFFER_TYPES if t in types]
        assert {"rent", "buy"} <= set(types)
        for offer_type in types:
            listed = offered[offer_type]
            assert listed  # present only when non-empty
            for offer in listed:
                assert list(offer) == OFFER_KEYS
                assert REAL[offer["provider_id"]] == offer["provider_name"]
                assert offer["logo_path"].startswith("/")
                assert offer["logo_path"].endswith(".jpg")
                assert isinstance(offer["display_priority"], int)
            priorities = [offer["display_priority"] for offer in listed]
            assert priorities == sorted(priorities)
            assert len({offer["provider_id"] for offer in listed}) == len(listed)
        assert len(offered.get("flatrate", [])) <= 2
        assert 1 <= len(offered["rent"]) <= 3
        assert 1 <= len(offered["buy"]) <= 3
        assert len(offered.get("ads", [])) <= 1
        assert len(offered.get("free", [])) <= 1


def test_the_provider_table_is_tmdbs() -> None:
    assert {p.id: p.name for p in PROVIDERS} == REAL
    assert len({p.logo_path for p in PROVIDERS}) == len(PROVIDERS)
    kinds = {p.name: p.offers for p in PROVIDERS}
    assert kinds["Netflix"] == {"flatrate"}
    assert kinds["Apple TV"] == kinds["YouTube"] == {"rent", "buy"}
    assert kinds["Kanopy"] == {"free"}
    assert kinds["Tubi TV"] == {"ads", "free"}


def test_some_films_are_offered_nowhere_most_in_the_us() -> None:
    regions = {film_id: offered_regions("movie", film_id) for film_id in range(1, 51)}
    nowhere = [film_id for film_id, found in regions.items() if not found]
    in_us = [film_id for film_id, found in regions.items() if "US" in found]
    assert 3 <= len(nowhere) <= 20
    assert len(in_us) >= 25
    assert all(offers("movie", film_id, "US") == {} for film_id in nowhere)
    # a work is drawn by (kind, id): a series and a film of one number differ somewhere
    assert any(offered_regions("tv", n) != regions[n] for n in regions)


async def test_movie_standalone_shape_and_same_as_appended() -> None:
    async with client_for(tiny()) as client:
        for film_id in range(1, 9):
            standalone = await client.get(f"/3/movie/{film_id}/{PART}", params=AUTH)
            appended = await client.get(
                f"/3/movie/{film_id}", params={"append_to_response": f"credits,{PART}", **AUTH}
            )
            assert standalone.status_code == appended.status_code == 200
            assert standalone.headers["cache-control"] == "public, max-age=28800"
            body, details = standalone.json(), appended.json()
            assert list(body) == ["id", "results"]
            assert body["id"] == film_id
            assert details[PART] == {"results": body["results"]}
            assert "credits" in details
            assert_tmdb_shape(body["results"], "movie", f"{film_id}-{SLUGS[film_id]}")


async def test_deterministic_across_two_servers() -> None:
    async def everything() -> list[Any]:
        async with client_for(tiny()) as client:
            return [
                (await client.get(f"/3/movie/{film_id}/{PART}", params=AUTH)).json()
                for film_id in range(1, 9)
            ] + [(await client.get(f"/3/tv/{CHERNOBYL}/{PART}", params=AUTH)).json()]

    first, second = await everything(), await everything()
    assert first == second
    assert any(body["results"] for body in first)


@pytest.mark.parametrize("movie_id", ["999", "0", "abc", "-1"])
async def test_unknown_film_is_the_recorded_404(movie_id: str) -> None:
    async with client_for(tiny()) as client:
        answer = await client.get(f"/3/movie/{movie_id}/{PART}", params=AUTH)
        unknown_tv = await client.get(f"/3/tv/{movie_id}/{PART}", params=AUTH)
        unknown_part = await client.get("/3/movie/1/watch/elsewhere", params=AUTH)
    for response in (answer, unknown_tv, unknown_part):
        assert response.status_code == 404
        assert response.content == NOT_FOUND


async def test_tv_standalone_and_appended() -> None:
    async with client_for(tiny()) as client:
        standalone = await client.get(f"/3/tv/{CHERNOBYL}/{PART}", params=AUTH)
        appended = await client.get(
            f"/3/tv/{CHERNOBYL}", params={"append_to_response": f"keywords,{PART}", **AUTH}
        )
        as_movie = await client.get(f"/3/movie/{CHERNOBYL}/{PART}", params=AUTH)
    assert standalone.status_code == appended.status_code == 200
    body = standalone.json()
    assert list(body) == ["id", "results"]
    assert body["id"] == CHERNOBYL
    assert appended.json()[PART] == {"results": body["results"]}
    assert_tmdb_shape(body["results"], "tv", f"{CHERNOBYL}-chernobyl")
    assert as_movie.status_code == 404  # a TV id is never a movie id here


async def test_synthesised_films_have_providers() -> None:
    params = {"query": "The Unmade Picture", "year": "1987", **AUTH}
    async with client_for(tiny(synthesise=True)) as client:
        (found,) = (await client.get("/3/search/movie", params=params)).json()["results"]
        standalone = await client.get(f"/3/movie/{found['id']}/{PART}", params=AUTH)
        appended = await client.get(
            f"/3/movie/{found['id']}", params={"append_to_response": PART, **AUTH}
        )
    assert standalone.status_code == 200
    body = standalone.json()
    assert body["id"] == found["id"]
    assert appended.json()[PART] == {"results": body["results"]}
    assert_tmdb_shape(body["results"], "movie", f"{found['id']}-the-unmade-picture")


async def test_stats_count_standalone_requests_as_watch_providers() -> None:
    async with client_for(tiny()) as client:
        await client.get(f"/3/movie/1/{PART}", params=AUTH)
        await client.get(f"/3/movie/999/{PART}", params=AUTH)
        await client.get(f"/3/tv/{CHERNOBYL}/{PART}", params=AUTH)
        await client.get("/3/movie/1", params={"append_to_response": PART, **AUTH})
        await client.get(f"/3/tv/{CHERNOBYL}", params={"append_to_response": PART, **AUTH})
        stats = (await client.get("/__stats")).json()
    assert stats["by_endpoint"]["watch_providers"] == 3
    assert stats["by_endpoint"]["movie"] == 1
    assert stats["by_endpoint"]["tv"] == 1
    assert [entry["endpoint"] for entry in stats["recent_requests"]] == [
        "watch_providers",
        "watch_providers",
        "watch_providers",
        "movie",
        "tv",
    ]


@pytest.mark.shared_data
@pytest.mark.skipif(not HAS_SHARED_DATA, reason=NEEDS_SHARED_DATA)
async def test_the_real_catalogue_first_films() -> None:
    """Over the first 50 films of the real catalogue: some offered nowhere, some in the US."""
    first = sorted(film.id for film in load_films(default_data_dir().resolve()))[:50]
    async with client_for(tiny(data_dir=None, extra_films=())) as client:
        answers = [
            (await client.get(f"/3/movie/{film_id}/{PART}", params=AUTH)).json()
            for film_id in first
        ]
    assert [body["id"] for body in answers] == first
    assert any(body["results"] == {} for body in answers)
    assert any("US" in body["results"] for body in answers)
    for body in answers:
        assert set(body["results"]) <= set(REGIONS)
