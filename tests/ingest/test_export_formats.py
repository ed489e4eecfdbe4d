"""Every export format Letterboxd has written imports: a 2016 diary without Rewatch, links of
before 2020, lists without the v7 line, rows without a link or a year, partial exports. Each
one as a zip and as loose CSVs, through the API; the library they make, from the parser."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats import errors
from letterboxd_stats.ingest.kinds import FileKind, kind_by_header
from letterboxd_stats.ingest.library import Library, build_library
from letterboxd_stats.ingest.parse import parse_export
from tests.fixtures.apps import AppFactory
from tests.fixtures.database import count_rows
from tests.fixtures.exports import (
    DIARY,
    DIARY_2016,
    FILM,
    PROFILE,
    RATINGS,
    REVIEWS,
    csv_text,
    export_file,
    list_csv,
    small_export,
    upload_parts,
)
from tests.fixtures.tmdb import CATALOGUE, TMDB_SETTINGS, FakeTmdb
from tests.fixtures.uploads import movies_by_title, wait_completed

SHAPES = pytest.mark.parametrize("shape", ["zip", "loose"])


def _library(files: Mapping[str, str | bytes]) -> Library:
    return build_library(parse_export([export_file(p, c) for p, c in files.items()], []))


async def _upload(client: httpx.AsyncClient, files: Mapping[str, str], shape: str) -> Any:
    """The 202 answer and the session's summary."""
    response = await client.post("/api/upload", files=upload_parts(files, shape))
    assert response.status_code == 202, response.text
    accepted = response.json()
    summary = (await client.get(f"/api/session/{accepted['session_id']}")).json()
    return accepted, summary


async def _rejected(
    client: httpx.AsyncClient, engine: AsyncEngine, files: Mapping[str, str], shape: str
) -> dict[str, str]:
    """The error answer of an upload that must store nothing."""
    before = await count_rows(engine)
    response = await client.post("/api/upload", files=upload_parts(files, shape))
    assert response.status_code == 400, response.text
    assert await count_rows(engine) == before
    body: dict[str, str] = response.json()
    return body


def _where(shape: str, path: str) -> str:
    """How an error names a file of the upload."""
    return f"export.zip: {path}" if shape == "zip" else path.rsplit("/", 1)[-1]


# --- a 2016-era diary: no Rewatch column ---

DIARY_2016_ROWS = [
    '2016-03-02,Heat,1995,https://letterboxd.com/tester/film/heat/,4.5,"crime, la",2016-03-01',
    "2016-04-02,Heat,1995,https://letterboxd.com/tester/film/heat/1/,5,,2016-04-01",
    "2016-05-02,Ran,1985,https://letterboxd.com/tester/film/ran/,,,",
]


def _export_2016() -> dict[str, str]:
    return {
        "watched.csv": csv_text(
            FILM,
            [
                "2016-03-02,Heat,1995,https://letterboxd.com/film/heat/",
                "2016-05-02,Ran,1985,https://letterboxd.com/film/ran/",
            ],
        ),
        "diary.csv": csv_text(DIARY_2016, DIARY_2016_ROWS),
        "reviews.csv": csv_text(
            "Date,Name,Year,Letterboxd URI,Rating,Review,Tags,Watched Date",
            [
                "2016-03-02,Heat,1995,https://letterboxd.com/tester/film/heat/,4.5,Tense.,,2016-03-01"
            ],
        ),
    }


@SHAPES
async def test_a_2016_diary_without_rewatch_imports(client: httpx.AsyncClient, shape: str) -> None:
    accepted, summary = await _upload(client, _export_2016(), shape)
    assert accepted["total_movies"] == 2
    assert (summary["counts"]["diary_entries"], summary["counts"]["reviews"]) == (3, 1)
    films = await movies_by_title(client, accepted["session_id"])
    heat, ran = films["Heat"], films["Ran"]
    assert heat["review_count"] == 1
    assert heat["watched_dates"] == ["2016-03-01", "2016-04-01"]
    assert heat["rewatch_count"] == 0  # no Rewatch column: no viewing is flagged
    assert heat["tags"] == ["crime", "la"]
    assert heat["rating"] == 5  # no ratings.csv: the latest rated viewing's
    assert ran["watched_dates"] == ["2016-05-02"]  # no Watched Date: the day it was logged
    assert (ran["rating"], ran["letterboxd_uri"]) == (None, "https://letterboxd.com/film/ran/")


