from datetime import date

import pytest

from letterboxd_stats.ingest import fields as f


@pytest.mark.parametrize(
    ("text", "half_stars"),
    [("0.5", 1), ("1", 2), ("1.0", 2), ("2.5", 5), ("4.5", 9), ("5", 10), ("5.0", 10), ("", None)],
)
def test_ratings_are_half_stars(text: str, half_stars: int | None) -> None:
    assert f.parse_rating(text) == half_stars


@pytest.mark.parametrize("text", ["0", "5.5", "6", "3.25", "abc", "-1", "10"])
def test_bad_ratings_are_rejected(text: str) -> None:
    with pytest.raises(f.FieldError, match="Rating"):
        f.parse_rating(text)


def test_dates_must_be_iso() -> None:
    assert f.parse_date("2024-02-29", "Date") == date(2024, 2, 29)
    for bad in ("2023-02-29", "29/02/2024", "20240229", "2024-2-9", ""):
        with pytest.raises(f.FieldError, match="Date"):
            f.parse_date(bad, "Date")


def test_year_blank_or_digits() -> None:
    assert f.parse_year("") is None
    assert f.parse_year("1895") == 1895
    for bad in ("19x5", "12345", "١٩٩٥"):
        with pytest.raises(f.FieldError, match="Year"):
            f.parse_year(bad)


def test_tags_split_on_commas_keep_order_and_drop_repeats() -> None:
    assert f.parse_tags("on-vhs, cinema,,  on-vhs ,friends") == ("on-vhs", "cinema", "friends")
    assert f.parse_tags("") == ()


def test_rewatch() -> None:
    assert f.parse_rewatch("Yes") is True
    assert f.parse_rewatch("") is False
    with pytest.raises(f.FieldError, match="Rewatch"):
        f.parse_rewatch("maybe")
