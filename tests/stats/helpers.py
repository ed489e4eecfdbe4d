"""Hand-made rows for the pure statistics tests."""

from __future__ import annotations

from datetime import date
from itertools import count
from typing import Any

from letterboxd_stats.stats.rows import StatsFilm, TmdbFacts, ViewingRow, facts_from_data

_entries = count(1)


def facts(
    tmdb_id: int,
    *,
    runtime: int | None = 100,
    genres: tuple[str, ...] = (),
    countries: tuple[str, ...] = (),
    language: str | None = None,
    directors: tuple[tuple[int, str], ...] = (),
    cast: tuple[tuple[int, str], ...] = (),
    popularity: float | None = None,
    vote_average: float | None = None,
    vote_count: int | None = None,
    release_date: date | None = None,
) -> TmdbFacts:
    """Facts read from a TMDB-shaped JSON, as the repository reads them."""
    data: dict[str, Any] = {
        "original_language": language,
        "genres": [{"id": g.lower(), "name": g} for g in genres],
        "production_countries": [{"iso_3166_1": c, "name": c} for c in countries],
        "cast": [
            {"id": pid, "name": name, "profile_path": None, "order": order}
            for order, (pid, name) in enumerate(cast)
        ],
        "crew": [
            {"id": pid, "name": name, "profile_path": f"/{pid}.jpg", "job": "Director"}
            for pid, name in directors
        ],
    }
    return facts_from_data(
        tmdb_id,
        data,
        release_date=release_date,
        runtime=runtime,
        popularity=popularity,
        vote_average=vote_average,
        vote_count=vote_count,
        poster_path=f"/p{tmdb_id}.jpg",
    )


def film(
    film_no: int,
    *,
    year: int | None = 2000,
    rating: int | None = None,
    tmdb: TmdbFacts | None = None,
    liked: bool = False,
    status: str | None = None,
) -> StatsFilm:
    return StatsFilm(
        film_no=film_no,
        title=f"Film {film_no}",
        year=year,
        watched=True,
        rating=rating,
        liked=liked,
        match_status=status or ("matched" if tmdb else "pending"),
        tmdb=tmdb,
    )


def viewing(film_no: int, on: str, *, rewatch: bool = False) -> ViewingRow:
    day = date.fromisoformat(on)
    return ViewingRow(next(_entries), film_no, day, day, rewatch)
