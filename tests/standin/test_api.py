"""The /3 endpoints through httpx on the app in memory: shapes, bodies, headers, auth."""

from __future__ import annotations

import json

import pytest

from tests.fixtures.standin import AUTH, HAS_SHARED_DATA, KEY, NEEDS_SHARED_DATA, client_for, tiny

SEARCH_RESULT_KEYS = [
    "adult", "backdrop_path", "genre_ids", "id", "original_language", "original_title",
    "overview", "popularity", "poster_path", "release_date", "title", "video",
    "vote_average", "vote_count",
]  # fmt: skip
DETAILS_KEYS = [
    "adult", "backdrop_path", "belongs_to_collection", "budget", "genres", "homepage", "id",
    "imdb_id", "origin_country", "original_language", "original_title", "overview",
    "popularity", "poster_path", "production_companies", "production_countries",
    "release_date", "revenue", "runtime", "spoken_languages", "status", "tagline", "title",
    "video", "vote_average", "vote_count",
]  # fmt: skip
CAST_KEYS = [
    "adult", "gender", "id", "known_for_department", "name", "original_name", "popularity",
    "profile_path", "cast_id", "character", "credit_id", "order",
]  # fmt: skip
CREW_KEYS = [
    "adult", "gender", "id", "known_for_department", "name", "original_name", "popularity",
    "profile_path", "credit_id", "department", "job",
]  # fmt: skip
INVALID_KEY = (
    b'{"status_code":7,"status_message":"Invalid API key: You must be granted a valid key.",'
    b'"success":false}'
)
NOT_FOUND = (
    b'{"success":false,"status_code":34,'
    b'"status_message":"The resource you requested could not be found."}'
)
CONTENT_TYPE = "application/json;charset=utf-8"


async def test_api_key_authenticates() -> None:
    async with client_for(tiny()) as client:
        response = await client.get("/3/search/movie", params={"query": "Alien", **AUTH})
    assert response.status_code == 200
    assert response.headers["content-type"] == CONTENT_TYPE


@pytest.mark.parametrize(
    ("params", "headers"),
    [
        ({"api_key": "wrong"}, {}),
        ({}, {}),
        ({}, {"Authorization": "Bearer wrong"}),
        ({}, {"Authorization": f"Bearer {KEY}"}),  # the key is not a bearer token
    ],
)
async def test_bad_credentials_get_the_exact_401(
    params: dict[str, str], headers: dict[str, str]
) -> None:
    async with client_for(tiny(bearer_token="the-token")) as client:
        for path in ("/3/search/movie", "/3/movie/1", "/3/search/tv", "/3/configuration"):
            response = await client.get(path, params={"query": "x", **params}, headers=headers)
            assert response.status_code == 401
            assert response.content == INVALID_KEY
            assert response.headers["content-type"] == CONTENT_TYPE
            assert response.headers["cache-control"] == "public, max-age=300"


async def test_bearer_token_authenticates_when_configured() -> None:
    bearer = {"Authorization": "Bearer the-token"}
    async with client_for(tiny(bearer_token="the-token")) as client:
        ok = await client.get("/3/movie/1", headers=bearer)
        also_key = await client.get("/3/movie/1", params=AUTH)
    assert ok.status_code == 200
    assert also_key.status_code == 200
    async with client_for(tiny()) as client:  # no token configured: only the key works
        refused = await client.get("/3/movie/1", headers=bearer)
    assert refused.status_code == 401


async def test_search_shape_and_headers() -> None:
    async with client_for(tiny()) as client:
        response = await client.get("/3/search/movie", params={"query": "Alien", **AUTH})
    body = response.json()
    assert list(body) == ["page", "results", "total_pages", "total_results"]
    assert body["page"] == 1
    assert body["total_results"] == 5
    assert body["total_pages"] == 1
    for result in body["results"]:
        assert list(result) == SEARCH_RESULT_KEYS
    assert body["results"][0]["id"] == 3
    assert body["results"][0]["release_date"] == "1979-05-25"
    assert body["results"][0]["poster_path"].endswith(".jpg")
    assert response.headers["server"] == "openresty"
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.headers["cache-control"] == "public, max-age=600"


async def test_no_results_is_the_recorded_empty_page() -> None:
    async with client_for(tiny()) as client:
        response = await client.get(
            "/3/search/movie", params={"query": "askdjhashdaskdasljd", **AUTH}
        )
    assert response.status_code == 200
    assert response.content == b'{"page":1,"results":[],"total_pages":0,"total_results":0}'


async def test_year_and_primary_release_year_filters() -> None:
    async with client_for(tiny()) as client:

        async def ids(**params: str) -> list[int]:
            response = await client.get(
                "/3/search/movie", params={"query": "Solaris", **AUTH, **params}
            )
            return [result["id"] for result in response.json()["results"]]

        assert await ids() == [2, 1]
        assert await ids(year="1972") == [1]
        assert await ids(primary_release_year="2002") == [2]
        assert await ids(year="1990") == []
        assert await ids(year="") == [2, 1]  # an empty year is ignored


