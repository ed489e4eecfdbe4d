"""What we keep of a TMDB details answer (pure): enough for every statistic, small enough to
cache for every film anyone has uploaded."""

from __future__ import annotations

from datetime import date
from typing import Any

TOP_CAST = 15
CREW_JOBS = frozenset(
    {
        "Director",
        "Screenplay",
        "Writer",
        "Story",
        "Novel",
        "Original Music Composer",
        "Music",
        "Director of Photography",
        "Editor",
        "Producer",
    }
)
_PERSON_KEYS = ("id", "name", "profile_path")


def trim_details(details: dict[str, Any]) -> dict[str, Any]:
    credits = details.get("credits") if isinstance(details.get("credits"), dict) else {}
    assert isinstance(credits, dict)
    cast = [c for c in _dicts(credits.get("cast")) if isinstance(c.get("order"), int)]
    cast.sort(key=lambda c: c["order"])
    crew = [c for c in _dicts(credits.get("crew")) if c.get("job") in CREW_JOBS]
    keywords = details.get("keywords")
    keyword_list = _dicts(keywords.get("keywords")) if isinstance(keywords, dict) else []
    return {
        "id": details.get("id"),
        "title": details.get("title"),
        "original_title": details.get("original_title"),
        "original_language": details.get("original_language"),
        "release_date": details.get("release_date") or None,
        "runtime": details.get("runtime"),
        "popularity": details.get("popularity"),
        "vote_average": details.get("vote_average"),
        "vote_count": details.get("vote_count"),
        "poster_path": details.get("poster_path"),
        "backdrop_path": details.get("backdrop_path"),
        "imdb_id": details.get("imdb_id"),
        "genres": _named(details.get("genres"), "id", "name"),
        "production_countries": _named(details.get("production_countries"), "iso_3166_1", "name"),
        "spoken_languages": _named(
            details.get("spoken_languages"), "iso_639_1", "english_name", "name"
        ),
        "production_companies": _named(details.get("production_companies"), "id", "name"),
        "keywords": _named(keyword_list, "id", "name"),
        "cast": [
            {**_pick(c, *_PERSON_KEYS), "character": c.get("character"), "order": c["order"]}
            for c in cast[:TOP_CAST]
        ],
        "crew": [{**_pick(c, *_PERSON_KEYS), "job": c.get("job")} for c in crew],
    }


def movie_row(details: dict[str, Any], fetched_at: Any) -> dict[str, Any]:
    """Column values of `tmdb_movies` for one details answer."""
    data = trim_details(details)
    return {
        "tmdb_id": data["id"],
        "title": data["title"],
        "original_title": data["original_title"],
        "release_date": parse_release_date(data["release_date"]),
        "runtime": data["runtime"] if isinstance(data["runtime"], int) else None,
        "popularity": _float(data["popularity"]),
        "vote_average": _float(data["vote_average"]),
        "vote_count": data["vote_count"] if isinstance(data["vote_count"], int) else None,
        "poster_path": data["poster_path"] if isinstance(data["poster_path"], str) else None,
        "data": data,
        "fetched_at": fetched_at,
    }


def parse_release_date(value: object) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _dicts(value: object) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _pick(item: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: item.get(key) for key in keys}


def _named(value: object, *keys: str) -> list[dict[str, Any]]:
    return [_pick(item, *keys) for item in _dicts(value)]


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