def test_a_missing_optional_column_reads_blank() -> None:
    library = _library({"diary.csv": csv_text(DIARY_2016, DIARY_2016_ROWS)})
    assert [entry.rewatch for _, entry in library.diary] == [False, False, False]
    assert [entry.tags for _, entry in library.diary] == [("crime", "la"), (), ()]
    assert [f.title for f in library.films] == ["Heat", "Ran"]


def test_a_loose_2016_diary_is_told_by_its_header() -> None:
    assert kind_by_header("anything.csv", DIARY_2016.split(",")) is FileKind.diary
    assert kind_by_header("d.csv", DIARY.split(",")) is FileKind.diary
    assert kind_by_header("r.csv", REVIEWS.split(",")) is FileKind.reviews
    assert kind_by_header("r.csv", RATINGS.split(",")) is FileKind.ratings
    # a column Letterboxd may add one day does not hide what the file is
    assert kind_by_header("d.csv", [*DIARY.split(","), "Mood"]) is FileKind.diary
    # a diary without its Name is still a diary (and then rejected for lacking Name)
    assert kind_by_header("d.csv", ["Date", "Year", "Letterboxd URI", "Tags"]) is FileKind.diary
    # one column in common with a film file is not enough
    assert kind_by_header("d.csv", ["Name", "Tags", "Rating"]) is None


@SHAPES
async def test_a_diary_without_name_is_rejected_naming_file_and_line(
    client: httpx.AsyncClient, engine: AsyncEngine, shape: str
) -> None:
    files = {
        "diary.csv": csv_text(
            "Date,Year,Letterboxd URI,Rating,Tags,Watched Date",
            ["2016-03-02,1995,https://letterboxd.com/tester/film/heat/,4.5,,2016-03-01"],
        )
    }
    body = await _rejected(client, engine, files, shape)
    assert body["error"] == "InvalidCsv"
    assert f"{_where(shape, 'diary.csv')}: line 1: the header lacks Name" in body["detail"]


@pytest.mark.parametrize(
    ("path", "header", "lacks"),
    [
        ("watched.csv", "Date,Year,Letterboxd URI", "Name"),
        ("watchlist.csv", "Name,Year,Letterboxd URI", "Date"),
        ("ratings.csv", FILM, "Rating"),
        ("reviews.csv", DIARY, "Review"),
        ("diary.csv", "Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date", "Date"),
    ],
)
def test_a_missing_required_column_is_an_error(path: str, header: str, lacks: str) -> None:
    with pytest.raises(errors.InvalidCsv, match=rf"^{path}: line 1: the header lacks {lacks} "):
        parse_export([export_file(path, csv_text(header, []))], [])


# --- links of before 2020: film pages, and members' pages of a film for diary and reviews ---


