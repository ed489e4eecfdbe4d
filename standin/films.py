"""The film record the stand-in serves, and `film_from_dict` for programmatic extra films."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from standin.reference import COUNTRY_NAMES, GENRE_IDS, LANGUAGE_NAMES
from standin.text import stable_id

Named = tuple[int, str]
Coded = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Film:
    """One film. Tuples of pairs keep it hashable and cheap; payloads.py renders the JSON."""

    id: int
    title: str
    original_title: str = ""
    original_language: str = "en"
    release_date: str = ""  # "YYYY-MM-DD" or "" when undated
    overview: str = ""
    tagline: str = ""
    homepage: str = ""
    status: str = "Released"
    genres: tuple[Named, ...] = ()  # (id, name)
    runtime: int = 0
    budget: int = 0
    revenue: int = 0
    popularity: float = 0.0
    vote_average: float = 0.0
    vote_count: int = 0
    countries: tuple[Coded, ...] = ()  # (iso_3166_1, name)
    languages: tuple[Coded, ...] = ()  # (iso_639_1, name in the language)
    companies: tuple[Named, ...] = ()  # (id, name)
    keywords: tuple[Named, ...] = ()  # (id, name)
    directors: tuple[str, ...] = ()
    cast: tuple[str, ...] = ()  # billing order
    imdb_id: str | None = None
    poster_path: str | None = None
    backdrop_path: str | None = None
    synthetic: bool = False

    @property
    def year(self) -> int | None:
        return int(self.release_date[:4]) if self.release_date[:4].isdigit() else None


def genre(name: str) -> Named | None:
    genre_id = GENRE_IDS.get(name)
    return None if genre_id is None else (genre_id, name)


def named(kind: str, name: str) -> Named:
    """An (id, name) pair whose id is derived from the name (for keywords and companies)."""
    return (stable_id(kind, name.casefold()), name)


def country(iso: str) -> Coded:
    return (iso, COUNTRY_NAMES.get(iso, iso))


def language(iso: str) -> Coded:
    return (iso, LANGUAGE_NAMES.get(iso, iso))


def film_from_dict(data: Mapping[str, Any]) -> Film:
    """A Film from a loose dict (tests' tiny catalogues). Only `id` and `title` are required.

    Accepted keys: the Film field names, plus TMDB-style aliases: `genres` as names or
    `{id, name}`; `production_countries`/`spoken_languages` as ISO codes or TMDB dicts;
    `production_companies`/`keywords` as names or `{id, name}`; `director` (str) or
    `directors`; `cast` (names, billing order); `year` instead of `release_date`.
    """
    title = str(data["title"])
    release_date = str(data.get("release_date") or "")
    if not release_date and data.get("year"):
        release_date = f"{int(data['year']):04d}-01-01"
    directors = data.get("directors") or ([data["director"]] if data.get("director") else [])
    return Film(
        id=int(data["id"]),
        title=title,
        original_title=str(data.get("original_title") or title),
        original_language=str(data.get("original_language") or "en"),
        release_date=release_date,
        overview=str(data.get("overview") or ""),
        tagline=str(data.get("tagline") or ""),
        homepage=str(data.get("homepage") or ""),
        status=str(data.get("status") or "Released"),
        genres=tuple(_genres(data.get("genres") or ())),
        runtime=int(data.get("runtime") or 0),
        budget=int(data.get("budget") or 0),
        revenue=int(data.get("revenue") or 0),
        popularity=float(data.get("popularity") or 0.0),
        vote_average=float(data.get("vote_average") or 0.0),
        vote_count=int(data.get("vote_count") or 0),
        countries=tuple(_coded(data.get("production_countries") or (), "iso_3166_1", country)),
        languages=tuple(_coded(data.get("spoken_languages") or (), "iso_639_1", language)),
        companies=tuple(_named("company", data.get("production_companies") or ())),
        keywords=tuple(_named("keyword", data.get("keywords") or ())),
        directors=tuple(str(name) for name in directors),
        cast=tuple(str(name) for name in data.get("cast") or ()),
        imdb_id=data.get("imdb_id"),
        poster_path=data.get("poster_path"),
        backdrop_path=data.get("backdrop_path"),
    )


def _genres(values: Iterable[Any]) -> Iterable[Named]:
    for value in values:
        if isinstance(value, Mapping):
            yield (int(value["id"]), str(value["name"]))
        elif (pair := genre(str(value))) is not None:
            yield pair


def _named(kind: str, values: Iterable[Any]) -> Iterable[Named]:
    for value in values:
        if isinstance(value, Mapping):
            yield (int(value["id"]), str(value["name"]))
        else:
            yield named(kind, str(value))


def _coded(values: Iterable[Any], key: str, from_code: Callable[[str], Coded]) -> Iterable[Coded]:
    for value in values:
        if isinstance(value, Mapping):
            yield (str(value[key]), str(value.get("name") or value[key]))
        else:
            yield from_code(str(value))