async def test_paging_by_twenty() -> None:
    films = [{"id": n, "title": f"Night {n}", "popularity": n} for n in range(1, 46)]
    async with client_for(tiny(extra_films=films)) as client:
        pages = [
            (
                await client.get("/3/search/movie", params={"query": "night", "page": p, **AUTH})
            ).json()
            for p in (1, 2, 3, 4)
        ]
        invalid = await client.get("/3/search/movie", params={"query": "night", "page": 0, **AUTH})
    assert [len(page["results"]) for page in pages] == [20, 20, 5, 0]
    assert [page["page"] for page in pages] == [1, 2, 3, 4]
    assert {(page["total_pages"], page["total_results"]) for page in pages} == {(3, 45)}
    assert pages[0]["results"][0]["id"] == 45  # most popular first
    seen = [r["id"] for page in pages for r in page["results"]]
    assert sorted(seen) == list(range(1, 46))
    assert invalid.status_code == 400
    assert invalid.json()["status_code"] == 22


@pytest.mark.parametrize("params", [{}, {"query": ""}, {"query": "   "}])
async def test_missing_query_is_the_recorded_422(params: dict[str, str]) -> None:
    async with client_for(tiny()) as client:
        movie = await client.get("/3/search/movie", params={**params, **AUTH})
        tv = await client.get("/3/search/tv", params={**params, **AUTH})
    for response in (movie, tv):
        assert response.status_code == 422
        assert response.content == b'{"errors":["query must be provided"]}'


@pytest.mark.parametrize("movie_id", ["999999", "abc", "603x", "-1", "²", "\uff16\uff10\uff13"])
async def test_unknown_movie_is_the_recorded_404(movie_id: str) -> None:
    async with client_for(tiny()) as client:
        response = await client.get(f"/3/movie/{movie_id}", params=AUTH)
    assert response.status_code == 404
    assert response.content == NOT_FOUND
    assert response.headers["content-type"] == CONTENT_TYPE


async def test_unknown_path_is_404_after_auth() -> None:
    async with client_for(tiny()) as client:
        response = await client.get("/3/person/1", params=AUTH)
    assert response.status_code == 404
    assert response.content == NOT_FOUND


async def test_movie_details_shape() -> None:
    async with client_for(tiny()) as client:
        response = await client.get("/3/movie/1", params=AUTH)
    body = response.json()
    assert list(body) == DETAILS_KEYS
    assert body["genres"] == [{"id": 18, "name": "Drama"}, {"id": 878, "name": "Science Fiction"}]
    assert body["spoken_languages"] == [
        {"english_name": "Russian", "iso_639_1": "ru", "name": "Russian"}
    ]
    assert body["imdb_id"] == "tt0069293"
    assert body["runtime"] == 167
    assert response.headers["cache-control"] == "public, max-age=28800"


async def test_append_to_response() -> None:
    params = {"append_to_response": "credits,keywords,release_dates,videos,nonsense", **AUTH}
    async with client_for(tiny()) as client:
        body = (await client.get("/3/movie/1", params=params)).json()
    assert list(body) == [*DETAILS_KEYS, "credits", "keywords", "release_dates"]
    credits = body["credits"]
    assert list(credits) == ["cast", "crew"]
    assert [list(person) for person in credits["cast"]] == [CAST_KEYS, CAST_KEYS]
    assert [person["name"] for person in credits["cast"]] == [
        "Natalya Bondarchuk",
        "Donatas Banionis",
    ]
    assert [person["order"] for person in credits["cast"]] == [0, 1]
    (director,) = credits["crew"]
    assert list(director) == CREW_KEYS
    assert (director["name"], director["job"], director["department"]) == (
        "Andrei Tarkovsky",
        "Director",
        "Directing",
    )
    assert director["id"] > 0
    assert director["profile_path"].startswith("/")
    assert body["keywords"]["keywords"][0]["name"] == "space station"
    results = body["release_dates"]["results"]
    assert [entry["iso_3166_1"] for entry in results] == ["SU", "US"]  # origin country + US
    assert results[1] == {
        "iso_3166_1": "US",
        "release_dates": [
            {
                "certification": "",
                "descriptors": [],
                "iso_639_1": "",
                "note": "",
                "release_date": "1972-03-20T00:00:00.000Z",
                "type": 3,
            }
        ],
    }


async def test_person_ids_are_stable_across_films_and_apps() -> None:
    films = [
        {"id": 1, "title": "A", "director": "Same Person"},
        {"id": 2, "title": "B", "cast": ["Same Person"]},
    ]
    params = {"append_to_response": "credits", **AUTH}
    async with client_for(tiny(extra_films=films)) as client:
        a = (await client.get("/3/movie/1", params=params)).json()["credits"]["crew"][0]
        b = (await client.get("/3/movie/2", params=params)).json()["credits"]["cast"][0]
    async with client_for(tiny(extra_films=films)) as client:
        again = (await client.get("/3/movie/1", params=params)).json()["credits"]["crew"][0]
    assert a["id"] == b["id"] == again["id"]
    assert a["profile_path"] == b["profile_path"]