def _export_2019() -> dict[str, str]:
    return {
        "watched.csv": csv_text(
            FILM,
            [
                "2019-01-02,Heat,1995,https://letterboxd.com/film/heat/",
                "2019-01-03,Ran,1985,http://letterboxd.com/film/ran",
                "2019-01-04,Amélie,2001,https://boxd.it/amelie",
            ],
        ),
        "ratings.csv": csv_text(
            RATINGS,
            [
                "2019-01-02,Heat,1995,http://letterboxd.com/film/heat,4.5",
                "2019-01-03,Ran,1985,https://letterboxd.com/film/ran/,4",
            ],
        ),
        "likes/films.csv": csv_text(
            FILM, ["2019-01-05,Heat,1995,https://www.letterboxd.com/film/heat/"]
        ),
        "diary.csv": csv_text(
            DIARY,
            [
                "2019-01-02,Heat,1995,https://letterboxd.com/tester/film/heat/,4.5,,,2019-01-01",
                "2019-02-02,Heat,1995,https://letterboxd.com/tester/film/heat/1/,5,Yes,,2019-02-01",
            ],
        ),
        "reviews.csv": csv_text(
            REVIEWS,
            [
                "2019-01-02,Heat,1995,https://letterboxd.com/tester/film/heat/,4.5,,Tense.,,2019-01-01"
            ],
        ),
        "lists/old.csv": list_csv(
            "Old",
            [
                "1,Heat,1995,https://letterboxd.com/film/heat/,",
                "2,Ran,1985,http://letterboxd.com/film/ran,",
                "3,Ikiru,1952,https://letterboxd.com/film/ikiru/,",
            ],
            version_line=False,
        ),
        "watchlist.csv": csv_text(
            FILM, ["2019-03-01,Ikiru,1952,https://letterboxd.com/film/ikiru/"]
        ),
    }


@SHAPES
async def test_links_of_before_2020_make_one_film_each(
    client: httpx.AsyncClient, shape: str
) -> None:
    accepted, summary = await _upload(client, _export_2019(), shape)
    assert accepted["total_movies"] == 3
    assert summary["counts"] == {
        "films": 3,
        "diary_entries": 2,
        "ratings": 2,
        "reviews": 1,
        "likes": 1,
        "lists": 1,
        "list_entries": 3,
        "watchlist": 1,
    }
    heat = (await movies_by_title(client, accepted["session_id"]))["Heat"]
    assert heat["letterboxd_uri"] == "https://letterboxd.com/film/heat/"  # as watched.csv has it
    assert (heat["rating"], heat["liked"], heat["review_count"]) == (4.5, True, 1)
    assert (heat["watched_dates"], heat["rewatch_count"]) == (["2019-01-01", "2019-02-01"], 1)


def test_list_entries_find_their_films_by_any_form_of_link() -> None:
    library = _library(_export_2019())
    films = {film.title: film.film_no for film in library.films}
    assert library.lists[0].film_nos == (films["Heat"], films["Ran"], None)
    assert library.reviews[0][0] == films["Heat"]


def test_a_link_of_no_known_form_still_identifies_its_film() -> None:
    rows = [
        "2024-01-01,The Haunted Castle,1897,https://example.com/a",
        "2024-01-01,The Haunted Castle,1897,https://example.com/b",
    ]
    ratings = ["2024-01-01,The Haunted Castle,1897,https://example.com/b,3"]
    library = _library(
        {"watched.csv": csv_text(FILM, rows), "ratings.csv": csv_text(RATINGS, ratings)}
    )
    assert [(f.uri, f.rating) for f in library.films] == [
        ("https://example.com/a", None),
        ("https://example.com/b", 6),
    ]


# --- lists before v7: a blank first line instead of "Letterboxd list export v7" ---


@SHAPES
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
async def test_a_list_before_v7_imports(
    client: httpx.AsyncClient, shape: str, newline: str
) -> None:
    old_list = list_csv(
        "Favourites",
        ["1,Heat,1995,https://boxd.it/heat,", "2,Ran,1985,https://boxd.it/ran,best"],
        version_line=False,
    )
    assert old_list.startswith("\nDate,Name,Tags,URL,Description\n")
    files = {
        "watched.csv": csv_text(FILM, ["2024-01-02,Heat,1995,https://boxd.it/heat"]),
        "lists/favourites.csv": old_list.replace("\n", newline),
    }
    accepted, summary = await _upload(client, files, shape)
    assert (summary["counts"]["lists"], summary["counts"]["list_entries"]) == (1, 2)
    assert accepted["warnings"] == []


# --- rows without a Letterboxd URI (films since removed from Letterboxd) ---


