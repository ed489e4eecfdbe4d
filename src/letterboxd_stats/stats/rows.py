"""Typed rows the statistics are computed from (pure): a session's films with their TMDB facts,
its viewings, reviews and watchlist. A film's tags and labels come packed (`stats.tags`)."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from letterboxd_stats.stats.tags import (
    Label,
    Tag,
    film_labels,
    pack,
    split_tags,
    unpack_label,
    unpack_labels,
)
from letterboxd_stats.tmdb.schemas import MovieData

__all__ = [
    "Label",
    "Labels",
    "SessionRows",
    "StatsFilm",
    "StatsReview",
    "Tag",
    "TmdbFacts",
    "ViewingRow",
    "WatchlistRow",
    "facts_from_data",
]


@dataclass(slots=True)
class TmdbFacts:
    """What the statistics use of one TMDB film. Categories and people are flattened into
    `tags` (each once per film), so that tallies count them with C-level Counter updates.
    Read-only by convention, not frozen: thousands are built per request, and a frozen
    dataclass takes six times as long to build."""

    tmdb_id: int
    release_date: date | None
    runtime: int | None
    popularity: float | None
    vote_average: float | None
    vote_count: int | None
    poster_path: str | None
    tags: tuple[Tag, ...] = ()
    shown: str = ""
    """How the tags are shown, packed (`stats.tags.pack`): unpacked only for the tags a
    statistic shows."""
    director_genders: tuple[int, ...] = ()
    """Its directors' TMDB genders, each once (0: not set; `stats.tags.split_tags`); empty
    for a film without directors, or stored before they were kept."""

    @property
    def labels(self) -> tuple[tuple[Tag, Label], ...]:
        shown = unpack_labels(self.shown)[: len(self.tags)]  # the genders' labels come last
        return tuple(zip(self.tags, shown, strict=True))

    def label(self, found: Tag) -> Label:
        return unpack_label(self.shown, self.tags.index(found))


class Labels(Mapping[Tag, Label]):
    """How each tag of these films is shown: as the last film counting in it shows it. Only
    the labels asked for are unpacked (a statistic shows a few hundred of its tags)."""

    def __init__(self, films: Iterable[TmdbFacts] = ()) -> None:
        chain = itertools.chain.from_iterable
        known = list(films)
        self._holder: dict[Tag, TmdbFacts] = dict(
            zip(
                chain(f.tags for f in known),
                chain(itertools.repeat(f, len(f.tags)) for f in known),
                strict=True,
            )
        )
        self._read: dict[Tag, Label] = {}

    def __getitem__(self, found: Tag) -> Label:
        label = self._read.get(found)
        if label is None:
            label = self._read[found] = self._holder[found].label(found)
        return label

    def __iter__(self) -> Iterator[Tag]:
        return iter(self._holder)

    def __len__(self) -> int:
        return len(self._holder)


@dataclass(slots=True)
class StatsFilm:
    """A film of the library as statistics read it (the parsed CSV row is `ingest.FilmRow`);
    plain, not frozen: thousands are built per request."""

    film_no: int
    title: str
    year: int | None  # Letterboxd's release year
    watched: bool
    rating: int | None  # half stars 1..10
    liked: bool
    match_status: str
    tmdb: TmdbFacts | None = None  # only for matched / needs_review films with cached data


@dataclass(slots=True)
class ViewingRow:
    """A diary entry, dated by its Watched Date."""

    entry_no: int
    film_no: int
    watched_on: date
    logged_on: date
    rewatch: bool
    rating: int | None = None


@dataclass(slots=True)
class StatsReview:
    """A review's dates, as statistics read them (the parsed CSV row is `ingest.ReviewRow`)."""

    film_no: int | None
    watched_on: date | None
    logged_on: date

    @property
    def on(self) -> date:
        return self.watched_on or self.logged_on


@dataclass(slots=True)
class WatchlistRow:
    entry_no: int
    title: str
    year: int | None
    added_on: date
    match_status: str
    tmdb: TmdbFacts | None = None


@dataclass(slots=True)
class SessionRows:
    session_id: uuid.UUID = field(default_factory=lambda: uuid.UUID(int=0))
    films: list[StatsFilm] = field(default_factory=list)
    viewings: list[ViewingRow] = field(default_factory=list)
    reviews: list[StatsReview] = field(default_factory=list)
    watchlist: list[WatchlistRow] = field(default_factory=list)
    list_count: int = 0
    list_entry_count: int = 0


def facts_from_data(
    tmdb_id: int,
    data: MovieData | Mapping[str, Any],
    *,
    release_date: date | None,
    runtime: int | None,
    popularity: float | None,
    vote_average: float | None,
    vote_count: int | None,
    poster_path: str | None,
) -> TmdbFacts:
    """TmdbFacts of one film from its `MovieData` (or the JSON it is stored as), through the
    packed form it is stored in."""
    movie = data if isinstance(data, MovieData) else MovieData.model_validate(data)
    packed = pack(film_labels(movie))
    tags, genders = split_tags(packed.tags)
    return TmdbFacts(
        tmdb_id=tmdb_id,
        release_date=release_date,
        runtime=runtime,
        popularity=popularity,
        vote_average=vote_average,
        vote_count=vote_count,
        poster_path=poster_path,
        tags=tags,
        shown=packed.labels,
        director_genders=genders,
    )
