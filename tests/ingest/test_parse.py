from collections.abc import Mapping
from datetime import date

import pytest

from letterboxd_stats import errors
from letterboxd_stats.ingest.library import build_library
from letterboxd_stats.ingest.parse import parse_export
from letterboxd_stats.ingest.sources import ExportFile
from tests.fixtures.exports import (
    DIARY,
    FILM,
    RATINGS,
    csv_text,
    export_file,
    list_csv,
    small_export,
)


def _archived(files: Mapping[str, str | bytes]) -> list[ExportFile]:
    return [export_file(path, content) for path, content in files.items()]


def test_small_export_parses_every_kind() -> None:
    export = parse_export(_archived(small_export()), [])
    assert [row.title for row in export.watched] == [
        "Heat",
        "Crouching Tiger, Hidden Dragon",
        "Amélie",
    ]
    assert [row.rating for row in export.ratings] == [9, 6]
    assert export.diary[0].tags == ("crime", "la")
    assert export.diary[0].watched_on == date(2023, 12, 30)
    assert export.diary[0].logged_on == date(2024, 1, 2)
    assert export.diary[1].rewatch is True
    assert export.reviews[0].body == '<b>Great</b>\nfilm, "wow"'
    assert export.lists[0].name == "Favourites"
    assert [e.title for e in export.lists[0].entries] == ["Heat", "Ran"]
    assert export.profile is not None
    assert export.profile.username == "tester"
    assert sorted(export.ignored_files) == ["comments.csv", "deleted/diary.csv"]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_line_endings_and_bom(newline: str, bom: bytes) -> None:
    content = (
        bom
        + csv_text(
            DIARY,
            ['2024-01-02,"Title, with comma",2001,https://boxd.it/x,3.5,Yes,"a, b",2024-01-01'],
            newline=newline,
        ).encode()
    )
    export = parse_export([export_file("diary.csv", content)], [])
    (row,) = export.diary
    assert (row.title, row.year, row.rating, row.rewatch, row.tags) == (
        "Title, with comma",
        2001,
        7,
        True,
        ("a", "b"),
    )


def test_lists_without_version_line_and_without_entries() -> None:
    files = {
        "lists/old.csv": list_csv(
            "Old style", ["1,Heat,1995,https://boxd.it/heat,"], version_line=False
        ),
        "lists/empty.csv": list_csv("Empty", []),
    }
    export = parse_export(_archived(files), [])
    assert [(lst.name, len(lst.entries)) for lst in export.lists] == [
        ("Old style", 1),
        ("Empty", 0),
    ]


def test_zero_filled_list_is_skipped_with_a_warning() -> None:
    export = parse_export(_archived({"lists/broken.csv": b"\x00" * 300}), [])
    assert export.lists == []
    assert export.ignored_files == ["lists/broken.csv"]
    assert "NUL" in export.warnings[0]


def test_loose_files_are_recognised_by_header_and_name() -> None:
    loose = [
        export_file("watched.csv", csv_text(FILM, ["2024-01-01,Heat,1995,https://boxd.it/heat"])),
        export_file("films.csv", csv_text(FILM, ["2024-01-01,Heat,1995,https://boxd.it/heat"])),
        export_file(
            "my-ratings.csv", csv_text(RATINGS, ["2024-01-01,Heat,1995,https://boxd.it/heat,4"])
        ),
        export_file("top.csv", list_csv("Top", ["1,Heat,1995,https://boxd.it/heat,"])),
    ]
    export = parse_export([], loose)
    assert len(export.watched) == len(export.likes) == len(export.ratings) == len(export.lists) == 1


def test_film_header_with_an_unknown_name_is_ambiguous() -> None:
    loose = [export_file("mystery.csv", csv_text(FILM, []))]
    with pytest.raises(errors.UnknownCsv, match=r"mystery\.csv: line 1"):
        parse_export([], loose)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2024-13-01,Heat,1995,https://boxd.it/e,4,,,2024-01-01", "Date"),
        ("2024-01-01,Heat,1995,https://boxd.it/e,4.2,,,2024-01-01", "Rating"),
        ("2024-01-01,Heat,1995,https://boxd.it/e,4,,,yesterday", "Watched Date"),
        ("2024-01-01,Heat,95AD,https://boxd.it/e,4,,,2024-01-01", "Year"),
        ("2024-01-01,,1995,https://boxd.it/e,4,,,2024-01-01", "Name is empty"),
        ("2024-01-01,Heat,1995", "expected 8 fields, found 3"),
    ],
)
def test_bad_rows_name_file_and_line(row: str, message: str) -> None:
    good = "2024-01-01,Fine,2000,https://boxd.it/ok,3,,,2024-01-01"
    content = csv_text(
        DIARY, [good, '2024-01-01,"Multi\nline",2000,https://boxd.it/m,3,,,2024-01-01', row]
    )
    with pytest.raises(errors.BadUpload, match=rf"diary\.csv: line 5: .*{message}"):
        parse_export([export_file("diary.csv", content)], [])


