"""TV on the stand-in: `search/tv` and `tv/{id}` with `aggregate_credits` and `keywords`, in
TMDB v3's shapes, behind the same auth, rate limit, faults and 404s as the movie endpoints."""

from __future__ import annotations

import pytest
from standin.synthesis import SYNTHETIC_ID_MIN

from standin import TV_ID_MIN, tv_titles
from tests.fixtures.standin import AUTH, client_for, tiny

SEARCH_TV_KEYS = [
    "adult", "backdrop_path", "genre_ids", "id", "origin_country", "original_language",
    "original_name", "overview", "popularity", "poster_path", "first_air_date", "name",
    "vote_average", "vote_count",
]  # fmt: skip
TV_KEYS = [
    "adult", "backdrop_path", "created_by", "episode_run_time", "first_air_date", "genres",
    "homepage", "id", "in_production", "languages", "last_air_date", "last_episode_to_air",
    "name", "next_episode_to_air", "networks", "number_of_episodes", "number_of_seasons",
    "origin_country", "original_language", "original_name", "overview", "popularity",
    "poster_path", "production_companies", "production_countries", "seasons",
    "spoken_languages", "status", "tagline", "type", "vote_average", "vote_count",
]  # fmt: skip
PERSON_KEYS = [
    "adult", "gender", "id", "known_for_department", "name", "original_name", "popularity",
    "profile_path",
]  # fmt: skip
CAST_KEYS = [*PERSON_KEYS, "roles", "total_episode_count", "order"]
CREW_KEYS = [*PERSON_KEYS, "jobs", "department", "total_episode_count"]
CHERNOBYL = TV_ID_MIN + 1
NOT_FOUND = (
    b'{"success":false,"status_code":34,'
    b'"status_message":"The resource you requested could not be found."}'
)


async def test_search_tv_shape_and_first_air_date_year() -> None:
    async with client_for(tiny()) as client:

        async def search(**params: str) -> dict:  # type: ignore[type-arg]
            response = await client.get("/3/search/tv", params={**params, **AUTH})
            assert response.status_code == 200
            assert response.headers["cache-control"] == "public, max-age=600"
            return response.json()  # type: ignore[no-any-return]

        found = await search(query="chernobyl", first_air_date_year="2019")
        wrong_year = await search(query="Chernobyl", first_air_date_year="2018")
        prefix = await search(query="Cherno")
        aired_in = await search(query="Fleabag", year="2018")  # aired 2016 to 2019
        first_aired_in = await search(query="Fleabag", first_air_date_year="2018")
    assert list(found) == ["page", "results", "total_pages", "total_results"]
    (chernobyl,) = found["results"]
    assert list(chernobyl) == SEARCH_TV_KEYS
    assert chernobyl["id"] == CHERNOBYL
    assert chernobyl["name"] == chernobyl["original_name"] == "Chernobyl"
    assert chernobyl["first_air_date"] == "2019-05-06"
    assert chernobyl["origin_country"] == ["US", "GB"]
    assert chernobyl["genre_ids"] == [18]
    assert (found["total_pages"], found["total_results"]) == (1, 1)
    assert wrong_year == {"page": 1, "results": [], "total_pages": 0, "total_results": 0}
    assert [r["id"] for r in prefix["results"]] == [CHERNOBYL]
    assert len(aired_in["results"]) == 1
    assert first_aired_in["results"] == []


async def test_every_listed_series_is_found_by_its_name_and_first_air_year() -> None:
    titles = tv_titles()
    assert len(titles) >= 5
    async with client_for(tiny()) as client:
        for tv_id, name, first_air_date in titles:
            params = {"query": name, "first_air_date_year": first_air_date[:4], **AUTH}
            results = (await client.get("/3/search/tv", params=params)).json()["results"]
            assert results[0]["id"] == tv_id, name
            assert TV_ID_MIN < tv_id < SYNTHETIC_ID_MIN
            movie = await client.get(f"/3/movie/{tv_id}", params=AUTH)
            assert movie.status_code == 404  # a TV id is never a movie id here


async def test_tv_details_shape() -> None:
    async with client_for(tiny()) as client:
        response = await client.get(f"/3/tv/{CHERNOBYL}", params=AUTH)
    body = response.json()
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=28800"
    assert list(body) == TV_KEYS
    assert body["type"] == "Miniseries"
    assert body["status"] == "Ended"
    assert body["episode_run_time"] == [65]
    assert (body["number_of_episodes"], body["number_of_seasons"]) == (5, 1)
    assert (body["first_air_date"], body["last_air_date"]) == ("2019-05-06", "2019-06-03")
    assert body["genres"] == [{"id": 18, "name": "Drama"}]
    assert body["networks"][0] == {
        "id": 49, "logo_path": body["networks"][0]["logo_path"], "name": "HBO",
        "origin_country": "US",
    }  # fmt: skip
    assert [c["name"] for c in body["created_by"]] == ["Craig Mazin"]
    assert list(body["created_by"][0]) == [
        "id", "credit_id", "name", "original_name", "gender", "profile_path"
    ]  # fmt: skip
    assert body["production_countries"][1] == {"iso_3166_1": "GB", "name": "United Kingdom"}
    assert body["spoken_languages"] == [
        {"english_name": "English", "iso_639_1": "en", "name": "English"}
    ]
    assert "aggregate_credits" not in body
    assert "keywords" not in body


