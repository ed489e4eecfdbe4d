"""Small exports made by the tests themselves: CSV text and zips, with the real headers."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence

FILM = "Date,Name,Year,Letterboxd URI"
RATINGS = "Date,Name,Year,Letterboxd URI,Rating"
DIARY = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date"
REVIEWS = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date"
PROFILE = (
    "Date Joined,Username,Given Name,Family Name,Email Address,Location,Website,Bio,"
    "Pronoun,Favorite Films"
)


def csv_text(header: str, rows: Iterable[str], newline: str = "\n") -> str:
    return newline.join([header, *rows]) + newline


def list_csv(name: str, entries: Sequence[str], *, version_line: bool = True) -> str:
    first = "Letterboxd list export v7" if version_line else ""
    lines = [
        first,
        "Date,Name,Tags,URL,Description",
        f"2024-01-01,{name},,https://boxd.it/list1,",
        "",
        "Position,Name,Year,URL,Description",
        *entries,
    ]
    return "\n".join(lines) + "\n"


def small_export() -> dict[str, str]:
    """A tiny but complete export: 3 watched films (one liked, two rated), one diary-only film,
    a rewatch, tags, a review with HTML and a line break, a list and a watchlist."""
    return {
        "watched.csv": csv_text(
            FILM,
            [
                "2024-01-02,Heat,1995,https://boxd.it/heat",
                '2024-01-03,"Crouching Tiger, Hidden Dragon",2000,https://boxd.it/ctiger',
                "2024-01-04,Amélie,2001,https://boxd.it/amelie",
            ],
        ),
        "ratings.csv": csv_text(
            RATINGS,
            [
                "2024-01-02,Heat,1995,https://boxd.it/heat,4.5",
                "2024-01-04,Amélie,2001,https://boxd.it/amelie,3",
            ],
        ),
        "diary.csv": csv_text(
            DIARY,
            [
                '2024-01-02,Heat,1995,https://boxd.it/e1,4.5,,"crime, la",2023-12-30',
                "2024-02-02,Heat,1995,https://boxd.it/e2,5,Yes,crime,2024-02-01",
                "2024-03-01,Only In Diary,1970,https://boxd.it/e3,,,,2024-02-28",
            ],
        ),
        "reviews.csv": csv_text(
            REVIEWS,
            [
                '2024-01-02,Heat,1995,https://boxd.it/e1,4.5,,"<b>Great</b>\nfilm, ""wow""",'
                "noir,2023-12-30",
            ],
        ),
        "watchlist.csv": csv_text(FILM, ["2024-05-01,Ran,1985,https://boxd.it/ran"]),
        "likes/films.csv": csv_text(FILM, ["2024-01-05,Heat,1995,https://boxd.it/heat"]),
        "lists/favourites.csv": list_csv(
            "Favourites",
            ["1,Heat,1995,https://boxd.it/heat,", "2,Ran,1985,https://boxd.it/ran,best"],
        ),
        "profile.csv": csv_text(PROFILE, ['2020-01-01,tester,,,,,,"multi\nline bio",,']),
        "comments.csv": csv_text("Date,Content,Comment", []),
        "deleted/diary.csv": "\x00" * 50,
    }


def make_zip(files: Mapping[str, str | bytes], folder: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            archive.writestr(folder + name, data)
    return buffer.getvalue()


def multipart(*parts: tuple[str, bytes | str]) -> list[tuple[str, tuple[str, bytes]]]:
    """httpx `files=` for the upload field."""
    return [
        ("files", (name, data.encode("utf-8") if isinstance(data, str) else data))
        for name, data in parts
    ]