def test_invalid_utf8_names_the_line() -> None:
    content = csv_text(FILM, ["2024-01-01,Heat,1995,u1", "2024-01-01,X,1995,u2"]).encode()
    content = content.replace(b"X", "Café".encode("latin-1"))
    with pytest.raises(errors.InvalidEncoding, match=r"watched\.csv: line 3 is not valid UTF-8"):
        parse_export([export_file("watched.csv", content)], [])


def test_nul_bytes_in_a_main_file_are_rejected() -> None:
    content = csv_text(FILM, ["2024-01-01,Heat,1995,u1", "2024-01-01,He\x00at,1995,u2"])
    with pytest.raises(errors.InvalidCsv, match=r"watched\.csv: line 3 contains NUL"):
        parse_export([export_file("watched.csv", content)], [])


def test_unterminated_quote_is_a_csv_error_with_a_line() -> None:
    content = csv_text(FILM, ['2024-01-01,"Heat,1995,u1'])
    with pytest.raises(errors.BadUpload, match=r"watched\.csv: line \d+"):
        parse_export([export_file("watched.csv", content)], [])


def test_wrong_header_for_a_known_place() -> None:
    with pytest.raises(errors.InvalidCsv, match=r"ratings\.csv: line 1: the header lacks Rating"):
        parse_export([export_file("ratings.csv", csv_text(FILM, []))], [])


def test_second_watched_file_is_a_duplicate() -> None:
    loose = [
        export_file("watched.csv", csv_text(FILM, [])),
        export_file("a/watched.csv", csv_text(FILM, [])),
    ]
    with pytest.raises(errors.DuplicateFile, match="second watched"):
        parse_export([], loose)


def test_empty_main_file_is_rejected() -> None:
    with pytest.raises(errors.InvalidCsv, match=r"diary\.csv: the file is empty"):
        parse_export([export_file("diary.csv", "")], [])


def test_library_merges_sources_and_attaches_diary_by_title_and_year() -> None:
    library = build_library(parse_export(_archived(small_export()), []))
    films = {film.title: film for film in library.films}
    assert len(library.films) == 4  # 3 watched + 1 diary-only
    heat = films["Heat"]
    assert (heat.rating, heat.liked, heat.uri) == (9, True, "https://boxd.it/heat")
    assert films["Only In Diary"].uri is None
    assert [film_no for film_no, _ in library.diary] == [heat.film_no, heat.film_no, 4]
    assert library.reviews[0][0] == heat.film_no
    assert library.lists[0].film_nos == (heat.film_no, None)  # Ran is only in the watchlist
    assert library.rating_count == 2
    assert library.like_count == 1


def test_film_without_ratings_row_takes_latest_rated_viewing() -> None:
    files = {
        "watched.csv": csv_text(FILM, ["2024-01-01,Heat,1995,https://boxd.it/heat"]),
        "diary.csv": csv_text(
            DIARY,
            [
                "2024-01-01,Heat,1995,e1,2,,,2020-01-01",
                "2024-01-01,Heat,1995,e2,4,Yes,,2023-01-01",
                "2024-01-01,Heat,1995,e3,,Yes,,2024-01-01",
            ],
        ),
    }
    (film,) = build_library(parse_export(_archived(files), [])).films
    assert film.rating == 8


def test_same_title_and_year_with_two_links_are_two_films() -> None:
    rows = [
        "2024-01-01,The Haunted Castle,1897,https://boxd.it/a",
        "2024-01-01,The Haunted Castle,1897,https://boxd.it/b",
    ]
    library = build_library(parse_export(_archived({"watched.csv": csv_text(FILM, rows)}), []))
    assert len(library.films) == 2


def test_top_level_folder_is_removed_and_macos_metadata_ignored() -> None:
    import io
    import zipfile

    from letterboxd_stats.ingest.archive import export_members

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("letterboxd-me/watched.csv", csv_text(FILM, []))
        archive.writestr("letterboxd-me/lists/a.csv", list_csv("A", []))
        archive.writestr("__MACOSX/letterboxd-me/._watched.csv", b"\x00\x05")
    with zipfile.ZipFile(buffer) as archive:
        paths = [member.path for member in export_members("e.zip", archive)]
    assert paths == ["watched.csv", "lists/a.csv", "__MACOSX/letterboxd-me/._watched.csv"]
