"""What an import accepts is bounded (issue 13, items 3 and 4): lengths of titles, list names,
tags, links and usernames, and the range of dates. Beyond a bound, the upload is a 400 naming
the file and the line, and nothing is stored."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats import errors
from letterboxd_stats.ingest import fields as f
from letterboxd_stats.ingest.parse import parse_export
from tests.fixtures.database import count_rows
from tests.fixtures.exports import (
    DIARY,
    FILM,
    PROFILE,
    REVIEWS,
    csv_text,
    export_file,
    list_csv,
    make_zip,
    multipart,
)

RANGE = f.DateRange(date(1870, 1, 1), date(2027, 1, 1))
GOOD = "2024-01-01,Fine,2000,https://boxd.it/ok,3,,,2024-01-01"


def _diary(row: str) -> str:
    return csv_text(DIARY, [GOOD, row])


# --- fields ---


def test_a_date_range_includes_both_ends() -> None:
    assert f.parse_date("1870-01-01", "Date", RANGE) == date(1870, 1, 1)
    assert f.parse_date("2027-01-01", "Date", RANGE) == date(2027, 1, 1)
    for outside in ("1869-12-31", "2027-01-02", "0001-01-01", "9999-12-31"):
        with pytest.raises(f.FieldError, match=rf"Date {outside} is outside the dates accepted"):
            f.parse_date(outside, "Date", RANGE)
    assert f.parse_optional_date("", "Watched Date", RANGE) is None
    assert f.parse_date("9999-12-31", "Date") == date(9999, 12, 31)  # no range given: any date


def test_a_range_until_a_number_of_days_after_today() -> None:
    today = date(2026, 12, 1)
    assert f.DateRange.until(date(1870, 1, 1), today, 366).last == date(2027, 12, 2)
    assert f.DateRange.until(date(1870, 1, 1), today, 0).last == today
    assert f.DateRange.until(date(1, 1, 1), date(9999, 12, 1), 366).last == date.max


def test_lengths_are_bounded() -> None:
    assert f.parse_title("x" * 500) == "x" * 500
    with pytest.raises(f.FieldError, match=r"Name 'x+'… is 501 characters long \(at most 500\)"):
        f.parse_title("x" * 501)
    assert f.parse_tags("a" * 200 + ",b") == ("a" * 200, "b")
    with pytest.raises(f.FieldError, match=r"A tag in Tags 'a+'… is 201 characters long"):
        f.parse_tags("b," + "a" * 201)
    assert f.optional_bounded("  ", "URL", 5) is None
    with pytest.raises(f.FieldError, match=r"URL 'abcdef'… is 6 characters long \(at most 5\)"):
        f.optional_bounded(" abcdef ", "URL", 5)


# --- files: the error names the file and the line ---

LONG = "x" * 501
BAD_ROWS = [
    ("1869-12-31,Heat,1995,https://boxd.it/e,4,,,2024-01-01", "Date 1869-12-31 is outside"),
    ("2024-01-01,Heat,1995,https://boxd.it/e,4,,,9999-12-27", "Watched Date 9999-12-27"),
    ("2024-01-01,Heat,1995,https://boxd.it/e,4,,,0001-01-01", "Watched Date 0001-01-01"),
    (f"2024-01-01,{LONG},1995,https://boxd.it/e,4,,,2024-01-01", "Name 'x+'… is 501 char"),
    (f"2024-01-01,Heat,1995,https://boxd.it/{LONG},4,,,2024-01-01", "Letterboxd URI 'https"),
    (f"2024-01-01,Heat,1995,https://boxd.it/e,4,,{'t' * 201},2024-01-01", "A tag in Tags"),
]


@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_a_row_beyond_a_bound_names_file_and_line(row: str, message: str) -> None:
    with pytest.raises(errors.InvalidRow, match=rf"^diary\.csv: line 3: {message}"):
        parse_export([export_file("diary.csv", _diary(row))], [], dates=RANGE)


@pytest.mark.parametrize(
    ("path", "content", "line", "message"),
    [
        ("watched.csv", csv_text(FILM, ["1850-05-05,Heat,1995,u"]), 2, "Date 1850-05-05"),
        (
            "reviews.csv",
            csv_text(REVIEWS, ["2024-01-01,Heat,1995,u,4,,Good,,2030-01-01"]),
            2,
            "Watched Date 2030-01-01",
        ),
        (
            "profile.csv",
            csv_text(PROFILE, [f"2020-01-01,{'u' * 101},,,,,,,,"]),
            2,
            "Username 'u+'… is 101 characters",
        ),
        (
            "profile.csv",
            csv_text(PROFILE, ["1800-01-01,me,,,,,,,,"]),
            2,
            "Date Joined 1800-01-01",
        ),
        ("lists/l.csv", list_csv(LONG, []), 3, "Name 'x+'… is 501 characters"),
        ("lists/l.csv", list_csv("Top", [f"1,Heat,1995,u{LONG},"]), 6, "URL 'u"),
        ("lists/l.csv", list_csv("Top", [f"1,{LONG},1995,u,"]), 6, "Name 'x+'…"),
    ],
)
def test_every_file_bounds_its_fields(path: str, content: str, line: int, message: str) -> None:
    with pytest.raises(errors.InvalidRow, match=rf"^{path}: line {line}: {message}"):
        parse_export([export_file(path, content)], [], dates=RANGE)


def test_values_at_the_bounds_are_accepted() -> None:
    row = f"2027-01-01,{'x' * 500},1995,https://{'u' * 492},4,,{'t' * 200},1870-01-01"
    export = parse_export([export_file("diary.csv", _diary(row))], [], dates=RANGE)
    entry = export.diary[1]
    assert (len(entry.title), entry.tags, entry.watched_on) == (500, ("t" * 200,), RANGE.first)
    assert entry.uri is not None
    assert len(entry.uri) == 500
    assert entry.logged_on == RANGE.last


# --- through the app ---


@pytest.fixture
async def unchanged(engine: AsyncEngine) -> AsyncIterator[None]:
    before = await count_rows(engine)
    yield
    assert await count_rows(engine) == before


def _zip_with_diary(row: str) -> Any:
    return multipart(("export.zip", make_zip({"diary.csv": _diary(row)})))


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("watched_on", "detail"),
    [
        ("9999-12-27", "Watched Date 9999-12-27 is outside the dates accepted (1870-01-01 to "),
        ("1869-12-31", "Watched Date 1869-12-31 is outside the dates accepted (1870-01-01 to "),
    ],
)
async def test_an_upload_with_a_date_out_of_range_is_400(
    client: httpx.AsyncClient, watched_on: str, detail: str
) -> None:
    row = f"2024-01-01,Heat,1995,https://boxd.it/e,4,,,{watched_on}"
    response = await client.post("/api/upload", files=_zip_with_diary(row))
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "InvalidRow"
    assert response.json()["detail"].startswith(f"export.zip: diary.csv: line 3: {detail}")


@pytest.mark.usefixtures("unchanged")
async def test_an_upload_with_a_596_character_title_is_400(client: httpx.AsyncClient) -> None:
    title = ("Longest Title Ever Typed " * 24)[:596]
    row = f"2024-01-01,{title},1995,https://boxd.it/e,4,,,2024-01-01"
    response = await client.post("/api/upload", files=_zip_with_diary(row))
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "InvalidRow"
    assert body["detail"] == (
        "export.zip: diary.csv: line 3: Name 'Longest Title Ever Typed Longest Title E'… "
        "is 596 characters long (at most 500)"
    )


async def test_the_date_range_is_set_by_min_date_and_max_future_days(make_client: Any) -> None:
    client = await make_client(min_date=date(2000, 1, 1), max_future_days=10)
    today = datetime.now(UTC).date()
    for watched_on, status in [
        (today + timedelta(days=10), 202),
        (today + timedelta(days=11), 400),
        (date(2000, 1, 1), 202),
        (date(1999, 12, 31), 400),
    ]:
        row = f"2024-01-01,Heat,1995,https://boxd.it/e,4,,,{watched_on.isoformat()}"
        response = await client.post("/api/upload", files=_zip_with_diary(row))
        assert response.status_code == status, (watched_on, response.text)
