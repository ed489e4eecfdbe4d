"""What we keep of a TMDB details answer (pure): enough for every statistic, small enough to
cache for every film anyone has uploaded.

Whatever TMDB answers, what is kept fits its columns and its pages: texts are cut at
MAX_TEXT_CHARS (a link or a path that long is dropped: cut, it would point elsewhere), lists
keep MAX_ITEMS entries, integers outside 0..MAX_INT (PostgreSQL's INTEGER) and numbers that are
not finite (`NaN`, `Infinity`, `1e999`, which JSON parsers accept) become null.
"""

from __future__ import annotations

import math
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
MAX_TEXT_CHARS = 500
MAX_ITEMS = 200
MAX_INT = 2**31 - 1
_PATHS = frozenset({"poster_path", "backdrop_path", "profile_path", "logo_path"})


def trim_details(details: dict[str, Any]) -> dict[str, Any]:
    credits = details.get("credits") if isinstance(details.get("credits"), dict) else {}
    assert isinstance(credits, dict)
    cast = [c for c in _dicts(credits.get("cast")) if bounded_int(c.get("order")) is not None]
    cast.sort(key=lambda c: c["order"])
    crew = [c for c in _dicts(credits.get("crew")) if c.get("job") in CREW_JOBS]
    keywords = details.get("keywords")
    keyword_list = _dicts(keywords.get("keywords")) if isinstance(keywords, dict) else []
    return {
        "id": bounded_int(details.get("id")),
        "title": bounded_text(details.get("title")),
        "original_title": bounded_text(details.get("original_title")),
        "original_language": bounded_text(details.get("original_language")),
        "release_date": bounded_text(details.get("release_date")) or None,
        "runtime": bounded_int(details.get("runtime")),
        "popularity": finite(details.get("popularity")),
        "vote_average": finite(details.get("vote_average")),
        "vote_count": bounded_int(details.get("vote_count")),
        "poster_path": bounded_path(details.get("poster_path")),
        "backdrop_path": bounded_path(details.get("backdrop_path")),
        "imdb_id": bounded_text(details.get("imdb_id")),
        "genres": _named(details.get("genres"), "id", "name"),
        "production_countries": _named(details.get("production_countries"), "iso_3166_1", "name"),
        "spoken_languages": _named(
            details.get("spoken_languages"), "iso_639_1", "english_name", "name"
        ),
        "production_companies": _named(details.get("production_companies"), "id", "name"),
        "keywords": _named(keyword_list, "id", "name"),
        "cast": [
            {
                **_pick(c, "id", "name", "profile_path"),
                "character": bounded_text(c.get("character")),
                "order": c["order"],
            }
            for c in cast[:TOP_CAST]
        ],
        "crew": [
            {**_pick(c, "id", "name", "profile_path"), "job": c.get("job")}
            for c in crew[:MAX_ITEMS]
        ],
    }


def movie_row(details: dict[str, Any], fetched_at: Any) -> dict[str, Any]:
    """Column values of `tmdb_movies` for one details answer."""
    data = trim_details(details)
    return {
        "tmdb_id": data["id"],
        # TMDB's title can be null: the original title then, else nothing to show.
        "title": data["title"] or data["original_title"] or "",
        "original_title": data["original_title"],
        "release_date": parse_release_date(data["release_date"]),
        "runtime": data["runtime"],
        "popularity": data["popularity"],
        "vote_average": data["vote_average"],
        "vote_count": data["vote_count"],
        "poster_path": data["poster_path"],
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


def _dicts(value: object) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _pick(item: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: _bounded(key, item.get(key)) for key in keys}


def _bounded(key: str, value: object) -> object:
    if key in _PATHS:
        return bounded_path(value)
    if key == "id":
        return bounded_int(value)
    return bounded_text(value) if isinstance(value, str) else None


def _named(value: object, *keys: str) -> list[dict[str, Any]]:
    return [_pick(item, *keys) for item in _dicts(value)[:MAX_ITEMS]]
