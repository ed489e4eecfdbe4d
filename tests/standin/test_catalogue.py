"""The catalogue, search ranking and synthesis as pure functions."""

from __future__ import annotations

import pytest
from standin.catalogue import Catalogue, rank
from standin.sources import default_data_dir, load_films
from standin.synthesis import SYNTHETIC_ID_MIN, synthesise_film
from standin.text import normalise

from standin import film_from_dict, load_catalogue
from tests.fixtures.standin import HAS_SHARED_DATA, NEEDS_SHARED_DATA, NO_DATA, TINY_FILMS


def tiny_catalogue(*, synthesise: bool = False) -> Catalogue:
    return load_catalogue(NO_DATA, TINY_FILMS, synthesise=synthesise)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Amélie", "amelie"),
        ("Schindler's List", "schindlers list"),
        ("Spider-Man: No Way Home", "spider man no way home"),
        ("Fast & Furious", "fast and furious"),
        ("  THE   Matrix!! ", "the matrix"),
        ("WALL·E", "wall e"),
        ("!!!", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_rank_tiers() -> None:
    assert rank("alien", ["alien"]) == 0
    assert rank("alien", ["aliens"]) == 1
    assert rank("alien", ["the alien within"]) == 2
    assert rank("alien nation", ["nation of the alien"]) == 3


def test_absent_data_dir_gives_an_empty_catalogue() -> None:
    catalogue = load_catalogue(NO_DATA)
    assert len(catalogue) == 0
    assert catalogue.search("The Matrix") == []
    assert catalogue.get(603) is None


def test_exact_title_beats_more_popular_partial_matches() -> None:
    titles = [film.title for film in tiny_catalogue().search("Alien")]
    assert titles == ["Alien", "Aliens", "Alien Nation", "The Alien Within", "Nation of the Alien"]


def test_all_words_in_any_order_rank_last() -> None:
    titles = [film.title for film in tiny_catalogue().search("alien nation")]
    assert titles == ["Alien Nation", "Nation of the Alien"]


def test_last_word_matches_as_a_prefix() -> None:
    assert [film.id for film in tiny_catalogue().search("solar")] == [2, 1]


def test_original_title_and_accents_match() -> None:
    catalogue = tiny_catalogue()
    assert [f.id for f in catalogue.search("le fabuleux destin d'Amelie poulain")] == [8]
    assert [f.id for f in catalogue.search("AMELIE")] == [8]


def test_year_filters_pick_the_right_film_of_a_shared_title() -> None:
    catalogue = tiny_catalogue()
    assert [f.id for f in catalogue.search("Solaris")] == [2, 1]  # by popularity
    assert [f.id for f in catalogue.search("Solaris", year=1972)] == [1]
    assert [f.id for f in catalogue.search("Solaris", primary_release_year=2002)] == [2]
    assert catalogue.search("Solaris", year=1990) == []


def test_extra_film_dicts_accept_tmdb_shapes() -> None:
    film = film_from_dict(
        {
            "id": 9,
            "title": "X",
            "year": 1999,
            "genres": [{"id": 18, "name": "Drama"}, "Comedy", "Not A Genre"],
            "production_countries": [{"iso_3166_1": "FR", "name": "France"}, "US"],
        }
    )
    assert film.release_date == "1999-01-01"
    assert film.genres == ((18, "Drama"), (35, "Comedy"))
    assert film.countries == (("FR", "France"), ("US", "United States of America"))


def test_synthesis_is_off_by_default() -> None:
    assert tiny_catalogue().search("A Film Nobody Made") == []


def test_synthesis_is_deterministic() -> None:
    first = tiny_catalogue(synthesise=True).search("A Film Nobody Made", year=2004)
    again = tiny_catalogue(synthesise=True).search("A Film Nobody Made", year=2004)
    assert first == again
    (film,) = first
    assert film.id >= SYNTHETIC_ID_MIN
    assert film.title == "A Film Nobody Made"
    assert film.year == 2004
    for part in (film.genres, film.directors, film.cast, film.countries, film.languages):
        assert part
    assert film.runtime > 0
    assert synthesise_film("A Film Nobody Made", 2004) == film
    assert synthesise_film("a film nobody made!", 2004).id == film.id  # same normalised title
    assert synthesise_film("A Film Nobody Made", 2005).id != film.id


def test_synthetic_film_without_year_is_stable_and_retrievable() -> None:
    catalogue = tiny_catalogue(synthesise=True)
    (film,) = catalogue.search("Zorblax")
    assert film.year is not None
    assert catalogue.get(film.id) == film
    assert catalogue.search("Zorblax", year=film.year) == [film]
    assert catalogue.synthesised_count == 1


def test_synthesis_only_when_nothing_matches() -> None:
    catalogue = tiny_catalogue(synthesise=True)
    assert [f.id for f in catalogue.search("Solaris", year=1972)] == [1]
    (made_up,) = catalogue.search("Solaris", year=1990)
    assert made_up.synthetic
    assert made_up.year == 1990


@pytest.mark.shared_data
@pytest.mark.skipif(not HAS_SHARED_DATA, reason=NEEDS_SHARED_DATA)
def test_real_catalogue_merges_both_files() -> None:
    films = {film.id: film for film in load_films(default_data_dir().resolve())}
    assert len(films) > 11_000
    matrix = films[603]
    assert matrix.title == "The Matrix"
    assert matrix.release_date == "1999-03-30"
    assert (28, "Action") in matrix.genres
    assert set(matrix.directors) == {"Lana Wachowski", "Lilly Wachowski"}
    assert matrix.cast[0] == "Keanu Reeves"
    assert matrix.imdb_id == "tt0133093"
    jurassic_world = films[135397]  # 10k file: release_date 6/9/15, release_year 2015
    assert jurassic_world.release_date == "2015-06-09"


@pytest.mark.shared_data
@pytest.mark.skipif(not HAS_SHARED_DATA, reason=NEEDS_SHARED_DATA)
def test_real_catalogue_search() -> None:
    catalogue = load_catalogue()
    assert catalogue.search("The Matrix")[0].id == 603
    assert [f.id for f in catalogue.search("the matrix", year=1999)] == [603]
    assert catalogue.search("Fight Club")[0].id == 550
