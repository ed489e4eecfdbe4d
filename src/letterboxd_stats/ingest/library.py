"""Build a session's library from a parsed export. Pure.

A film of the library is anything watched, rated, logged in the diary or liked. Films are
identified by their Letterboxd film link where the file has one (watched, ratings, likes), in
whichever form the export wrote it (`uris.film_key`: a short link, or the film's page in older
exports); a row without one (a film since removed from Letterboxd) is the film of its (Name,
Year). Diary and review rows carry an *entry* link instead, so they attach to a film by (Name,
Year), and a film found only in the diary becomes a film of its own; a review alone makes none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from letterboxd_stats.ingest.records import (
    DiaryRow,
    FilmListRecord,
    FilmRow,
    ParsedExport,
    Profile,
    ReviewRow,
)
from letterboxd_stats.ingest.uris import film_key


@dataclass(slots=True)
class LibraryFilm:
    film_no: int
    title: str
    year: int | None
    uri: str | None
    watched: bool = False
    watched_on: date | None = None
    rating: int | None = None
    rated_on: date | None = None
    liked: bool = False
    liked_on: date | None = None


@dataclass(frozen=True, slots=True)
class LibraryList:
    record: FilmListRecord
    film_nos: tuple[int | None, ...]  # one per entry; None when the film is not in the library


@dataclass(slots=True)
class Library:
    films: list[LibraryFilm] = field(default_factory=list)
    diary: list[tuple[int, DiaryRow]] = field(default_factory=list)
    reviews: list[tuple[int | None, ReviewRow]] = field(default_factory=list)
    lists: list[LibraryList] = field(default_factory=list)
    watchlist: list[FilmRow] = field(default_factory=list)
    profile: Profile | None = None
    ignored_files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)

    @property
    def rating_count(self) -> int:
        return sum(1 for film in self.films if film.rating is not None)

    @property
    def like_count(self) -> int:
        return sum(1 for film in self.films if film.liked)

    @property
    def list_entry_count(self) -> int:
        return sum(len(lst.film_nos) for lst in self.lists)


def _identity(uri: str | None) -> str | None:
    """What identifies the film a link names: its key (`film_key`), or, for a link of no form
    we know, the link itself."""
    return film_key(uri) or uri


class _Index:
    def __init__(self) -> None:
        self.films: list[LibraryFilm] = []
        self.by_uri: dict[str, LibraryFilm] = {}
        self.by_title_year: dict[tuple[str, int | None], LibraryFilm] = {}

    def find(self, title: str, year: int | None, uri: str | None) -> LibraryFilm | None:
        key = _identity(uri)
        if key is not None:
            return self.by_uri.get(key)
        return self.by_title_year.get((title, year))

    def add(self, title: str, year: int | None, uri: str | None) -> LibraryFilm:
        film = LibraryFilm(film_no=len(self.films) + 1, title=title, year=year, uri=uri)
        self.films.append(film)
        key = _identity(uri)
        if key is not None:
            self.by_uri[key] = film
        self.by_title_year.setdefault((title, year), film)
        return film

    def by_link(self, uri: str | None) -> LibraryFilm | None:
        key = _identity(uri)
        return self.by_uri.get(key) if key is not None else None

    def film_for(self, row: FilmRow) -> LibraryFilm:
        return self.find(row.title, row.year, row.uri) or self.add(row.title, row.year, row.uri)


def build_library(export: ParsedExport) -> Library:
    index = _Index()
    for row in export.watched:
        film = index.film_for(row)
        film.watched, film.watched_on = True, row.on
    for row in export.ratings:
        film = index.film_for(row)
        film.rating, film.rated_on = row.rating, row.on
    for row in export.likes:
        film = index.film_for(row)
        film.liked, film.liked_on = True, row.on

    diary: list[tuple[int, DiaryRow]] = []
    for entry in export.diary:
        film = index.find(entry.title, entry.year, None) or index.add(entry.title, entry.year, None)
        diary.append((film.film_no, entry))
    _ratings_from_diary(index.films, diary)

    reviews = [
        (_film_no(index.find(review.title, review.year, None)), review) for review in export.reviews
    ]
    lists = [
        LibraryList(
            record=lst,
            film_nos=tuple(_film_no(index.by_link(e.uri)) for e in lst.entries),
        )
        for lst in export.lists
    ]
    return Library(
        films=index.films,
        diary=diary,
        reviews=reviews,
        lists=lists,
        watchlist=list(export.watchlist),
        profile=export.profile,
        ignored_files=list(export.ignored_files),
        warnings=list(export.warnings),
        missing_files=list(export.missing_files),
    )


def _ratings_from_diary(films: list[LibraryFilm], diary: list[tuple[int, DiaryRow]]) -> None:
    """ratings.csv holds a film's current rating. Some older exports keep ratings only on diary
    entries: a film missing from ratings.csv takes the rating of its latest rated viewing."""
    latest: dict[int, DiaryRow] = {}
    for film_no, entry in diary:
        if entry.rating is None:
            continue
        current = latest.get(film_no)
        if current is None or (entry.watched_on, entry.logged_on) >= (
            current.watched_on,
            current.logged_on,
        ):
            latest[film_no] = entry
    for film in films:
        if film.rating is None and film.film_no in latest:
            entry = latest[film.film_no]
            film.rating, film.rated_on = entry.rating, entry.logged_on


def _film_no(film: LibraryFilm | None) -> int | None:
    return film.film_no if film is not None else None


def renumbered(library: Library, numbers: dict[int, int]) -> Library:
    """The library with its films numbered `numbers[film_no]` (every film has one), and all
    that refers to them (viewings, reviews, list entries) following."""
    films = [
        LibraryFilm(
            film_no=numbers[f.film_no],
            title=f.title,
            year=f.year,
            uri=f.uri,
            watched=f.watched,
            watched_on=f.watched_on,
            rating=f.rating,
            rated_on=f.rated_on,
            liked=f.liked,
            liked_on=f.liked_on,
        )
        for f in library.films
    ]

    def number(no: int | None) -> int | None:
        return numbers[no] if no is not None else None

    return Library(
        films=films,
        diary=[(numbers[no], entry) for no, entry in library.diary],
        reviews=[(number(no), review) for no, review in library.reviews],
        lists=[
            LibraryList(record=lst.record, film_nos=tuple(number(no) for no in lst.film_nos))
            for lst in library.lists
        ],
        watchlist=list(library.watchlist),
        profile=library.profile,
        ignored_files=list(library.ignored_files),
        warnings=list(library.warnings),
        missing_files=list(library.missing_files),
    )


def newest_date(library: Library) -> date | None:
    """The newest `Date` of the export's files: when it was made, as near as its rows tell."""
    dates: list[date] = []
    for film in library.films:
        dates.extend(d for d in (film.watched_on, film.rated_on, film.liked_on) if d is not None)
    dates.extend(entry.logged_on for _, entry in library.diary)
    dates.extend(review.logged_on for _, review in library.reviews)
    dates.extend(row.on for row in library.watchlist)
    dates.extend(lst.record.created_on for lst in library.lists if lst.record.created_on)
    return max(dates, default=None)


# letterboxd-<user>-YYYY-MM-DD-HH-MM-utc.zip
_ZIP_DATE = re.compile(r"^letterboxd-.+?-(\d{4})-(\d{2})-(\d{2})-", re.IGNORECASE)


def export_date(filenames: list[str], library: Library) -> date | None:
    """When the export was made: the date in the zip's name when it has one
    (`letterboxd-<user>-YYYY-MM-DD-…zip`), else the newest `Date` of its files."""
    for filename in filenames:
        name = filename.replace("\\", "/").rsplit("/", 1)[-1]
        if name.lower().endswith(".zip") and (found := _ZIP_DATE.match(name)):
            try:
                return date(int(found[1]), int(found[2]), int(found[3]))
            except ValueError:
                continue
    return newest_date(library)


def library_counts(library: Library) -> dict[str, int]:
    """What the library holds, as the session's summary counts it."""
    return {
        "films": len(library.films),
        "diary_entries": len(library.diary),
        "ratings": library.rating_count,
        "reviews": len(library.reviews),
        "likes": library.like_count,
        "lists": len(library.lists),
        "list_entries": library.list_entry_count,
        "watchlist": len(library.watchlist),
    }
