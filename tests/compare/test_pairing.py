"""Which film of one library is which of another: the TMDB entry, else the film's identity."""

from __future__ import annotations

from letterboxd_stats.compare.pairing import Item, same_films


def test_films_matched_to_one_tmdb_entry_are_the_same_film() -> None:
    left = [Item("Solaris", 1972, "https://boxd.it/a", ("movie", 593))]
    right = [Item("Solyaris", 1973, "https://boxd.it/zz", ("movie", 593))]
    assert same_films(left, right) == {0: 0}


def test_a_movie_and_a_series_of_one_number_are_two_films() -> None:
    left = [Item("Heimat", 1984, None, ("tv", 100))]
    right = [Item("Heimat", 1984, None, ("movie", 100))]
    assert same_films(left, right) == {}


def test_two_films_matched_differently_are_never_paired_by_title() -> None:
    left = [Item("Solaris", 1972, None, ("movie", 593))]
    right = [Item("Solaris", 1972, None, ("movie", 2103))]
    assert same_films(left, right) == {}


def test_an_unmatched_film_is_paired_by_its_link_then_title_and_year() -> None:
    left = [
        Item("Stalker", 1979, "https://letterboxd.com/film/stalker/", None),
        Item("Mirror", 1975, None, None),
        Item("Nostalghia", 1983, None, ("movie", 1394)),
    ]
    right = [
        Item("Nostalghia", 1983, None, None),  # the other side's match is missing
        Item("Сталкер", 1979, "http://letterboxd.com/film/Stalker", ("movie", 1398)),
        Item("Mirror", 1974, None, None),  # a year Letterboxd corrected
    ]
    assert same_films(left, right) == {0: 1, 1: 2, 2: 0}


def test_each_film_is_paired_once() -> None:
    left = [Item("Heat", 1995, None, ("movie", 949)), Item("Heat", 1995, None, ("movie", 949))]
    right = [Item("Heat", 1995, None, ("movie", 949))]
    assert same_films(left, right) == {0: 0}
