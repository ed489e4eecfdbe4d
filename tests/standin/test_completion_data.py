"""What a client needs to complete a franchise or a filmography, derived from the stand-in's
catalogue in TMDB v3's shapes: `belongs_to_collection` in movie details, `/3/collection/{id}`
and `/3/person/{id}/movie_credits`; deterministic; counted as `collection` and `person`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
import pytest
from standin.catalogue import load_catalogue
from standin.films import film_from_dict
from standin.franchises import derive_collections, sequel_number, stems
from standin.payloads import person_id
from standin.real_world import is_companion
from standin.sources import default_data_dir, load_films

from tests.fixtures.standin import (
    AUTH,
    HAS_SHARED_DATA,
    NEEDS_SHARED_DATA,
    TINY_FILMS,
    client_for,
    tiny,
)

SEARCH_RESULT_KEYS = [
    "adult", "backdrop_path", "genre_ids", "id", "original_language", "original_title",
    "overview", "popularity", "poster_path", "release_date", "title", "video",
    "vote_average", "vote_count",
]  # fmt: skip
CAST_CREDIT_KEYS = [*SEARCH_RESULT_KEYS, "character", "credit_id", "order"]
CREW_CREDIT_KEYS = [*SEARCH_RESULT_KEYS, "credit_id", "department", "job"]
BELONGS_KEYS = ["id", "name", "poster_path", "backdrop_path"]
COLLECTION_KEYS = ["id", "name", "overview", "poster_path", "backdrop_path", "parts"]
NOT_FOUND = (
    b'{"success":false,"status_code":34,'
    b'"status_message":"The resource you requested could not be found."}'
)
DOCUMENTARY = 99

LASSETER, UNKRICH, HANKS, ALLEN = "John Lasseter", "Lee Unkrich", "Tom Hanks", "Tim Allen"
FRANCHISE: list[Mapping[str, Any]] = [
    {"id": 101, "title": "Toy Story", "release_date": "1995-11-22", "vote_count": 9000,
     "genres": ["Animation", "Family"], "director": LASSETER, "cast": [HANKS, ALLEN]},
    {"id": 103, "title": "Toy Story 3", "release_date": "2010-06-16", "vote_count": 7000,
     "genres": ["Animation"], "director": UNKRICH, "cast": [HANKS, ALLEN]},
    {"id": 102, "title": "Toy Story 2", "release_date": "1999-10-30", "vote_count": 8000,
     "genres": ["Animation"], "directors": [LASSETER, UNKRICH], "cast": [ALLEN, HANKS]},
    {"id": 104, "title": "Toy Story: The Untitled Chapter", "status": "Rumored",
     "genres": ["Animation"]},  # undated
    {"id": 105, "title": "Toy Story 4", "release_date": "2099-06-21", "status": "Post Production",
     "genres": ["Animation"], "director": "Josh Cooley", "cast": [HANKS]},  # not out yet
    {"id": 106, "title": "Toy Story: Behind the Scenes", "release_date": "1996-01-01",
     "genres": ["Documentary"], "cast": [LASSETER, HANKS]},  # a making-of: in no collection
    {"id": 107, "title": "Toy Story", "release_date": "2030-01-01", "vote_count": 3},  # remake
    {"id": 111, "title": "Harry Potter and the Philosopher's Stone",
     "release_date": "2001-11-16", "director": "Chris Columbus", "cast": ["Daniel Radcliffe"]},
    {"id": 112, "title": "Harry Potter and the Chamber of Secrets",
     "release_date": "2002-11-13", "director": "Chris Columbus", "cast": ["Daniel Radcliffe"]},
    {"id": 121, "title": "Super", "release_date": "2010-09-10"},
    {"id": 122, "title": "Super 8", "release_date": "2011-06-09"},  # no sequel of "Super"
    {"id": 131, "title": "Splash", "release_date": "1984-03-09", "director": "Ron Howard",
     "cast": [HANKS]},
]  # fmt: skip
FILMS = [*TINY_FILMS, *FRANCHISE]
TOY_STORY_PARTS = [101, 102, 103, 105, 104]  # by release date, the future one, the undated last


async def get(client: httpx.AsyncClient, path: str, **params: str) -> Any:
    response = await client.get(path, params={**AUTH, **params})
    assert response.status_code == 200, response.text
    return response.json()


def config(**overrides: Any) -> Any:
    return tiny(extra_films=FILMS, **overrides)


# --- collections ---


async def test_details_carry_belongs_to_collection() -> None:
    async with client_for(config()) as client:
        in_one = await get(client, "/3/movie/102")
        alone = await get(client, "/3/movie/1")  # Solaris: two films of one title, no franchise
        making_of = await get(client, "/3/movie/106")
        remake = await get(client, "/3/movie/107")
        not_a_sequel = await get(client, "/3/movie/122")
    belongs = in_one["belongs_to_collection"]
    assert list(belongs) == BELONGS_KEYS
    assert belongs["name"] == "Toy Story Collection"
    assert isinstance(belongs["id"], int)
    assert 0 < belongs["id"] < 2**31
    for path in ("poster_path", "backdrop_path"):
        assert belongs[path].startswith("/")
        assert belongs[path].endswith(".jpg")
    assert belongs["poster_path"] != belongs["backdrop_path"]
    for body in (alone, making_of, remake, not_a_sequel):
        assert "belongs_to_collection" in body
        assert body["belongs_to_collection"] is None


async def test_a_collection_holds_its_parts_by_release_date_and_each_points_back() -> None:
    async with client_for(config()) as client:
        belongs = (await get(client, "/3/movie/103"))["belongs_to_collection"]
        collection = await get(client, f"/3/collection/{belongs['id']}")
        details = [await get(client, f"/3/movie/{part['id']}") for part in collection["parts"]]
    assert list(collection) == COLLECTION_KEYS
    assert {key: collection[key] for key in BELONGS_KEYS} == belongs
    assert collection["overview"] == "Toy Story: 5 films, 1995-2099."
    parts = collection["parts"]
    assert [part["id"] for part in parts] == TOY_STORY_PARTS
    assert 103 in [part["id"] for part in parts]
    dated = [part["release_date"] for part in parts if part["release_date"]]
    assert dated == sorted(dated)
    assert parts[-1]["release_date"] == ""  # undated: last
    assert "2099-06-21" in dated  # a part not released yet
    for part, body in zip(parts, details, strict=True):
        assert list(part) == SEARCH_RESULT_KEYS
        assert part["video"] is False
        assert body["belongs_to_collection"] == belongs
        assert {key: part[key] for key in ("title", "release_date", "poster_path")} == {
            key: body[key] for key in ("title", "release_date", "poster_path")
        }


async def test_a_franchise_without_a_film_of_the_stems_title() -> None:
    async with client_for(config()) as client:
        belongs = (await get(client, "/3/movie/112"))["belongs_to_collection"]
        collection = await get(client, f"/3/collection/{belongs['id']}")
    assert belongs["name"] == "Harry Potter Collection"
    assert [part["id"] for part in collection["parts"]] == [111, 112]


@pytest.mark.parametrize(
    "path",
    [
        "/3/collection/1",
        "/3/collection/abc",
        "/3/collection/²",
        "/3/person/1/movie_credits",
        "/3/person/abc/movie_credits",
        "/3/person/-5/movie_credits",
    ],
)
async def test_unknown_ids_get_tmdbs_404(path: str) -> None:
    async with client_for(config()) as client:
        response = await client.get(path, params=AUTH)
    assert response.status_code == 404
    assert response.content == NOT_FOUND


def test_the_derivation_rules() -> None:
    assert sequel_number("Toy Story 3") == ("Toy Story", 3)
    assert sequel_number("Rocky IV") == ("Rocky", 4)
    assert sequel_number("The Karate Kid, Part II") == ("The Karate Kid", 2)
    assert sequel_number("Kill Bill: Vol. 1") == ("Kill Bill", 1)
    assert sequel_number("Apollo 13") is None  # beyond any sequel number
    assert sequel_number("Se7en") is None
    assert sequel_number("Henry v") is None  # Roman numerals are capitals
    assert sequel_number("Madonna 1") is None  # a bare 1 is no sequel number
    assert {stem.key for stem in stems("Mission: Impossible - Rogue Nation")} == {
        "mission",
        "mission impossible",
    }
    assert {stem.key for stem in stems("Harry Potter and the Goblet of Fire")} == {"harry potter"}
    assert stems("Beauty and the Beast") == []  # one word before "and the"
    films = [film_from_dict(data) for data in FILMS]
    collections = derive_collections(films)
    assert {c.name: c.parts for c in collections.by_id.values()} == {
        "Toy Story Collection": tuple(TOY_STORY_PARTS),
        "Harry Potter Collection": (111, 112),
    }
    assert derive_collections(reversed(films)).by_id == collections.by_id  # order-independent


async def test_companions_and_synthesised_films_are_in_no_collection() -> None:
    async with client_for(config(real_world=True, synthesise=True)) as client:
        found = await get(client, "/3/search/movie", query="Toy Story")
        made = await get(client, "/3/search/movie", query="Toy Story 7")  # synthesised
        belongs = (await get(client, "/3/movie/101"))["belongs_to_collection"]
        collection = await get(client, f"/3/collection/{belongs['id']}")
        companions = [r["id"] for r in found["results"] if is_companion(r["id"])]
        assert companions
        for film_id in [*companions, *(r["id"] for r in made["results"])]:
            assert (await get(client, f"/3/movie/{film_id}"))["belongs_to_collection"] is None
    assert [part["id"] for part in collection["parts"]] == TOY_STORY_PARTS


# --- people ---


async def test_a_directors_crew_credits_are_the_films_they_directed() -> None:
    async with client_for(config()) as client:
        directors = {
            film_id: (await get(client, f"/3/movie/{film_id}/credits"))["crew"]
            for film_id in (101, 102, 103)
        }
        lasseter = next(p for p in directors[101] if p["name"] == LASSETER)
        credits = await get(client, f"/3/person/{lasseter['id']}/movie_credits")
        unkrich = await get(client, f"/3/person/{person_id(UNKRICH)}/movie_credits")
    assert list(credits) == ["id", "cast", "crew"]
    assert credits["id"] == lasseter["id"] == person_id(LASSETER)
    assert [entry["id"] for entry in credits["crew"]] == [101, 102]
    for entry in credits["crew"]:
        assert list(entry) == CREW_CREDIT_KEYS
        assert (entry["job"], entry["department"]) == ("Director", "Directing")
        (credit,) = [p for p in directors[entry["id"]] if p["name"] == LASSETER]
        assert entry["credit_id"] == credit["credit_id"]
    assert [entry["id"] for entry in credits["cast"]] == [106]  # in the making-of
    assert credits["cast"][0]["genre_ids"] == [DOCUMENTARY]  # which a client may leave out
    assert [entry["id"] for entry in unkrich["crew"]] == [102, 103]
    assert unkrich["cast"] == []


async def test_an_actors_cast_credits_match_each_films_credits() -> None:
    async with client_for(config()) as client:
        credits = await get(client, f"/3/person/{person_id(HANKS)}/movie_credits")
        films = {
            entry["id"]: await get(client, f"/3/movie/{entry['id']}", append_to_response="credits")
            for entry in credits["cast"]
        }
    assert [entry["id"] for entry in credits["cast"]] == [131, 101, 106, 102, 103, 105]
    assert credits["crew"] == []
    for entry in credits["cast"]:
        assert list(entry) == CAST_CREDIT_KEYS
        film = films[entry["id"]]
        (credit,) = [p for p in film["credits"]["cast"] if p["id"] == credits["id"]]
        assert (entry["order"], entry["character"], entry["credit_id"]) == (
            credit["order"],
            credit["character"],
            credit["credit_id"],
        )
        for key in ("title", "release_date", "vote_count", "popularity"):
            assert entry[key] == film[key]
        assert entry["genre_ids"] == [genre["id"] for genre in film["genres"]]
        assert entry["video"] is False
    by_id = {entry["id"]: entry for entry in credits["cast"]}
    assert (by_id[101]["order"], by_id[102]["order"]) == (0, 1)
    assert by_id[105]["release_date"] == "2099-06-21"  # a client can leave unreleased films out


async def test_a_synthesised_films_people_have_credits() -> None:
    async with client_for(config(synthesise=True)) as client:
        (made,) = (await get(client, "/3/search/movie", query="An Unmade Picture"))["results"]
        crew = (await get(client, f"/3/movie/{made['id']}/credits"))["crew"]
        credits = await get(client, f"/3/person/{crew[0]['id']}/movie_credits")
    assert made["id"] in [entry["id"] for entry in credits["crew"]]


async def test_answers_are_the_same_from_two_apps() -> None:
    paths = ["/3/movie/102", f"/3/person/{person_id(HANKS)}/movie_credits"]
    answers = []
    for _ in range(2):
        async with client_for(config()) as client:
            belongs = (await get(client, "/3/movie/102"))["belongs_to_collection"]
            bodies = [await get(client, path) for path in paths]
            bodies.append(await get(client, f"/3/collection/{belongs['id']}"))
        answers.append(bodies)
    assert answers[0] == answers[1]


async def test_stats_count_collection_and_person() -> None:
    async with client_for(config()) as client:
        belongs = (await get(client, "/3/movie/101"))["belongs_to_collection"]
        await get(client, f"/3/collection/{belongs['id']}")
        await client.get("/3/collection/1", params=AUTH)
        await get(client, f"/3/person/{person_id(HANKS)}/movie_credits")
        await client.get("/3/person/1/movie_credits", params=AUTH)
        await client.get("/3/person/1", params=AUTH)  # no such route here: still a person path
        stats = (await client.get("/__stats")).json()
    assert stats["by_endpoint"]["collection"] == 2
    assert stats["by_endpoint"]["person"] == 3
    assert stats["by_endpoint"]["movie"] == 1
    assert stats["by_status"] == {"200": 3, "404": 3}
    assert [entry["endpoint"] for entry in stats["recent_requests"]] == [
        "movie",
        "collection",
        "collection",
        "person",
        "person",
        "person",
    ]


# --- the real catalogue ---


@pytest.mark.shared_data
@pytest.mark.skipif(not HAS_SHARED_DATA, reason=NEEDS_SHARED_DATA)
def test_the_real_catalogues_collections() -> None:
    catalogue = load_catalogue()
    by_name = {}
    for film in load_films(default_data_dir().resolve()):
        collection = catalogue.collection_of(film.id)
        if collection is not None:
            by_name[collection.name] = collection
            assert film.id in collection.parts
            assert all(genre_id != DOCUMENTARY for genre_id, _ in film.genres)
    assert len(by_name) >= 300
    for collection in by_name.values():
        assert len(collection.parts) >= 2
        found = catalogue.collection(collection.id)
        assert found is not None
        assert [film.id for film in found[1]] == list(collection.parts)
        assert all(catalogue.collection_of(part) == collection for part in collection.parts)
    titles = {
        name: [film.title for film in found[1]]
        for name in ("The Lord of the Rings Collection", "Harry Potter Collection")
        if (found := catalogue.collection(by_name[name].id)) is not None
    }
    assert titles["The Lord of the Rings Collection"][-3:] == [
        "The Lord of the Rings: The Fellowship of the Ring",
        "The Lord of the Rings: The Two Towers",
        "The Lord of the Rings: The Return of the King",
    ]
    assert titles["Harry Potter Collection"][0] == "Harry Potter and the Philosopher's Stone"
    assert len(titles["Harry Potter Collection"]) >= 7


@pytest.mark.shared_data
@pytest.mark.skipif(not HAS_SHARED_DATA, reason=NEEDS_SHARED_DATA)
async def test_the_real_catalogues_filmographies() -> None:
    films = load_films(default_data_dir().resolve())
    directed = sorted(film.id for film in films if "Steven Spielberg" in film.directors)
    acted = sorted(film.id for film in films if "Robert De Niro" in film.cast)
    async with client_for(tiny(data_dir=None, extra_films=())) as client:
        spielberg = await get(client, f"/3/person/{person_id('Steven Spielberg')}/movie_credits")
        de_niro = await get(client, f"/3/person/{person_id('Robert De Niro')}/movie_credits")
    assert len(directed) >= 4
    assert len(acted) >= 5
    crew = [entry for entry in spielberg["crew"] if entry["job"] == "Director"]
    assert sorted(entry["id"] for entry in crew) == directed
    assert sorted(entry["id"] for entry in de_niro["cast"]) == acted
    dates = [entry["release_date"] for entry in de_niro["cast"]]
    assert dates == sorted(dates)
