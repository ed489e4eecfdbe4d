"""TMDB v3's TV bodies, key for key and in TMDB's key order (pure): `search/tv` results,
`tv/{id}` details, and the `aggregate_credits`, `keywords` and `watch/providers` parts (appended
or standalone).

Unlike a movie's, TV keywords are under `results` (`{"results": [{id, name}]}`), and TV credits
are aggregated over the episodes: a person appears once, with `roles` (cast) or `jobs` (crew),
each with its `episode_count`, and a `total_episode_count`. Keys and their order are those of
TMDB answers recorded in jdrouet/tmdb-api's `assets/` (search-tv.json, tv-details.json,
tv-aggregate-credits.json, tv-keywords.json; 2024); `created_by` items carry `original_name`
as TMDB's newer answers do.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from standin import providers
from standin.payloads import MAX_PAGE, PAGE_SIZE, person
from standin.reference import LANGUAGE_NAMES
from standin.series import Series
from standin.text import fake_hex, fake_path, stable_id

Body = dict[str, Any]

__all__ = ["APPENDABLE", "MAX_PAGE", "details_with", "search_page", "standalone"]


def search_page(shelf: Sequence[Series], page: int) -> Body:
    """One page of 20, paginated like `search/movie`."""
    start = (page - 1) * PAGE_SIZE
    return {
        "page": page,
        "results": [search_result(series) for series in shelf[start : start + PAGE_SIZE]],
        "total_pages": math.ceil(len(shelf) / PAGE_SIZE),
        "total_results": len(shelf),
    }


def search_result(series: Series) -> Body:
    return {
        "adult": False,
        "backdrop_path": fake_path("tv-backdrop", series.id),
        "genre_ids": [genre_id for genre_id, _ in series.genre_pairs],
        "id": series.id,
        "origin_country": list(series.origin_country),
        "original_language": series.original_language,
        "original_name": series.original_name or series.name,
        "overview": _overview(series),
        "popularity": series.popularity,
        "poster_path": fake_path("tv-poster", series.id),
        "first_air_date": series.first_air_date,
        "name": series.name,
        "vote_average": series.vote_average,
        "vote_count": series.vote_count,
    }


def details(series: Series) -> Body:
    return {
        "adult": False,
        "backdrop_path": fake_path("tv-backdrop", series.id),
        "created_by": [
            {
                "id": person(name, "Writing")["id"],
                "credit_id": fake_hex("tv-creator", series.id, name),
                "name": name,
                "original_name": name,
                "gender": person(name, "Writing")["gender"],
                "profile_path": fake_path("profile", name),
            }
            for name in series.created_by
        ],
        "episode_run_time": [series.episode_run_time],
        "first_air_date": series.first_air_date,
        "genres": [{"id": genre_id, "name": name} for genre_id, name in series.genre_pairs],
        "homepage": "",
        "id": series.id,
        "in_production": False,
        "languages": [series.original_language],
        "last_air_date": series.last_air_date,
        "last_episode_to_air": _last_episode(series),
        "name": series.name,
        "next_episode_to_air": None,
        "networks": [
            {
                "id": network_id,
                "logo_path": fake_path("logo", network_id, ".png"),
                "name": name,
                "origin_country": origin,
            }
            for network_id, name, origin in series.networks
        ],
        "number_of_episodes": series.number_of_episodes,
        "number_of_seasons": series.number_of_seasons,
        "origin_country": list(series.origin_country),
        "original_language": series.original_language,
        "original_name": series.original_name or series.name,
        "overview": _overview(series),
        "popularity": series.popularity,
        "poster_path": fake_path("tv-poster", series.id),
        "production_companies": [
            {"id": company_id, "logo_path": None, "name": name, "origin_country": ""}
            for company_id, name in series.company_pairs
        ],
        "production_countries": [
            {"iso_3166_1": iso, "name": name} for iso, name in series.countries
        ],
        "seasons": [
            {
                "air_date": air_date,
                "episode_count": episodes,
                "id": series.id * 100 + number,
                "name": f"Season {number}" if series.number_of_seasons > 1 else "Miniseries",
                "overview": "",
                "poster_path": fake_path("season", f"{series.id}-{number}"),
                "season_number": number,
                "vote_average": series.vote_average,
            }
            for number, (air_date, episodes) in enumerate(series.seasons, start=1)
        ],
        "spoken_languages": [
            {"english_name": LANGUAGE_NAMES.get(iso, name), "iso_639_1": iso, "name": name}
            for iso, name in series.languages
        ],
        "status": series.status,
        "tagline": "",
        "type": series.type,
        "vote_average": series.vote_average,
        "vote_count": series.vote_count,
    }


def aggregate_credits(series: Series) -> Body:
    """Cast and crew over all episodes: one entry per person, in billing order for the cast."""
    cast: dict[str, Body] = {}
    for name, character, episodes in series.cast:
        entry = cast.setdefault(
            name,
            {**person(name, "Acting"), "roles": [], "total_episode_count": 0, "order": len(cast)},
        )
        entry["roles"].append(
            {
                "credit_id": fake_hex("tv-credit", series.id, "cast", name, character),
                "character": character,
                "episode_count": episodes,
            }
        )
        entry["total_episode_count"] = min(
            series.number_of_episodes, entry["total_episode_count"] + episodes
        )
    crew: dict[tuple[str, str], Body] = {}
    for name, department, job, episodes in series.crew:
        entry = crew.setdefault(
            (name, department),
            {
                **person(name, department),
                "jobs": [],
                "department": department,
                "total_episode_count": 0,
            },
        )
        entry["jobs"].append(
            {
                "credit_id": fake_hex("tv-credit", series.id, "crew", name, job),
                "job": job,
                "episode_count": episodes,
            }
        )
        entry["total_episode_count"] = max(entry["total_episode_count"], episodes)
    return {"cast": list(cast.values()), "crew": list(crew.values())}


def keywords(series: Series) -> Body:
    return {
        "results": [{"name": name, "id": keyword_id} for keyword_id, name in series.keyword_pairs]
    }


def watch_providers(series: Series) -> Body:
    """As a movie's (`standin.providers`), drawn for the series' own (kind, id)."""
    return providers.watch_providers("tv", series.id, series.name)


#: `append_to_response` parts of `tv/{id}` the stand-in knows; others are ignored.
APPENDABLE: dict[str, Callable[[Series], Body]] = {
    "aggregate_credits": aggregate_credits,
    "keywords": keywords,
    "watch/providers": watch_providers,
}


def details_with(series: Series, append_to_response: str | None) -> Body:
    body = details(series)
    for part in (append_to_response or "").split(","):
        render = APPENDABLE.get(part.strip())
        if render is not None:
            body[part.strip()] = render(series)
    return body


def standalone(series: Series, part: str) -> Body | None:
    """`/3/tv/{id}/{part}`: the appended body with the series' `id`, where TMDB puts it (last
    in `aggregate_credits`, first in `keywords` and `watch/providers`)."""
    render = APPENDABLE.get(part)
    if render is None:
        return None
    if part in ("keywords", "watch/providers"):
        return {"id": series.id, **render(series)}
    return {**render(series), "id": series.id}


def _overview(series: Series) -> str:
    return (
        f"{series.name} ({series.first_air_year}), {series.number_of_episodes} episodes: "
        f"a {'miniseries' if series.type == 'Miniseries' else series.type.lower() + ' series'} "
        "of the TMDB stand-in."
    )


def _last_episode(series: Series) -> Body:
    season, (_, episodes) = len(series.seasons), series.seasons[-1]
    return {
        "id": stable_id("episode", series.id, season, episodes),
        "name": f"Episode {episodes}",
        "overview": "",
        "vote_average": series.vote_average,
        "vote_count": 0,
        "air_date": series.last_air_date,
        "episode_number": episodes,
        "episode_type": "finale",
        "production_code": "",
        "runtime": series.episode_run_time,
        "season_number": season,
        "show_id": series.id,
        "still_path": fake_path("still", f"{series.id}-{season}-{episodes}"),
    }
