"""What is kept of a TMDB details answer fits its columns whatever TMDB sends (issue 13, item 3)."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime

import pytest

from letterboxd_stats.tmdb.metadata import (
    MAX_INT,
    MAX_ITEMS,
    MAX_TEXT_CHARS,
    bounded_int,
    finite,
    movie_row,
    trim_details,
)
from letterboxd_stats.tmdb.schemas import MovieDetails


@pytest.mark.parametrize(
    ("value", "kept"),
    [(0, 0), (MAX_INT, MAX_INT), (MAX_INT + 1, None), (-1, None), (2**80, None), (True, None),
     (1.5, None), ("7", None), (None, None)],
)  # fmt: skip
def test_integers_fit_an_integer_column(value: object, kept: int | None) -> None:
    assert bounded_int(value) == kept


@pytest.mark.parametrize(
    ("value", "kept"),
    [(7.5, 7.5), (3, 3.0), (2**80, float(2**80)), (10**400, None), (math.inf, None),
     (-math.inf, None), (math.nan, None), (False, None), ("1", None)],
)  # fmt: skip
def test_numbers_are_finite(value: object, kept: float | None) -> None:
    assert finite(value) == kept


def test_an_absurd_answer_is_trimmed_to_what_fits() -> None:
    details = json.loads(
        '{"id": 603, "title": null, "original_title": "' + "o" * 9_000 + '", "runtime": 1e999,'
        ' "vote_count": 99999999999999999999999, "popularity": NaN, "vote_average": Infinity,'
        ' "poster_path": "/'
        + "p" * 600
        + '", "genres": ['
        + ",".join(f'{{"id": {n}, "name": "g{n}"}}' for n in range(1000))
        + '], "credits": {"cast": [{"id": 1, "name": "A", "order": 1e400},'
        ' {"id": 2, "name": "' + "n" * 1000 + '", "order": 3, "character": null}], "crew": []}}'
    )
    answer = MovieDetails.model_validate(details)
    data = trim_details(answer).model_dump()
    assert data["title"] is None
    assert len(data["original_title"]) == MAX_TEXT_CHARS
    assert (data["runtime"], data["vote_count"], data["popularity"]) == (None, None, None)
    assert data["vote_average"] is None
    assert data["poster_path"] is None  # a cut path would point at another image
    assert len(data["genres"]) == MAX_ITEMS
    assert [(c["id"], len(c["name"])) for c in data["cast"]] == [(2, MAX_TEXT_CHARS)]
    json.dumps(data, allow_nan=False)  # storable as JSON anywhere
    row = movie_row(answer, datetime.now(UTC))
    assert (row["tmdb_id"], row["title"]) == (603, "o" * MAX_TEXT_CHARS)
    untitled = MovieDetails.model_validate({"id": 1, "title": None})
    assert movie_row(untitled, None)["title"] == ""
