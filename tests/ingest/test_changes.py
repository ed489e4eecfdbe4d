"""ingest/changes.py: the change summary between a stored library and a newer export. Pure."""

from __future__ import annotations

from datetime import date

from letterboxd_stats.ingest.changes import (
    Stored,
    StoredEntry,
    StoredFilm,
    StoredList,
    StoredReview,
    StoredViewing,
    compare,
)
from letterboxd_stats.ingest.library import build_library, export_date, newest_date, renumbered
from letterboxd_stats.ingest.records import (
    DiaryRow,
    FilmListRecord,
    FilmRow,
    ListEntryRow,
    ParsedExport,
    ReviewRow,
)

D1, D2, D3 = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)


def _diary(title: str, year: int, on: date, rating: int | None = None) -> DiaryRow:
    return DiaryRow(on, title, year, None, rating, False, (), on)


def _stored() -> Stored:
    return Stored(
        films=[
            StoredFilm(1, "Heat", 1995, "https://boxd.it/heat", 8),
            StoredFilm(2, "Ran", 1985, "https://letterboxd.com/film/ran/", None),
            StoredFilm(7, "Gone", 2000, "https://boxd.it/gone", 4),
        ],
        diary=[StoredViewing(1, D1, D1, False), StoredViewing(7, D1, D1, False)],
        reviews=[StoredReview(1, "Heat", 1995, D1, "great")],
        watchlist=[StoredEntry("Alien", 1979, "https://boxd.it/alien")],
        lists=[
            StoredList("Top", "https://boxd.it/l1", "", (StoredEntry("Heat", 1995, None),)),
            StoredList("Old list", None, "", ()),
        ],
    )


def _export() -> ParsedExport:
    return ParsedExport(
        watched=[
            FilmRow(D1, "Heat", 1995, "https://boxd.it/heat"),
            FilmRow(D2, "Ran", 1985, "https://boxd.it/ran"),
            FilmRow(D3, "New One", 2024, "https://boxd.it/new"),
        ],
        ratings=[
            FilmRow(D1, "Heat", 1995, "https://boxd.it/heat", 9),
            FilmRow(D2, "Ran", 1985, "https://boxd.it/ran", 6),
        ],
        diary=[_diary("Heat", 1995, D1), _diary("Heat", 1995, D2), _diary("New One", 2024, D3, 7)],
        reviews=[
            ReviewRow(D1, "Heat", 1995, None, None, False, "great", (), None),
            ReviewRow(D2, "Heat", 1995, None, None, False, "again", (), None),
        ],
        watchlist=[
            FilmRow(D1, "Alien", 1979, "https://boxd.it/alien"),
            FilmRow(D3, "Aliens", 1986, "https://boxd.it/aliens"),
        ],
        lists=[
            FilmListRecord(
                "lists/top.csv",
                "Top",
                D1,
                "https://boxd.it/l1",
                "",
                (),
                (ListEntryRow(1, "Ran", 1985, None, ""),),
            ),
            FilmListRecord("lists/n.csv", "Brand new", D3, "https://boxd.it/l2", "", (), ()),
        ],
    )


def test_every_kind_of_change_is_counted() -> None:
    library = build_library(_export())
    changes, films = compare(_stored(), library)
    assert (changes.films_added, changes.films_removed, changes.films_kept) == (1, 1, 2)
    assert changes.films_paired_by_title == 1  # Ran: a slug link, then a short one
    assert [f.title for f in changes.added_films] == ["New One"]
    assert [f.title for f in changes.removed_films] == ["Gone"]
    assert (changes.diary_added, changes.diary_removed) == (2, 1)
    assert [(v.title, v.watched_on, v.rating) for v in changes.new_viewings] == [
        ("Heat", D2, None),
        ("New One", D3, 3.5),
    ]
    # Heat 4 -> 4.5; Ran rated now, New One rated (from its viewing); Gone's rating went
    assert changes.ratings_changed == 1
    assert [(r.title, r.old, r.new) for r in changes.rating_changes] == [("Heat", 4.0, 4.5)]
    assert changes.ratings_added == 2
    assert changes.ratings_removed == 1
    assert (changes.reviews_added, changes.reviews_removed) == (1, 0)
    assert (changes.watchlist_added, changes.watchlist_removed) == (1, 0)
    assert [f.title for f in changes.added_to_watchlist] == ["Aliens"]
    assert (changes.lists_added, changes.lists_removed, changes.lists_changed) == (1, 1, 1)
    assert changes.list_names_added == ["Brand new"]
    assert changes.list_names_removed == ["Old list"]
    assert changes.list_names_changed == ["Top"]
    assert films.pairs == {0: 0, 1: 1}


def test_the_same_export_changes_nothing() -> None:
    library = build_library(_export())
    stored = Stored(
        films=[StoredFilm(f.film_no, f.title, f.year, f.uri, f.rating) for f in library.films],
        diary=[StoredViewing(no, e.watched_on, e.logged_on, e.rewatch) for no, e in library.diary],
        reviews=[
            StoredReview(no, r.title, r.year, r.logged_on, r.body) for no, r in library.reviews
        ],
        watchlist=[StoredEntry(r.title, r.year, r.uri) for r in library.watchlist],
        lists=[
            StoredList(
                lst.record.name,
                lst.record.url,
                lst.record.description,
                tuple(StoredEntry(e.title, e.year, e.uri) for e in lst.record.entries),
            )
            for lst in library.lists
        ],
    )
    changes, _ = compare(stored, library)
    counts = [
        changes.films_added,
        changes.films_removed,
        changes.diary_added,
        changes.diary_removed,
        changes.ratings_added,
        changes.ratings_removed,
        changes.ratings_changed,
        changes.reviews_added,
        changes.reviews_removed,
        changes.watchlist_added,
        changes.watchlist_removed,
        changes.lists_added,
        changes.lists_removed,
        changes.lists_changed,
    ]
    assert counts == [0] * len(counts)
    assert changes.films_kept == len(library.films)


def test_renumbered_moves_every_reference() -> None:
    library = build_library(_export())
    moved = renumbered(library, {1: 10, 2: 20, 3: 30})
    assert [f.film_no for f in moved.films] == [10, 20, 30]
    assert [no for no, _ in moved.diary] == [10, 10, 30]
    assert [no for no, _ in moved.reviews] == [10, 10]
    assert [lst.film_nos for lst in moved.lists] == [(None,), ()]


def test_the_export_date_is_the_zips_else_the_newest_date() -> None:
    library = build_library(_export())
    assert newest_date(library) == D3
    assert export_date(["letterboxd-some-one-2025-07-04-10-11-utc.zip"], library) == date(
        2025, 7, 4
    )
    assert export_date(["letterboxd-x-2025-13-40-10-11-utc.zip"], library) == D3
    assert export_date(["export.zip", "diary.csv"], library) == D3
    assert export_date([], build_library(ParsedExport())) is None
