"""`film_key`: one key per film, from a Letterboxd link of any era."""

from __future__ import annotations

import pytest

from letterboxd_stats.ingest.uris import film_key


@pytest.mark.parametrize(
    ("uri", "key"),
    [
        # today's short links (the id's case is kept: ids are case-sensitive)
        ("https://boxd.it/29Qw", "boxd:29Qw"),
        ("https://boxd.it/29Qw/", "boxd:29Qw"),
        ("http://boxd.it/29Qw", "boxd:29Qw"),
        ("HTTPS://BOXD.IT/29Qw", "boxd:29Qw"),
        ("  https://boxd.it/29Qw \n", "boxd:29Qw"),
        ("https://boxd.it/29Qw?ref=x", "boxd:29Qw"),
        # a film's page, before about 2020
        ("https://letterboxd.com/film/heat-1995/", "slug:heat-1995"),
        ("https://letterboxd.com/film/heat-1995", "slug:heat-1995"),
        ("http://letterboxd.com/film/heat-1995/", "slug:heat-1995"),
        ("http://www.letterboxd.com/film/heat-1995/", "slug:heat-1995"),
        ("https://Letterboxd.com/film/Heat-1995/", "slug:heat-1995"),
        ("https://letterboxd.com/film/heat-1995/#reviews", "slug:heat-1995"),
        ("letterboxd.com/film/heat-1995/", "slug:heat-1995"),
        # a member's diary entry or review of the film, and its rewatches
        ("https://letterboxd.com/tester/film/heat-1995/", "slug:heat-1995"),
        ("https://letterboxd.com/tester/film/heat-1995", "slug:heat-1995"),
        ("https://letterboxd.com/tester/film/heat-1995/1/", "slug:heat-1995"),
        ("http://letterboxd.com/Some_User/film/heat-1995/12", "slug:heat-1995"),
    ],
)
def test_every_form_of_a_film_link_has_one_key(uri: str, key: str) -> None:
    assert film_key(uri) == key


@pytest.mark.parametrize(
    "uri",
    [
        None,
        "",
        "   ",
        "https://boxd.it/",
        "https://boxd.it/a/b",
        "https://boxd.it/not-an-id",
        "https://letterboxd.com/",
        "https://letterboxd.com/film/",
        "https://letterboxd.com/tester/",
        "https://letterboxd.com/tester/list/favourites/",
        "https://letterboxd.com/film/heat-1995/reviews/",
        "https://letterboxd.com/tester/film/heat-1995/reviews/",
        "https://letterboxd.com/tester/film/heat-1995/one/",
        "https://letterboxd.com/tester/film/heat-1995/\u0661/",  # an Arabic-Indic digit
        "https://letterboxd.com/film/heat 1995/",
        "https://letterboxd.com/film/heat%201995/",
        "https://example.com/film/heat-1995/",
        "https://notletterboxd.com/film/heat-1995/",
        "ftp://letterboxd.com/film/heat-1995/",
        "heat-1995",
        "e1",
    ],
)
def test_anything_else_has_no_key(uri: str | None) -> None:
    assert film_key(uri) is None


def test_forms_of_different_films_and_eras_stay_apart() -> None:
    keys = {
        film_key("https://boxd.it/29Qw"),
        film_key("https://boxd.it/29qw"),
        film_key("https://letterboxd.com/film/heat/"),
        film_key("https://letterboxd.com/film/heat-1995/"),
    }
    assert len(keys) == 4