async def test_append_aggregate_credits_and_keywords() -> None:
    params = {"append_to_response": "aggregate_credits,keywords", **AUTH}
    async with client_for(tiny()) as client:
        body = (await client.get(f"/3/tv/{CHERNOBYL}", params=params)).json()
        alone = (await client.get(f"/3/tv/{CHERNOBYL}/aggregate_credits", params=AUTH)).json()
        words = (await client.get(f"/3/tv/{CHERNOBYL}/keywords", params=AUTH)).json()
        unknown_part = await client.get(f"/3/tv/{CHERNOBYL}/translations", params=AUTH)
    keywords = body["keywords"]
    assert list(keywords) == ["results"]  # TV's key; a movie's is "keywords"
    assert {"name": "nuclear disaster", "id": keywords["results"][0]["id"]} in keywords["results"]
    credits = body["aggregate_credits"]
    assert list(credits) == ["cast", "crew"]
    first = credits["cast"][0]
    assert list(first) == CAST_KEYS
    assert first["name"] == "Jared Harris"
    assert first["order"] == 0
    assert first["roles"] == [
        {"credit_id": first["roles"][0]["credit_id"], "character": "Valery Legasov",
         "episode_count": 5}
    ]  # fmt: skip
    assert first["total_episode_count"] == 5
    assert [c["order"] for c in credits["cast"]] == list(range(len(credits["cast"])))
    mazin = [c for c in credits["crew"] if c["name"] == "Craig Mazin"]
    assert [list(c) for c in mazin] == [CREW_KEYS, CREW_KEYS]
    assert {c["department"] for c in mazin} == {"Writing", "Production"}
    director = next(c for c in credits["crew"] if c["department"] == "Directing")
    assert [list(job) for job in director["jobs"]] == [["credit_id", "job", "episode_count"]]
    assert director["jobs"][0]["job"] == "Director"
    for person in credits["cast"] + credits["crew"]:
        assert 1 <= person["total_episode_count"] <= 5
    assert alone == {**credits, "id": CHERNOBYL}
    assert list(alone) == ["cast", "crew", "id"]  # as recorded
    assert words == {**keywords, "id": CHERNOBYL}
    assert list(words) == ["id", "results"]
    assert unknown_part.status_code == 404


async def test_a_person_has_one_id_in_films_and_series() -> None:
    films = [{"id": 1, "title": "The Last Castle", "year": 2001, "cast": ["Jeremy Irons"]}]
    async with client_for(tiny(extra_films=films)) as client:
        film = (
            await client.get("/3/movie/1", params={"append_to_response": "credits", **AUTH})
        ).json()
        series = (
            await client.get(
                f"/3/tv/{TV_ID_MIN + 5}", params={"append_to_response": "aggregate_credits", **AUTH}
            )
        ).json()
    irons = next(c for c in series["aggregate_credits"]["cast"] if c["name"] == "Jeremy Irons")
    assert irons["id"] == film["credits"]["cast"][0]["id"]


@pytest.mark.parametrize("tv_id", ["1", "9000999", "abc", "-1", "\uff19"])
async def test_unknown_series_is_the_recorded_404(tv_id: str) -> None:
    async with client_for(tiny()) as client:
        response = await client.get(f"/3/tv/{tv_id}", params=AUTH)
        part = await client.get(f"/3/tv/{tv_id}/keywords", params=AUTH)
    for answer in (response, part):
        assert answer.status_code == 404
        assert answer.content == NOT_FOUND


async def test_tv_has_the_movies_auth_rate_limit_and_faults() -> None:
    async with client_for(tiny()) as client:
        refused = await client.get(f"/3/tv/{CHERNOBYL}")
        page = await client.get("/3/search/tv", params={"query": "x", "page": "0", **AUTH})
    assert refused.status_code == 401
    assert page.status_code == 400
    async with client_for(tiny(rate_limit=1)) as client:
        first = await client.get(f"/3/tv/{CHERNOBYL}", params=AUTH)
        second = await client.get("/3/search/tv", params={"query": "Watchmen", **AUTH})
    assert (first.status_code, second.status_code) == (200, 429)
    assert second.headers["retry-after"] == "1"
    async with client_for(tiny(error_rate=1.0)) as client:
        failed = await client.get(f"/3/tv/{CHERNOBYL}", params=AUTH)
        stats = (await client.get("/__stats")).json()
    assert failed.status_code in (502, 503, 504)
    assert stats["by_endpoint"]["tv"] == 1
    assert stats["injected_errors"] == 1
