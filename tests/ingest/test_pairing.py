"""ingest/pairing.py: which film of an older export is which of a newer one. Pure."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from letterboxd_stats.ingest.pairing import identity, pair


@dataclass(frozen=True)
class F:
    title: str
    year: int | None
    uri: str | None = None


def test_films_with_the_same_key_are_paired_whatever_their_titles() -> None:
    old = [F("Heat", 1995, "https://boxd.it/abc"), F("Ran", 1985, "https://boxd.it/ran")]
    new = [F("Ran", 1985, "http://boxd.it/ran/"), F("Heat (renamed)", 1996, "https://boxd.it/abc")]
    result = pair(old, new)
    assert result.pairs == {0: 1, 1: 0}
    assert (result.by_title, result.by_near_year) == (0, 0)
    assert result.added(2) == result.removed(2) == []


def test_short_and_slug_links_of_one_film_are_paired_by_title_and_year() -> None:
    old = [F("The Matrix", 1999, "https://letterboxd.com/film/the-matrix/")]
    new = [F("Matrix, The", 1999, "https://boxd.it/2a5u")]
    result = pair(old, new)
    assert result.pairs == {0: 0}
    assert result.by_title == 1


def test_two_films_told_apart_by_keys_of_one_form_are_never_paired_by_title() -> None:
    old = [F("Heat", 1995, "https://boxd.it/one")]
    new = [F("Heat", 1995, "https://boxd.it/two")]
    result = pair(old, new)
    assert result.pairs == {}
    assert result.added(1) == [0]
    assert result.removed(1) == [0]
    assert result.ambiguous_old == result.ambiguous_new == []


def test_a_corrected_year_is_paired_within_one() -> None:
    old = [F("Amélie", 2001, "https://letterboxd.com/film/amelie/")]
    new = [F("Amelie", 2002, "https://boxd.it/amelie")]
    result = pair(old, new)
    assert result.pairs == {0: 0}
    assert (result.by_title, result.by_near_year) == (0, 1)


def test_a_year_two_apart_is_another_film() -> None:
    result = pair([F("Dune", 1984)], [F("Dune", 1986)])
    assert result.pairs == {}


def test_the_exact_year_wins_over_the_near_one() -> None:
    old = [F("Dune", 1984), F("Dune", 1985)]
    new = [F("Dune", 1984, "https://boxd.it/d")]
    result = pair(old, new)
    assert result.pairs == {0: 0}
    assert result.removed(2) == [1]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # two films without a link of one title and year, on one side
        ([F("Hamlet", 1990)], [F("Hamlet", 1990), F("Hamlet", 1990)]),
        ([F("Hamlet", 1990), F("Hamlet", 1990)], [F("Hamlet", 1990)]),
        # a year one off each way: either could be it
        ([F("Hamlet", 1989), F("Hamlet", 1991)], [F("Hamlet", 1990, "https://boxd.it/h")]),
        ([F("Hamlet", 1990, "https://boxd.it/h")], [F("Hamlet", 1989), F("Hamlet", 1991)]),
    ],
)
def test_a_film_with_two_candidates_is_left_unpaired_and_named(old: list[F], new: list[F]) -> None:
    result = pair(old, new)
    assert result.pairs == {}
    assert result.ambiguous_old == list(range(len(old)))
    assert result.ambiguous_new == list(range(len(new)))
    assert len(result.removed(len(old))) == len(old)
    assert len(result.added(len(new))) == len(new)


def test_an_ambiguous_title_does_not_hold_up_the_others() -> None:
    old = [F("Hamlet", 1990), F("Hamlet", 1990), F("Ran", 1985, "https://letterboxd.com/film/ran/")]
    new = [F("Hamlet", 1990), F("Ran", 1985, "https://boxd.it/ran")]
    result = pair(old, new)
    assert result.pairs == {1: 2}
    assert result.ambiguous_old == [0, 1]
    assert result.ambiguous_new == [0]


def test_films_without_a_year_pair_only_with_films_without_one() -> None:
    assert pair([F("Untitled", None)], [F("Untitled", None)]).pairs == {0: 0}
    assert pair([F("Untitled", None)], [F("Untitled", 2000)]).pairs == {}
    assert pair([F("Untitled", 2000)], [F("Untitled", None)]).pairs == {}


def test_a_link_of_no_known_form_is_its_own_key() -> None:
    assert identity("https://example.com/x") == "https://example.com/x"
    assert identity("  ") is None
    assert identity(None) is None
    old = [F("A", 2000, "https://example.com/x")]
    assert pair(old, [F("B", 2010, "https://example.com/x")]).pairs == {0: 0}


def test_a_key_already_paired_is_not_paired_twice() -> None:
    old = [F("Heat", 1995, "https://boxd.it/h")]
    new = [F("Heat", 1995, "https://boxd.it/h"), F("Heat", 1995, "https://boxd.it/h")]
    result = pair(old, new)
    assert result.pairs == {0: 0}
    assert result.added(2) == [1]


def test_every_film_is_paired_once_at_most() -> None:
    """Many films, every kind of pairing: a bijection between the paired ones."""
    old = [F(f"Film {n}", 1950 + n % 60, f"https://letterboxd.com/film/f{n}/") for n in range(300)]
    new = [
        F(f"film {n}", 1950 + n % 60 + (n % 7 == 0), f"https://boxd.it/{n}") for n in range(50, 350)
    ]
    result = pair(old, new)
    assert len(set(result.pairs.values())) == len(result.pairs)
    assert all(new[j].title.casefold() == old[i].title.casefold() for j, i in result.pairs.items())
    assert len(result.pairs) == 250
