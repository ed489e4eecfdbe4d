"""TMDB data, typed (pydantic): what TMDB answers (`SearchAnswer` of `SearchResult`s,
`MovieDetails` with the parts the client appends; for TV, which Letterboxd lists too, a
`TvSearchAnswer` and `TvDetails`) and what we keep of a film or a series (`MovieData`, the JSON
of `tmdb_movies.data`, version `MOVIE_DATA_VERSION`, with its `kind`).

Whatever TMDB answers, what is read fits our columns and pages: texts are cut at
MAX_TEXT_CHARS (a link or a path that long is dropped: cut, it would point elsewhere), integers
outside 0..MAX_INT (PostgreSQL's INTEGER) and numbers that are not finite (`NaN`, `Infinity`,
`1e999`, which JSON parsers accept) become null, and what we keep holds lists of at most
MAX_ITEMS entries. Unknown fields are ignored; a field of the wrong type reads as null (a list:
empty, an entry of a list that is not one: left out). Only what an answer is unusable without
fails it: a search's `results`, a movie's `id` and `title` (null is TMDB's data, absent is not).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Final, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    OnErrorOmit,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from letterboxd_stats.tmdb.decision import TmdbKind

MAX_TEXT_CHARS = 500
MAX_ITEMS = 200
MAX_INT = 2**31 - 1
TOP_CAST = 15
"""Cast members kept per film, by billing order."""

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
"""The crew jobs we keep, and the people section of the statistics each counts in."""

MOVIE_DATA_VERSION: Final = 1
"""The shape of `tmdb_movies.data`. Rows written before it was versioned (version 0, no
`version` key) are converted by migration 0006; `kind` came later, with a default (a document
without it is a movie's), so version 1 documents need no conversion."""


def bounded_int(value: object) -> int | None:
    """An integer of 0..MAX_INT, else None (booleans are not integers here)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value <= MAX_INT else None


def bounded_text(value: object) -> str | None:
    return value[:MAX_TEXT_CHARS] if isinstance(value, str) else None


def finite(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer beyond any float
        return None
    return number if math.isfinite(number) else None


def bounded_path(value: object) -> str | None:
    return value if isinstance(value, str) and len(value) <= MAX_TEXT_CHARS else None


def bounded_key(value: object) -> int | str | None:
    """A category's key: an id (bounded_int) or a code (bounded_text)."""
    return bounded_text(value) if isinstance(value, str) else bounded_int(value)


def tmdb_id(value: object) -> int:
    """A film's id: 1..MAX_INT, or the answer (or search result) is not a film's."""
    found = bounded_int(value)
    if not found:
        raise ValueError("not a TMDB id")
    return found


def positive_int(value: object) -> int:
    """1..MAX_INT, else invalid (an entry of a list of them is then left out)."""
    found = bounded_int(value)
    if not found:
        raise ValueError("not a positive integer")
    return found


def gender(value: object) -> int | None:
    """TMDB's gender of a person: 0 not set, 1 female, 2 male, 3 non-binary; anything else
    (and absent, in what was stored before it was kept) reads as null, unknown as 0 is."""
    found = bounded_int(value)
    return found if found is not None and found <= 3 else None


def _title(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError("a title is text or null")
    return bounded_text(value)


def _plain_text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _list(value: object) -> object:
    return value if isinstance(value, list) else []


def _object(value: object) -> object:
    return value if isinstance(value, dict) else {}


T = TypeVar("T")

Int = Annotated[int | None, BeforeValidator(bounded_int)]
Number = Annotated[float | None, BeforeValidator(finite)]
Text = Annotated[str | None, BeforeValidator(bounded_text)]
ImagePath = Annotated[str | None, BeforeValidator(bounded_path)]
AnyText = Annotated[str | None, BeforeValidator(_plain_text)]
"""Text of any length (a field we do not store)."""
Key = Annotated[int | str | None, BeforeValidator(bounded_key)]
Gender = Annotated[int | None, BeforeValidator(gender)]
TmdbId = Annotated[int, BeforeValidator(tmdb_id)]
Items = Annotated[list[OnErrorOmit[T]], BeforeValidator(_list)]
"""A list whatever was sent: entries that are not `T` are left out."""
Kept = Annotated[
    list[OnErrorOmit[T]], BeforeValidator(_list), AfterValidator(lambda v: v[:MAX_ITEMS])
]
"""A list we keep: at most MAX_ITEMS entries."""
Part = Annotated[T, BeforeValidator(_object)]
"""An appended part of an answer: anything but an object reads as an empty one."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


# --- what TMDB answers ---


class SearchResult(_Model):
    """One film of `GET /search/movie`; a result without a usable id is none. Its titles are
    whole (the matcher compares them; a page shows them cut: `bounded_text`)."""

    id: TmdbId
    title: AnyText = None
    original_title: AnyText = None
    release_date: Text = None
    popularity: Number = None
    vote_count: Int = None
    vote_average: Number = None
    poster_path: ImagePath = None
    overview: AnyText = None


class SearchAnswer(_Model):
    results: list[OnErrorOmit[SearchResult]]


class Named(_Model):
    """A genre, company or keyword (`id`), a country (`iso_3166_1`) or a language (`iso_639_1`)."""

    id: Key = None
    iso_3166_1: Text = None
    iso_639_1: Text = None
    name: Text = None
    english_name: Text = None


class Person(_Model):
    id: Int = None
    name: Text = None
    profile_path: ImagePath = None
    gender: Gender = None
    """TMDB's `gender` (0 not set, 1 female, 2 male, 3 non-binary); null when TMDB did not
    say, and in a film stored before it was kept (`MovieData` version 1 without it). Null is
    not written (a document stored before reads, and is written, as it was)."""

    @model_serializer(mode="wrap")
    def _without_unknown_gender(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict) and data.get("gender", 0) is None:
            del data["gender"]
        return data


class CastCredit(Person):
    character: Text = None
    order: Int = None


class CrewCredit(Person):
    job: Text = None


class Credits(_Model):
    cast: Items[CastCredit] = []
    crew: Items[CrewCredit] = []


class Keywords(_Model):
    keywords: Items[Named] = []


class ReleaseDate(_Model):
    certification: Text = None
    release_date: Text = None
    type: Int = None


class CountryReleases(_Model):
    iso_3166_1: Text = None
    release_dates: Items[ReleaseDate] = []


class ReleaseDates(_Model):
    results: Items[CountryReleases] = []


class CollectionRef(_Model):
    """A film's collection (a franchise: `belongs_to_collection` of its details)."""

    id: TmdbId
    name: Text = None
    poster_path: ImagePath = None


def _collection(value: object) -> object:
    """A collection that is not one (no object, no usable id) reads as none."""
    if isinstance(value, CollectionRef):
        return value
    if not isinstance(value, dict):
        return None
    return value if bounded_int(value.get("id")) else None


Collection = Annotated[CollectionRef | None, BeforeValidator(_collection)]


OFFER_TYPES: Final = ("flatrate", "free", "ads", "rent", "buy")
"""TMDB's kinds of offer of a film by a provider (JustWatch's data): by subscription, free,
free with ads, to rent, to buy."""


def is_region(value: object) -> bool:
    """An ISO 3166-1 alpha-2 code's form: two capital ASCII letters."""
    return (
        isinstance(value, str)
        and len(value) == 2
        and value.isascii()
        and value.isalpha()
        and value.isupper()
    )


def _regions(value: object) -> object:
    """The entries of an object whose keys are region codes (others are left out)."""
    return {k: v for k, v in value.items() if is_region(k)} if isinstance(value, dict) else {}


class Offer(_Model):
    """A provider offering the film in a region (`watch/providers`)."""

    provider_id: Annotated[int, BeforeValidator(positive_int)]
    provider_name: Text = None
    logo_path: ImagePath = None
    display_priority: Int = None


class RegionOffers(_Model):
    link: ImagePath = None  # TMDB's watch page of the film for the region
    flatrate: Kept[Offer] = []
    free: Kept[Offer] = []
    ads: Kept[Offer] = []
    rent: Kept[Offer] = []
    buy: Kept[Offer] = []


class WatchProviders(_Model):
    """`watch/providers` (appended to a movie's details, or `GET /movie/{id}/watch/providers`):
    the film's offers by region (ISO 3166-1 codes; a region without offers is absent). A
    region's entry that is not one, or whose code is not a code, is left out."""

    results: Annotated[dict[str, OnErrorOmit[RegionOffers]], BeforeValidator(_regions)] = {}


APPENDED = "credits,keywords,release_dates"
"""What the client appends to a movie's details (`append_to_response`): `MovieDetails` parts."""
PROVIDERS_PART = "watch/providers"
"""Appended too for a watchlist's film (where to stream it)."""


class MovieDetails(_Model):
    """`GET /movie/{id}?append_to_response=APPENDED`."""

    id: TmdbId
    title: Annotated[str | None, BeforeValidator(_title)]
    original_title: Text = None
    original_language: Text = None
    release_date: Text = None
    runtime: Int = None
    popularity: Number = None
    vote_average: Number = None
    vote_count: Int = None
    poster_path: ImagePath = None
    backdrop_path: ImagePath = None
    imdb_id: Text = None
    genres: Items[Named] = []
    production_countries: Items[Named] = []
    spoken_languages: Items[Named] = []
    production_companies: Items[Named] = []
    belongs_to_collection: Collection = None
    credits: Part[Credits] = Credits()
    keywords: Part[Keywords] = Keywords()
    release_dates: Part[ReleaseDates] = ReleaseDates()
    watch_providers: Annotated[Part[WatchProviders], Field(alias="watch/providers")] = (
        WatchProviders()
    )


# --- what TMDB answers for completion: a collection's parts, a person's films ---


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


class CreditFilm(_Model):
    """A film of a collection (`parts`) or of a person's credits (`cast`: with `character` and
    billing `order`; `crew`: with `department` and `job`)."""

    id: TmdbId
    title: Text = None
    release_date: Text = None
    poster_path: ImagePath = None
    genre_ids: Items[Annotated[int, BeforeValidator(positive_int)]] = []
    video: Annotated[bool | None, BeforeValidator(_flag)] = None
    popularity: Number = None
    character: Text = None
    order: Int = None
    department: Text = None
    job: Text = None


class CollectionDetails(_Model):
    """`GET /collection/{id}`."""

    id: TmdbId
    name: Text = None
    poster_path: ImagePath = None
    parts: Kept[CreditFilm] = []


class PersonCredits(_Model):
    """`GET /person/{id}/movie_credits`."""

    id: TmdbId
    cast: Items[CreditFilm] = []
    crew: Items[CreditFilm] = []


# --- what TMDB answers for TV ---


class TvSearchResult(_Model):
    """One series of `GET /search/tv`."""

    id: TmdbId
    name: AnyText = None
    original_name: AnyText = None
    first_air_date: Text = None
    popularity: Number = None
    vote_count: Int = None
    vote_average: Number = None
    poster_path: ImagePath = None
    overview: AnyText = None

    def as_search_result(self) -> SearchResult:
        """As the matcher reads a candidate: its name is a title, its first air date a
        release date."""
        return SearchResult(
            id=self.id,
            title=self.name,
            original_title=self.original_name,
            release_date=self.first_air_date,
            popularity=self.popularity,
            vote_count=self.vote_count,
            vote_average=self.vote_average,
            poster_path=self.poster_path,
            overview=self.overview,
        )


class TvSearchAnswer(_Model):
    results: list[OnErrorOmit[TvSearchResult]]


class Role(_Model):
    character: Text = None
    episode_count: Int = None


class Job(_Model):
    job: Text = None
    episode_count: Int = None


class AggregateCast(Person):
    """A series' actor: every role they played in it."""

    roles: Items[Role] = []
    order: Int = None
    total_episode_count: Int = None


class AggregateCrew(Person):
    """A series' crew member: every job they did on it."""

    jobs: Items[Job] = []
    department: Text = None
    total_episode_count: Int = None


class AggregateCredits(_Model):
    cast: Items[AggregateCast] = []
    crew: Items[AggregateCrew] = []


class TvKeywords(_Model):
    results: Items[Named] = []
    """A series' keywords are its `results` (a movie's are its `keywords`)."""


TV_APPENDED = "aggregate_credits,keywords"
"""What the client appends to a series' details: `TvDetails` parts."""


class TvDetails(_Model):
    """`GET /tv/{id}?append_to_response=TV_APPENDED`."""

    id: TmdbId
    name: Annotated[str | None, BeforeValidator(_title)]
    original_name: Text = None
    original_language: Text = None
    first_air_date: Text = None
    episode_run_time: Items[Annotated[int, BeforeValidator(positive_int)]] = []
    """Minutes an episode runs (TMDB lists each distinct length; often none nowadays)."""
    number_of_episodes: Int = None
    popularity: Number = None
    vote_average: Number = None
    vote_count: Int = None
    poster_path: ImagePath = None
    backdrop_path: ImagePath = None
    genres: Items[Named] = []
    production_countries: Items[Named] = []
    spoken_languages: Items[Named] = []
    production_companies: Items[Named] = []
    aggregate_credits: Part[AggregateCredits] = AggregateCredits()
    keywords: Part[TvKeywords] = TvKeywords()


# --- what we keep ---


class Category(_Model):
    """A genre, a studio or a keyword."""

    id: Key = None
    name: Text = None


class Country(_Model):
    iso_3166_1: Text = None
    name: Text = None


class Language(_Model):
    iso_639_1: Text = None
    english_name: Text = None
    name: Text = None


class CastMember(Person):
    character: Text = None
    order: int


class CrewMember(Person):
    job: str


class MovieData(_Model):
    """What we keep of a film: enough for every statistic and page, small enough to keep for
    every film anyone has uploaded. A stored document of another version reads as this one
    (missing fields are empty), so that the migration can convert it."""

    version: Literal[1] = MOVIE_DATA_VERSION
    kind: TmdbKind = TmdbKind.movie
    id: Int = None
    title: Text = None
    original_title: Text = None
    original_language: Text = None
    release_date: Text = None
    runtime: Int = None
    popularity: Number = None
    vote_average: Number = None
    vote_count: Int = None
    poster_path: ImagePath = None
    backdrop_path: ImagePath = None
    imdb_id: Text = None
    genres: Kept[Category] = []
    production_countries: Kept[Country] = []
    spoken_languages: Kept[Language] = []
    production_companies: Kept[Category] = []
    keywords: Kept[Category] = []
    cast: Kept[CastMember] = []
    crew: Kept[CrewMember] = []
    collection: Collection = None
    """The franchise it belongs to (a movie's `belongs_to_collection`); added to version 1 with
    a default: a document without it was stored before it was kept. Likewise each cast and
    crew member's `gender` (null: unknown)."""
