"""What we keep of a TMDB details answer, a movie's or a TV series' (pure): `MovieData`
(tmdb.schemas, where the bounds are), and the column values of its `tmdb_movies` row."""

from __future__ import annotations

from datetime import date, datetime
from typing import NotRequired, TypedDict

from letterboxd_stats.tmdb.decision import TmdbKind
from letterboxd_stats.tmdb.schemas import (
    CREW_ROLES,
    MAX_INT,
    MAX_ITEMS,
    MAX_TEXT_CHARS,
    TOP_CAST,
    CastMember,
    Category,
    Country,
    CrewMember,
    Language,
    MovieData,
    MovieDetails,
    Named,
    TvDetails,
    WatchProviders,
    bounded_int,
    bounded_path,
    bounded_text,
    finite,
)

__all__ = [
    "MAX_INT",
    "MAX_ITEMS",
    "MAX_TEXT_CHARS",
    "MovieRow",
    "bounded_int",
    "bounded_path",
    "bounded_text",
    "finite",
    "movie_row",
    "parse_release_date",
    "trim_details",
    "trim_tv",
    "tv_row",
]


class MovieRow(TypedDict):
    """Column values of one `tmdb_movies` row (`data` is stored as JSON, with the packed tags
    the statistics read: `enrich.repository.upsert_movies`)."""

    kind: TmdbKind
    tmdb_id: int
    title: str
    original_title: str | None
    release_date: date | None
    runtime: int | None
    popularity: float | None
    vote_average: float | None
    vote_count: int | None
    poster_path: str | None
    data: MovieData
    fetched_at: datetime | None
    collection_id: int | None
    providers: NotRequired[WatchProviders]
    """Where it can be watched, when the answer said (appended `watch/providers`): stored
    apart, in `watch_offers` (`enrich.repository.store_offers`), not a column of the row."""


def trim_details(details: MovieDetails) -> MovieData:
    cast = sorted(
        (c for c in details.credits.cast if c.order is not None), key=lambda c: c.order or 0
    )
    return MovieData(
        id=details.id,
        title=details.title,
        original_title=details.original_title,
        original_language=details.original_language,
        release_date=details.release_date or None,
        runtime=details.runtime,
        popularity=details.popularity,
        vote_average=details.vote_average,
        vote_count=details.vote_count,
        poster_path=details.poster_path,
        backdrop_path=details.backdrop_path,
        imdb_id=details.imdb_id,
        genres=_categories(details.genres),
        production_countries=_countries(details.production_countries),
        spoken_languages=_languages(details.spoken_languages),
        production_companies=_categories(details.production_companies),
        keywords=_categories(details.keywords.keywords),
        cast=[
            CastMember(
                id=c.id,
                name=c.name,
                profile_path=c.profile_path,
                gender=c.gender,
                character=c.character,
                order=c.order or 0,
            )
            for c in cast[:TOP_CAST]
        ],
        crew=[
            CrewMember(
                id=c.id, name=c.name, profile_path=c.profile_path, gender=c.gender, job=c.job
            )
            for c in details.credits.crew
            if c.job in CREW_ROLES
        ],
        collection=details.belongs_to_collection,
    )


def trim_tv(details: TvDetails) -> MovieData:
    """A series as we keep a film: its name is its title, its first air date its release date,
    its runtime every episode's (the mean listed episode length times the episodes, where TMDB
    gives both), its cast and crew from the aggregate credits (a person once per job)."""
    runs = details.episode_run_time
    runtime = (
        bounded_int(round(sum(runs) / len(runs) * details.number_of_episodes))
        if runs and details.number_of_episodes
        else None
    )
    credits = details.aggregate_credits
    cast = sorted((c for c in credits.cast if c.order is not None), key=lambda c: c.order or 0)
    crew: list[CrewMember] = []
    for member in credits.crew:
        for job in dict.fromkeys(j.job for j in member.jobs if j.job in CREW_ROLES):
            assert job is not None
            crew.append(
                CrewMember(
                    id=member.id,
                    name=member.name,
                    profile_path=member.profile_path,
                    gender=member.gender,
                    job=job,
                )
            )
    return MovieData(
        kind=TmdbKind.tv,
        id=details.id,
        title=details.name,
        original_title=details.original_name,
        original_language=details.original_language,
        release_date=details.first_air_date or None,
        runtime=runtime,
        popularity=details.popularity,
        vote_average=details.vote_average,
        vote_count=details.vote_count,
        poster_path=details.poster_path,
        backdrop_path=details.backdrop_path,
        genres=_categories(details.genres),
        production_countries=_countries(details.production_countries),
        spoken_languages=_languages(details.spoken_languages),
        production_companies=_categories(details.production_companies),
        keywords=_categories(details.keywords.results),
        cast=[
            CastMember(
                id=c.id,
                name=c.name,
                profile_path=c.profile_path,
                gender=c.gender,
                character=next((r.character for r in c.roles if r.character), None),
                order=c.order or 0,
            )
            for c in cast[:TOP_CAST]
        ],
        crew=crew,
    )


def movie_row(details: MovieDetails, fetched_at: datetime | None) -> MovieRow:
    """Column values of `tmdb_movies` for one movie's details answer, with its providers when
    the answer held them."""
    row = data_row(trim_details(details), fetched_at)
    if "watch_providers" in details.model_fields_set:
        row["providers"] = details.watch_providers
    return row


def tv_row(details: TvDetails, fetched_at: datetime | None) -> MovieRow:
    """Column values of `tmdb_movies` for one series' details answer."""
    return data_row(trim_tv(details), fetched_at)


def data_row(data: MovieData, fetched_at: datetime | None) -> MovieRow:
    assert data.id is not None  # trimmed from an answer, whose id is required
    return {
        "kind": data.kind,
        "tmdb_id": data.id,
        # TMDB's title can be null: the original title then, else nothing to show.
        "title": data.title or data.original_title or "",
        "original_title": data.original_title,
        "release_date": parse_release_date(data.release_date),
        "runtime": data.runtime,
        "popularity": data.popularity,
        "vote_average": data.vote_average,
        "vote_count": data.vote_count,
        "poster_path": data.poster_path,
        "data": data,
        "fetched_at": fetched_at,
        "collection_id": data.collection.id if data.collection is not None else None,
    }


def parse_release_date(value: object) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _categories(items: list[Named]) -> list[Category]:
    return [Category(id=item.id, name=item.name) for item in items]


def _countries(items: list[Named]) -> list[Country]:
    return [Country(iso_3166_1=item.iso_3166_1, name=item.name) for item in items]


def _languages(items: list[Named]) -> list[Language]:
    return [
        Language(iso_639_1=item.iso_639_1, english_name=item.english_name, name=item.name)
        for item in items
    ]
