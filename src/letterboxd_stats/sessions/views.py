"""Rows as the API shows them: a film of the library with its match and TMDB fields, a TMDB
search result as a candidate to pick."""

from __future__ import annotations

from typing import Any

from letterboxd_stats.models import Film, TmdbMovie
from letterboxd_stats.sessions.repository import FilmActivity
from letterboxd_stats.sessions.schemas import CastMember, Movie, Person, TmdbCandidate
from letterboxd_stats.tmdb import metadata


def movie(film: Film, tmdb: TmdbMovie | None, activity: FilmActivity) -> Movie:
    data: dict[str, Any] = tmdb.data if tmdb else {}
    return Movie(
        movie_id=film.film_no,
        title=film.title,
        year=film.year,
        letterboxd_uri=film.letterboxd_uri,
        rating=film.rating_half_stars / 2 if film.rating_half_stars is not None else None,
        watched_dates=activity.watched_dates,
        rewatch_count=activity.rewatch_count,
        liked=film.liked,
        review_count=activity.review_count,
        tags=list(activity.tags),
        match_status=film.match_status,
        match_confidence=film.match_confidence,
        match_method=film.match_method,
        match_reason=film.match_reason,
        tmdb_id=film.tmdb_id,
        tmdb_title=tmdb.title if tmdb else None,
        original_title=tmdb.original_title if tmdb else None,
        release_date=tmdb.release_date if tmdb else None,
        runtime=tmdb.runtime if tmdb else None,
        genres=_values(data, "genres", "name") if tmdb else None,
        countries=_values(data, "production_countries", "iso_3166_1") if tmdb else None,
        languages=_values(data, "spoken_languages", "iso_639_1") if tmdb else None,
        original_language=data.get("original_language") if tmdb else None,
        directors=[
            Person(id=c.get("id"), name=c.get("name"), profile_path=c.get("profile_path"))
            for c in _items(data, "crew")
            if c.get("job") == "Director"
        ]
        if tmdb
        else None,
        cast=[
            CastMember(
                id=c.get("id"),
                name=c.get("name"),
                profile_path=c.get("profile_path"),
                character=c.get("character"),
                order=c.get("order"),
            )
            for c in _items(data, "cast")
        ]
        if tmdb
        else None,
        poster_path=tmdb.poster_path if tmdb else None,
        popularity=tmdb.popularity if tmdb else None,
        vote_average=tmdb.vote_average if tmdb else None,
    )


def _items(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _values(data: dict[str, Any], key: str, field: str) -> list[str]:
    return [str(v[field]) for v in _items(data, key) if v.get(field) is not None]


def candidate(item: dict[str, Any]) -> TmdbCandidate:
    def text(key: str) -> str | None:
        value = item.get(key)
        return value if isinstance(value, str) and value else None

    release = metadata.bounded_text(text("release_date"))
    return TmdbCandidate(
        tmdb_id=item["id"],
        title=metadata.bounded_text(text("title")) or "",
        original_title=metadata.bounded_text(text("original_title")),
        year=int(release[:4]) if release and release[:4].isdigit() else None,
        release_date=release,
        poster_path=metadata.bounded_path(item.get("poster_path")) or None,
        overview=text("overview"),
        popularity=metadata.finite(item.get("popularity")),
    )
