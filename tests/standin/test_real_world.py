"""Real-world mode: every film comes with what real TMDB returns beside it for its title."""

from __future__ import annotations

import pytest
from standin.catalogue import Catalogue, load_catalogue
from standin.films import Film, film_from_dict
from standin.real_world import COMPANION_ID_BASE, companions, is_companion

from tests.fixtures.standin import (
    AUTH,
    HAS_SHARED_DATA,
    NEEDS_SHARED_DATA,
    client_for,
    tiny,
)

MANY = [
    Film(id=n, title=f"Picture Number {n}", release_date=f"{1950 + n % 70}-06-01",
         popularity=5.0 + n % 40, vote_count=50 + 37 * n)
    for n in range(1, 401)
]  # fmt: skip


def kinds(film: Film, made: list[Film]) -> set[str]:
    found = set()
    for other in made:
        genre_ids = {genre_id for genre_id, _ in other.genres}
        same_title = other.title == film.title
        if 99 in genre_ids and not same_title:
            found.add("documentary")
        if same_title and not other.release_date:
            found.add("undated")
        if same_title and 10770 in genre_ids:
            found.add("tv movie")
        if same_title and not other.original_title.isascii():
            found.add("other script")
        if same_title and other.year == film.year:
            found.add("same year")
        if same_title and other.year not in (None, film.year):
            found.add("other year")
    return found


def test_companions_are_deterministic_and_numbered_apart() -> None:
    for film in MANY[:50]:
        made = companions(film)
        assert made == companions(film)
        assert all(is_companion(other.id) for other in made)
        assert [other.id for other in made] == [
            COMPANION_ID_BASE + 16 * film.id + n for n in range(len(made))
        ]
        assert all(other.vote_count <= max(film.vote_count, 200) for other in made)


def test_every_kind_of_neighbour_occurs() -> None:
    seen: set[str] = set()
    same_year = 0
    for film in MANY:
        found = kinds(film, companions(film))
        seen |= found
        same_year += "same year" in found
    assert seen == {
        "documentary", "undated", "tv movie", "other script", "same year", "other year"
    }  # fmt: skip
    assert 0 < same_year < len(MANY) / 10  # occasional


def test_a_same_year_namesake_is_obscure() -> None:
    for film in MANY:
        for other in companions(film):
            if other.title == film.title and other.year == film.year:
                assert other.vote_count <= 8
                assert other.popularity < film.popularity


ALIENS = [{"id": 4, "title": "Aliens", "release_date": "1986-07-18", "popularity": 90.0,
           "vote_count": 5000}]  # fmt: skip


async def test_real_world_search_answers_beside_the_film() -> None:
    async with client_for(tiny(extra_films=ALIENS)) as client:
        plain = (await client.get("/3/search/movie", params={"query": "Aliens", **AUTH})).json()
    async with client_for(tiny(extra_films=ALIENS, real_world=True)) as client:
        body = (await client.get("/3/search/movie", params={"query": "Aliens", **AUTH})).json()
        dated = (
            await client.get("/3/search/movie", params={"query": "Aliens", "year": "1986", **AUTH})
        ).json()
        extra = next(r for r in body["results"] if r["id"] >= COMPANION_ID_BASE)
        details = await client.get(f"/3/movie/{extra['id']}", params=AUTH)
    assert [r["id"] for r in plain["results"]] == [4]
    assert body["results"][0]["id"] == 4  # the film still ranks first
    assert body["total_results"] > plain["total_results"]
    assert all(r["release_date"].startswith("1986") for r in dated["results"])
    assert details.status_code == 200
    assert details.json()["title"] == extra["title"]


def test_real_world_catalogue_holds_the_films_and_their_companions() -> None:
    films = [film_from_dict({"id": 1, "title": "Solaris", "year": 1972, "vote_count": 400})]
    plain = Catalogue.from_films(films)
    real = Catalogue.from_films(films, real_world=True)
    assert len(plain) == 1
    assert len(real) == 1 + len(companions(films[0]))
    assert real.search("Solaris")[0].id == 1


def test_synthesised_films_come_with_companions_in_real_world_mode() -> None:
    catalogue = Catalogue.from_films([], synthesise=True, real_world=True)
    undated = catalogue.search("A Title Nobody Has")
    dated = catalogue.search("A Title Nobody Has", year=1990)
    assert undated[0].synthetic
    assert len(undated) >= 1
    assert all(film.year == 1990 for film in dated)
    assert catalogue.synthesised_count == 2  # companions are not counted as synthesised


@pytest.mark.shared_data
@pytest.mark.skipif(not HAS_SHARED_DATA, reason=NEEDS_SHARED_DATA)
def test_the_real_catalogue_in_real_world_mode_answers_like_the_recorded_search() -> None:
    """The recorded "The Matrix" search: the film first, then sequels and a long tail of
    documentaries carrying the title, undated entries among them."""
    catalogue = load_catalogue(real_world=True)
    found = catalogue.search("The Matrix")
    assert found[0].id == 603
    assert len(found) > len(load_catalogue().search("The Matrix")) + 5
    documentaries = [f for f in found if (99, "Documentary") in f.genres and is_companion(f.id)]
    assert any("Matrix" in f.title and f.title != "The Matrix" for f in documentaries)
    assert catalogue.search("The Matrix", year=1999)[0].id == 603
