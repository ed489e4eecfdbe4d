"""Typed records of a Letterboxd export, as parsed from its CSV files (no I/O here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class FilmRow:
    """A row of watched.csv, ratings.csv, watchlist.csv or likes/films.csv.

    `uri` is the film's own short link; `on` is the row's `Date` (when it was marked watched,
    rated, added or liked: never a viewing)."""

    on: date
    title: str
    year: int | None
    uri: str | None
    rating: int | None = None  # half stars 1..10 (ratings.csv only)


class DiaryRow(NamedTuple):
    """A row of diary.csv: one viewing. `uri` links to the diary entry, not to the film.

    A tuple of plain values, which the garbage collector stops tracking: a million of them
    cost no collector pauses (a dataclass instance is tracked, and scanned, for its life)."""

    logged_on: date
    title: str
    year: int | None
    uri: str | None
    rating: int | None
    rewatch: bool
    tags: tuple[str, ...]
    watched_on: date


@dataclass(frozen=True, slots=True)
class ReviewRow:
    logged_on: date
    title: str
    year: int | None
    uri: str | None
    rating: int | None
    rewatch: bool
    body: str
    tags: tuple[str, ...]
    watched_on: date | None


@dataclass(frozen=True, slots=True)
class ListEntryRow:
    position: int | None
    title: str
    year: int | None
    uri: str | None
    description: str


@dataclass(frozen=True, slots=True)
class FilmListRecord:
    source_file: str
    name: str
    created_on: date | None
    url: str | None
    description: str
    tags: tuple[str, ...]
    entries: tuple[ListEntryRow, ...]


@dataclass(frozen=True, slots=True)
class Profile:
    username: str | None
    date_joined: date | None


@dataclass(slots=True)
class ParsedExport:
    """Everything an export holds that we use, plus the files we did not use."""

    watched: list[FilmRow] = field(default_factory=list)
    ratings: list[FilmRow] = field(default_factory=list)
    likes: list[FilmRow] = field(default_factory=list)
    watchlist: list[FilmRow] = field(default_factory=list)
    diary: list[DiaryRow] = field(default_factory=list)
    reviews: list[ReviewRow] = field(default_factory=list)
    lists: list[FilmListRecord] = field(default_factory=list)
    profile: Profile | None = None
    ignored_files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Files every full export has (`kinds.EXPECTED_FILES`) that this upload lacks.
    missing_files: list[str] = field(default_factory=list)