def _export_without_links() -> dict[str, str]:
    return {
        "watched.csv": csv_text(
            FILM,
            ["2024-01-02,Removed Film,1999,", "2024-01-03,Heat,1995,https://boxd.it/heat"],
        ),
        "ratings.csv": csv_text(RATINGS, ["2024-01-02,Removed Film,1999,,3"]),
        "likes/films.csv": csv_text(FILM, ["2024-01-02,Removed Film,1999,"]),
        "diary.csv": csv_text(
            DIARY,
            [
                "2024-01-02,Removed Film,1999,,3,,,2024-01-01",
                "2024-01-04,Gone Too,2001,,,,,2024-01-04",
            ],
        ),
        "reviews.csv": csv_text(REVIEWS, ["2024-01-05,Review Only,1980,,4,,Great.,,2024-01-05"]),
        "watchlist.csv": csv_text(FILM, ["2024-05-01,Lost,1970,"]),
        "lists/l.csv": list_csv(
            "L", ["1,Removed Film,1999,,", "2,Heat,1995,https://boxd.it/heat,"]
        ),
    }


@SHAPES
async def test_rows_without_a_link_import(client: httpx.AsyncClient, shape: str) -> None:
    accepted, summary = await _upload(client, _export_without_links(), shape)
    # a review alone makes no film: Removed Film, Heat and the diary's Gone Too
    assert accepted["total_movies"] == 3
    assert summary["counts"] == {
        "films": 3,
        "diary_entries": 2,
        "ratings": 1,
        "reviews": 1,
        "likes": 1,
        "lists": 1,
        "list_entries": 2,
        "watchlist": 1,
    }
    films = await movies_by_title(client, accepted["session_id"])
    removed = films["Removed Film"]
    assert (removed["letterboxd_uri"], removed["rating"], removed["liked"]) == (None, 3, True)
    assert removed["watched_dates"] == ["2024-01-01"]
    assert films["Gone Too"]["letterboxd_uri"] is None
    assert "Review Only" not in films


def test_a_row_without_a_link_is_the_film_of_its_name_and_year() -> None:
    library = _library(_export_without_links())
    films = {film.title: film for film in library.films}
    assert [f.title for f in library.films] == ["Removed Film", "Heat", "Gone Too"]
    assert library.reviews[0][0] is None
    # a list entry without a link is not matched to a film (a link is what lists go by)
    assert library.lists[0].film_nos == (None, films["Heat"].film_no)


# --- rows without a Year ---


def _export_without_years() -> dict[str, str]:
    return {
        "watched.csv": csv_text(
            FILM,
            [
                "2024-01-02,Untitled Project,,https://boxd.it/untitled",
                "2024-01-03,Heat,1995,https://boxd.it/heat",
            ],
        ),
        "ratings.csv": csv_text(
            RATINGS, ["2024-01-02,Untitled Project,,https://boxd.it/untitled,4"]
        ),
        "diary.csv": csv_text(
            DIARY,
            [
                "2024-01-02,Untitled Project,,https://boxd.it/e1,4,,,2024-01-01",
                "2024-01-06,Diary Only,,https://boxd.it/e2,,,,2024-01-05",
            ],
        ),
        "watchlist.csv": csv_text(FILM, ["2024-05-01,Someday,,https://boxd.it/someday"]),
    }


@SHAPES
async def test_rows_without_a_year_import(client: httpx.AsyncClient, shape: str) -> None:
    accepted, summary = await _upload(client, _export_without_years(), shape)
    assert (accepted["total_movies"], accepted["watchlist_count"]) == (3, 1)
    assert summary["counts"]["diary_entries"] == 2
    films = await movies_by_title(client, accepted["session_id"])
    untitled = films["Untitled Project"]
    assert (untitled["year"], untitled["rating"], untitled["watched_dates"]) == (
        None,
        4,
        ["2024-01-01"],
    )
    assert films["Diary Only"]["year"] is None


