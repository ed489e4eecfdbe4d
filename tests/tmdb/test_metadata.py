"""What is kept of a TMDB details answer fits its columns whatever TMDB sends (issue 13, item 3)."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime

import pytest

from letterboxd_stats.tmdb.decision import TmdbKind
from letterboxd_stats.tmdb.metadata import (
    MAX_INT,
    MAX_ITEMS,
    MAX_TEXT_CHARS,
    bounded_int,
    finite,
    movie_row,
    trim_details,
    trim_tv,
    tv_row,
)
from letterboxd_stats.tmdb.schemas import MovieData, MovieDetails, TvDetails


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


def _series(**fields: object) -> TvDetails:
    return TvDetails.model_validate(
        {
            "id": 87108,
            "name": "Chernobyl",
            "first_air_date": "2019-05-06",
            "episode_run_time": [60, 70],
            "number_of_episodes": 5,
            "aggregate_credits": {
                "cast": [
                    {"id": 2, "name": "B", "order": 1, "roles": [{"character": "Two"}]},
                    {"id": 1, "name": "A", "order": 0,
                     "roles": [{"character": None}, {"character": "One"}]},
                    {"id": 3, "name": "No order", "roles": []},
                ],
                "crew": [
                    {"id": 9, "name": "D", "jobs": [{"job": "Director"}, {"job": "Director"},
                                                    {"job": "Writer"}, {"job": "Gaffer"}]},
                ],
            },
            "keywords": {"results": [{"id": 5, "name": "nuclear"}]},
        }
        | fields
    )  # fmt: skip


def test_a_series_is_kept_as_a_film_of_kind_tv() -> None:
    row = tv_row(_series(), datetime.now(UTC))
    data = row["data"]
    assert (row["kind"], row["tmdb_id"], row["title"]) == (TmdbKind.tv, 87108, "Chernobyl")
    assert str(row["release_date"]) == "2019-05-06"
    assert row["runtime"] == data.runtime == 65 * 5
    assert [(c.name, c.character, c.order) for c in data.cast] == [("A", "One", 0), ("B", "Two", 1)]
    assert [(c.name, c.job) for c in data.crew] == [("D", "Director"), ("D", "Writer")]
    assert [k.name for k in data.keywords] == ["nuclear"]
    assert MovieData.model_validate(data.model_dump(mode="json")).kind is TmdbKind.tv


@pytest.mark.parametrize(
    "fields", [{"episode_run_time": []}, {"number_of_episodes": None}, {"number_of_episodes": 0}]
)
def test_a_series_runtime_needs_its_episode_length_and_count(fields: dict[str, object]) -> None:
    assert trim_tv(_series(**fields)).runtime is None


def test_a_movie_document_without_a_kind_is_a_movies() -> None:
    assert MovieData.model_validate({"version": 1, "id": 603}).kind is TmdbKind.movie


@pytest.mark.parametrize(
    ("sent", "kept"),
    [({"id": 10, "name": "Star Wars Collection", "poster_path": "/sw.jpg"}, 10),
     (None, None), ({"id": 0, "name": "none"}, None), ({"name": "no id"}, None), ("10", None),
     ({"id": "10"}, None)],
)  # fmt: skip
def test_a_films_collection_is_kept_when_it_is_one(sent: object, kept: int | None) -> None:
    details = MovieDetails.model_validate(
        {"id": 11, "title": "Star Wars", "belongs_to_collection": sent}
    )
    row = movie_row(details, datetime.now(UTC))
    assert row["collection_id"] == kept
    collection = row["data"].collection
    assert (collection.id if collection is not None else None) == kept
    stored = MovieData.model_validate(json.loads(row["data"].model_dump_json()))
    assert stored.collection == row["data"].collection  # read back as written
    absent = movie_row(MovieDetails.model_validate({"id": 12, "title": "Alone"}), None)
    assert absent["collection_id"] is None