async def test_standalone_credits_has_id() -> None:
    async with client_for(tiny()) as client:
        body = (await client.get("/3/movie/1/credits", params=AUTH)).json()
    assert list(body) == ["id", "cast", "crew"]
    assert body["id"] == 1


async def test_configuration() -> None:
    async with client_for(tiny()) as client:
        body = (await client.get("/3/configuration", params=AUTH)).json()
    assert list(body) == ["images", "change_keys"]
    images = body["images"]
    assert images["base_url"] == "http://image.tmdb.org/t/p/"
    assert images["secure_base_url"] == "https://image.tmdb.org/t/p/"
    assert images["poster_sizes"] == ["w92", "w154", "w185", "w342", "w500", "w780", "original"]
    for sizes in ("backdrop_sizes", "logo_sizes", "profile_sizes", "still_sizes"):
        assert images[sizes][-1] == "original"
    assert "genres" in body["change_keys"]


async def test_search_tv_without_a_series_is_empty_but_authenticated() -> None:
    async with client_for(tiny()) as client:
        ok = await client.get("/3/search/tv", params={"query": "Solaris", **AUTH})
        refused = await client.get("/3/search/tv", params={"query": "Solaris"})
    assert ok.content == b'{"page":1,"results":[],"total_pages":0,"total_results":0}'
    assert refused.status_code == 401


async def test_synthesised_film_is_searchable_and_served() -> None:
    params = {"query": "The Unmade Picture", "primary_release_year": "1987", **AUTH}
    async with client_for(tiny(synthesise=True)) as client:
        (found,) = (await client.get("/3/search/movie", params=params)).json()["results"]
        again = (await client.get("/3/search/movie", params=params)).json()["results"]
        details = await client.get(
            f"/3/movie/{found['id']}", params={"append_to_response": "credits", **AUTH}
        )
    assert again == [found]
    assert found["id"] >= 10_000_000
    assert found["title"] == "The Unmade Picture"
    assert found["release_date"].startswith("1987-")
    body = details.json()
    assert details.status_code == 200
    assert body["title"] == "The Unmade Picture"
    assert body["credits"]["crew"][0]["job"] == "Director"
    async with client_for(tiny(synthesise=True)) as client:  # a fresh server: the same film
        (fresh,) = (await client.get("/3/search/movie", params=params)).json()["results"]
    assert fresh == found


async def test_stats_count_and_never_echo_secrets() -> None:
    token = "very-secret-token"
    async with client_for(tiny(bearer_token=token)) as client:
        await client.get("/3/search/movie", params={"query": "Alien", **AUTH})
        await client.get("/3/movie/1", headers={"Authorization": f"Bearer {token}"})
        await client.get("/3/movie/999", params=AUTH)
        await client.get("/3/search/tv", params={"query": KEY, **AUTH})
        await client.get("/3/configuration", params={"api_key": "wrong"})
        stats = await client.get("/__stats")
        reset = await client.post("/__reset")
        after = (await client.get("/__stats")).json()
    body = stats.json()
    assert body["requests_total"] == 5
    assert body["by_endpoint"] == {
        "search_movie": 1,
        "movie": 2,
        "search_tv": 1,
        "tv": 0,
        "watch_providers": 0,
        "collection": 0,
        "person": 0,
        "configuration": 1,
        "other": 0,
    }
    assert body["by_status"] == {"200": 3, "401": 1, "404": 1}
    assert body["max_concurrent_seen"] == 1
    assert body["in_flight"] == 0
    for key in ("rate_limited", "injected_errors", "injected_timeouts"):
        assert body[key] == 0
    assert KEY not in stats.text
    assert token not in stats.text
    assert "wrong" not in stats.text  # any api_key value is redacted
    assert body["recent_requests"][0]["query"] == "query=Alien&api_key=REDACTED"
    assert reset.status_code == 200
    assert after["requests_total"] == 0
    assert after["by_status"] == {}
    assert after["recent_requests"] == []


@pytest.mark.shared_data
@pytest.mark.skipif(not HAS_SHARED_DATA, reason=NEEDS_SHARED_DATA)
async def test_real_catalogue_over_http() -> None:
    async with client_for(tiny(data_dir=None, extra_films=())) as client:
        search = await client.get(
            "/3/search/movie", params={"query": "The Matrix", "year": "1999", **AUTH}
        )
        details = await client.get("/3/movie/550", params={"append_to_response": "credits", **AUTH})
    (matrix,) = search.json()["results"]
    assert matrix["id"] == 603
    assert matrix["genre_ids"] == [28, 878]
    body = details.json()
    assert body["title"] == "Fight Club"
    assert body["imdb_id"] == "tt0137523"
    assert body["origin_country"] == ["US"]
    assert body["credits"]["cast"][0]["name"] == "Edward Norton"
    assert [p["name"] for p in body["credits"]["crew"]] == ["David Fincher"]
    json.dumps(body)  # plain JSON all the way down