async def test_rows_without_links_or_years_enrich_and_have_statistics(
    make_client: AppFactory,
) -> None:
    """Through the whole job on the fake TMDB: every film ends in a final state, none failed."""
    client = await make_client(tmdb_transport=FakeTmdb(CATALOGUE).transport(), **TMDB_SETTINGS)
    files = _export_without_links() | {
        name: content
        for name, content in _export_without_years().items()
        if name in ("watched.csv", "watchlist.csv")
    }
    response = await client.post("/api/upload", files=upload_parts(files, "zip"))
    assert response.status_code == 202, response.text
    session_id = response.json()["session_id"]
    status = await wait_completed(client, session_id)
    await client.app.state.runner.wait_idle()
    assert status["status"] == "completed"
    assert status["enriched_count"] == status["total_movies"] == 4
    assert status["failed_count"] == 0
    assert (await movies_by_title(client, session_id))["Heat"]["tmdb_id"] == 949
    stats = await client.get(f"/api/session/{session_id}/stats")
    assert stats.status_code == 200, stats.text
    assert stats.json()["totals"]["films"] == 4
    assert (await client.get(f"/api/session/{session_id}/export.csv")).status_code == 200


# --- partial exports ---


def _diary_and_ratings() -> dict[str, str]:
    return {
        "diary.csv": csv_text(
            DIARY,
            [
                "2024-01-02,Heat,1995,https://boxd.it/e1,4.5,,,2024-01-01",
                "2024-03-01,Only In Diary,1970,https://boxd.it/e3,,,,2024-02-28",
            ],
        ),
        "ratings.csv": csv_text(
            RATINGS,
            [
                "2024-01-02,Heat,1995,https://boxd.it/heat,4.5",
                "2024-01-04,Ran,1985,https://boxd.it/ran,4",
            ],
        ),
    }


@SHAPES
async def test_only_diary_and_ratings(client: httpx.AsyncClient, shape: str) -> None:
    accepted, summary = await _upload(client, _diary_and_ratings(), shape)
    assert accepted["missing_files"] == [
        "watched.csv",
        "reviews.csv",
        "watchlist.csv",
        "profile.csv",
    ]
    assert accepted["total_movies"] == 3  # Heat and Ran rated, Only In Diary
    assert (summary["counts"]["diary_entries"], summary["counts"]["ratings"]) == (2, 2)
    films = await movies_by_title(client, accepted["session_id"])
    assert (films["Heat"]["rating"], films["Heat"]["watched_dates"]) == (4.5, ["2024-01-01"])
    assert films["Ran"]["watched_dates"] == []


@SHAPES
async def test_only_ratings(client: httpx.AsyncClient, shape: str) -> None:
    files = {"ratings.csv": _diary_and_ratings()["ratings.csv"]}
    accepted, summary = await _upload(client, files, shape)
    assert accepted["missing_files"] == [
        "watched.csv",
        "diary.csv",
        "reviews.csv",
        "watchlist.csv",
        "profile.csv",
    ]
    assert accepted["total_movies"] == summary["counts"]["ratings"] == 2
    assert summary["counts"]["diary_entries"] == 0
    stats = await client.get(f"/api/session/{accepted['session_id']}/stats")
    assert stats.status_code == 200, stats.text
    assert stats.json()["diary"]["viewings"] == 0


@SHAPES
async def test_a_full_export_misses_nothing(client: httpx.AsyncClient, shape: str) -> None:
    files = {p: c for p, c in small_export().items() if not p.startswith("deleted/")}
    accepted, _ = await _upload(client, files, shape)
    assert accepted["missing_files"] == []


def test_an_empty_file_is_not_missing() -> None:
    files = {"watched.csv": csv_text(FILM, []), "profile.csv": csv_text(PROFILE, [])}
    export = parse_export([export_file(p, c) for p, c in files.items()], [])
    assert export.missing_files == ["diary.csv", "ratings.csv", "reviews.csv", "watchlist.csv"]
