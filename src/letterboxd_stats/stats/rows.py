"""Typed rows the statistics are computed from (pure): a session's films with their TMDB facts,
its viewings, reviews and watchlist. `facts_from_data` reads the cached TMDB JSON
(`tmdb_movies.data`, shaped by `tmdb.metadata.trim_details`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

CREW_ROLES: dict[str, str] = {
    "Director": "directors",
    "Screenplay": "writers",
    "Writer": "writers",
    "Story": "writers",
    "Novel": "writers",
    "Original Music Composer": "composers",
    "Music": "composers",
    "Director of Photography": "cinematographers",
    "Editor": "editors",
    "Producer": "producers",
}
"""TMDB crew job -> the people section it counts in."""


TOP_BILLED = 5
"""Actors count when top-billed: TMDB cast order below this (the first five)."""

CATEGORY_FIELDS: tuple[tuple[str, str, str, str], ...] = (
    ("genres", "genres", "id", "name"),
    ("countries", "production_countries", "iso_3166_1", "name"),
    ("studios", "production_companies", "id", "name"),
    ("keywords", "keywords", "id", "name"),
)
"""(section, JSON list, key field, name field); `languages` is the original language."""

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
    data: dict[str, Any],
    *,
    release_date: date | None,
    runtime: int | None,
    popularity: float | None,
    vote_average: float | None,
    vote_count: int | None,
    poster_path: str | None,
) -> TmdbFacts:
    """TmdbFacts of one cached film: typed columns, plus the tags of its JSON lists."""
    labels: dict[Tag, Label] = {}
    for section, field_name, key, name in CATEGORY_FIELDS:
        for item in _dicts(data.get(field_name)):
            value = item.get(key)
            if value is not None and value != "":
                found = tag(section, str(value))
                if found not in labels:
                    labels[found] = Label(str(item.get(name) or value))
    original = data.get("original_language")
    if isinstance(original, str) and original:
        name = original
        for language in _dicts(data.get("spoken_languages")):
            if language.get("iso_639_1") == original:
                name = str(language.get("english_name") or language.get("name") or original)
                break
        labels[tag("languages", original)] = Label(name)
    for person in _dicts(data.get("cast")):
        order = person.get("order")
        if isinstance(order, int) and order < TOP_BILLED:
            _person(labels, "actors", person)
    for person in _dicts(data.get("crew")):
        role = CREW_ROLES.get(str(person.get("job")))
        if role is not None:
            _person(labels, role, person)
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


def person_key(person_id: object, name: str) -> str:
    """TMDB person id as text; a person without id is keyed by name (`name:…`)."""
    if isinstance(person_id, int) and not isinstance(person_id, bool):
        return str(person_id)
    return f"name:{name}"


def _person(labels: dict[Tag, Label], role: str, person: dict[str, Any]) -> None:
    name = str(person.get("name") or "")
    found = tag(role, person_key(person.get("id"), name))
    if found not in labels:
        image = person.get("profile_path")
        labels[found] = Label(name, image if isinstance(image, str) and image else None)


def _dicts(value: object) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
