"""Typed rows the statistics are computed from (pure): a session's films with their TMDB facts,
its viewings, reviews and watchlist. `film_labels` reads what a film counts in from its
`MovieData` (tmdb.schemas)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from letterboxd_stats.tmdb.schemas import CREW_ROLES, Category, MovieData, Person

TOP_BILLED = 5
"""Actors count when top-billed: TMDB cast order below this (the first five)."""

Tag = str
"""What a film counts in, once: "section:key", e.g. "genres:18", "directors:138" (a string,
whose hash Python caches: tallies of tens of thousands of tags stay cheap)."""


def tag(section: str, key: str) -> Tag:
    return f"{section}:{key}"


def tag_parts(value: Tag) -> tuple[str, str]:
    """(section, key); keys may hold ':' (`name:…`), sections never do."""
    section, _, key = value.partition(":")
    return section, key


@dataclass(frozen=True, slots=True)
class Label:
    """How a tag is shown: a name, and a TMDB profile image path for people."""

    name: str
    image: str | None = None


@dataclass(frozen=True, slots=True)
class TmdbFacts:
    """What the statistics use of one TMDB film. Categories and people are flattened into
    `tags` (each once per film), so that tallies count them with C-level Counter updates."""

    tmdb_id: int
    release_date: date | None
    runtime: int | None
    popularity: float | None
    vote_average: float | None
    vote_count: int | None
    poster_path: str | None
    tags: tuple[Tag, ...] = ()
    labels: tuple[tuple[Tag, Label], ...] = ()


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
    """TmdbFacts of one cached film: typed columns, plus the tags of its `MovieData` (given as
    it is stored, a JSON object, or read)."""
    movie = data if isinstance(data, MovieData) else MovieData.model_validate(data)
    labels = film_labels(movie)
    return TmdbFacts(
        tmdb_id=tmdb_id,
        release_date=release_date,
        runtime=runtime,
        popularity=popularity,
        vote_average=vote_average,
        vote_count=vote_count,
        poster_path=poster_path,
        tags=tuple(labels),
        labels=tuple(labels.items()),
    )


def film_labels(movie: MovieData) -> dict[Tag, Label]:
    """What a film counts in, once each, in the order met, and how each is shown."""
    labels: dict[Tag, Label] = {}
    categories: tuple[tuple[str, list[Category]], ...] = (
        ("genres", movie.genres),
        ("countries", [Category(id=c.iso_3166_1, name=c.name) for c in movie.production_countries]),
        ("studios", movie.production_companies),
        ("keywords", movie.keywords),
    )
    for section, items in categories:
        for item in items:
            if item.id is not None and item.id != "":
                found = tag(section, str(item.id))
                if found not in labels:
                    labels[found] = Label(item.name or str(item.id))
    original = movie.original_language
    if original:
        name = original
        for language in movie.spoken_languages:
            if language.iso_639_1 == original:
                name = language.english_name or language.name or original
                break
        labels[tag("languages", original)] = Label(name)
    for actor in movie.cast:
        if actor.order < TOP_BILLED:
            _person(labels, "actors", actor)
    for member in movie.crew:
        role = CREW_ROLES.get(member.job)
        if role is not None:
            _person(labels, role, member)
    return labels


def person_key(person_id: object, name: str) -> str:
    """TMDB person id as text; a person without id is keyed by name (`name:…`)."""
    if isinstance(person_id, int) and not isinstance(person_id, bool):
        return str(person_id)
    return f"name:{name}"


def _person(labels: dict[Tag, Label], role: str, person: Person) -> None:
    name = person.name or ""
    found = tag(role, person_key(person.id, name))
    if found not in labels:
        labels[found] = Label(name, person.profile_path or None)
