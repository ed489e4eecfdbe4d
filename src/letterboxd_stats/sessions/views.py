"""Rows as the API shows them: a film of the library with its match and TMDB fields, a TMDB
search result as a candidate to pick."""

from __future__ import annotations

from letterboxd_stats.models import Film, TmdbKind, TmdbMovie
from letterboxd_stats.sessions.repository import FilmActivity
from letterboxd_stats.sessions.schemas import CastMember, Movie, Person, TmdbCandidate
from letterboxd_stats.tmdb.schemas import MovieData, SearchResult, bounded_text


def movie(film: Film, tmdb: TmdbMovie | None, activity: FilmActivity) -> Movie:
    data = MovieData.model_validate(tmdb.data) if tmdb else None
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
        tmdb_kind=film.tmdb_kind if film.tmdb_id is not None else None,
        tmdb_title=tmdb.title if tmdb else None,
        original_title=tmdb.original_title if tmdb else None,
        release_date=tmdb.release_date if tmdb else None,
        runtime=tmdb.runtime if tmdb else None,
        genres=[g.name for g in data.genres if g.name is not None] if data else None,
        countries=[c.iso_3166_1 for c in data.production_countries if c.iso_3166_1 is not None]
        if data
        else None,
        languages=[s.iso_639_1 for s in data.spoken_languages if s.iso_639_1 is not None]
        if data
        else None,
        original_language=data.original_language if data else None,
        directors=[
            Person(id=c.id, name=c.name, profile_path=c.profile_path)
            for c in data.crew
            if c.job == "Director"
        ]
        if data
        else None,
        cast=[
            CastMember(
                id=c.id,
                name=c.name,
                profile_path=c.profile_path,
                character=c.character,
                order=c.order,
            )
            for c in data.cast
        ]
        if data
        else None,
        poster_path=tmdb.poster_path if tmdb else None,
        popularity=tmdb.popularity if tmdb else None,
        vote_average=tmdb.vote_average if tmdb else None,
        fetched_at=tmdb.fetched_at if tmdb else None,
    )


def candidate(item: SearchResult, kind: TmdbKind = TmdbKind.movie) -> TmdbCandidate:
    """A search result to pick (a series' as the matcher reads it: its name, its first air
    date)."""
    release = item.release_date or None
    return TmdbCandidate(
        tmdb_id=item.id,
        kind=kind,
        title=bounded_text(item.title) or "",
        original_title=bounded_text(item.original_title) or None,
        year=int(release[:4]) if release and release[:4].isdigit() else None,
        release_date=release,
        poster_path=item.poster_path or None,
        overview=item.overview or None,
        popularity=item.popularity,
    )
