"""TMDB v3 JSON bodies, key for key and in TMDB's key order (pure)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from standin import providers
from standin.films import Film
from standin.reference import LANGUAGE_NAMES, origin_country
from standin.text import fake_hex, fake_path, stable_id, stable_int

PAGE_SIZE = 20
MAX_PAGE = 500

Body = dict[str, Any]


def search_page(films: Sequence[Film], page: int) -> Body:
    """One page of 20; a page past the end has no results but the same totals."""
    start = (page - 1) * PAGE_SIZE
    return {
        "page": page,
        "results": [search_result(film) for film in films[start : start + PAGE_SIZE]],
        "total_pages": math.ceil(len(films) / PAGE_SIZE),
        "total_results": len(films),
    }


def search_result(film: Film) -> Body:
    return {
        "adult": False,
        "backdrop_path": _backdrop(film),
        "genre_ids": [genre_id for genre_id, _ in film.genres],
        "id": film.id,
        "original_language": film.original_language,
        "original_title": film.original_title or film.title,
        "overview": film.overview,
        "popularity": film.popularity,
        "poster_path": _poster(film),
        "release_date": film.release_date,
        "title": film.title,
        "video": False,
        "vote_average": film.vote_average,
        "vote_count": film.vote_count,
    }


def details(film: Film) -> Body:
    return {
        "adult": False,
        "backdrop_path": _backdrop(film),
        "belongs_to_collection": None,
        "budget": film.budget,
        "genres": [{"id": genre_id, "name": name} for genre_id, name in film.genres],
        "homepage": film.homepage,
        "id": film.id,
        "imdb_id": film.imdb_id,
        "origin_country": _origin(film),
        "original_language": film.original_language,
        "original_title": film.original_title or film.title,
        "overview": film.overview,
        "popularity": film.popularity,
        "poster_path": _poster(film),
        "production_companies": [
            {"id": company_id, "logo_path": None, "name": name, "origin_country": ""}
            for company_id, name in film.companies
        ],
        "production_countries": [{"iso_3166_1": iso, "name": name} for iso, name in film.countries],
        "release_date": film.release_date,
        "revenue": film.revenue,
        "runtime": film.runtime,
        "spoken_languages": [
            {"english_name": LANGUAGE_NAMES.get(iso, name), "iso_639_1": iso, "name": name}
            for iso, name in film.languages
        ],
        "status": film.status,
        "tagline": film.tagline,
        "title": film.title,
        "video": False,
        "vote_average": film.vote_average,
        "vote_count": film.vote_count,
    }


def credits(film: Film) -> Body:
    """The appended form: only `cast` and `crew` (the standalone endpoint adds `id`)."""
    cast = [
        {
            **person(name, "Acting"),
            "cast_id": order + 1,
            "character": "",
            "credit_id": fake_hex("credit", film.id, "cast", name),
            "order": order,
        }
        for order, name in enumerate(film.cast)
    ]
    crew = [
        {
            **person(name, "Directing"),
            "credit_id": fake_hex("credit", film.id, "Director", name),
            "department": "Directing",
            "job": "Director",
        }
        for name in film.directors
    ]
    return {"cast": cast, "crew": crew}


def keywords(film: Film) -> Body:
    return {"keywords": [{"id": keyword_id, "name": name} for keyword_id, name in film.keywords]}


def release_dates(film: Film) -> Body:
    if not film.release_date:
        return {"results": []}
    countries = dict.fromkeys(["US", *_origin(film)])
    return {
        "results": [
            {
                "iso_3166_1": iso,
                "release_dates": [
                    {
                        "certification": "",
                        "descriptors": [],
                        "iso_639_1": "",
                        "note": "",
                        "release_date": f"{film.release_date}T00:00:00.000Z",
                        "type": 3,
                    }
                ],
            }
            for iso in sorted(countries)
        ]
    }


def external_ids(film: Film) -> Body:
    return {
        "imdb_id": film.imdb_id,
        "wikidata_id": None,
        "facebook_id": None,
        "instagram_id": None,
        "twitter_id": None,
    }


def watch_providers(film: Film) -> Body:
    """`{"results": {region: {link, flatrate, rent, buy, ads, free}}}` (`standin.providers`)."""
    return providers.watch_providers("movie", film.id, film.title)


#: `append_to_response` parts the stand-in knows; others are ignored (as TMDB ignores typos).
APPENDABLE: dict[str, Callable[[Film], Body]] = {
    "credits": credits,
    "keywords": keywords,
    "release_dates": release_dates,
    "external_ids": external_ids,
    "watch/providers": watch_providers,
}


def details_with(film: Film, append_to_response: str | None) -> Body:
    body = details(film)
    for part in (append_to_response or "").split(","):
        render = APPENDABLE.get(part.strip())
        if render is not None:
            body[part.strip()] = render(film)
    return body


def standalone(film: Film, part: str) -> Body | None:
    """`/3/movie/{id}/{part}` (and `/3/movie/{id}/watch/providers`): the appended body with
    the film's `id` first."""
    render = APPENDABLE.get(part)
    return None if render is None else {"id": film.id, **render(film)}


def person_id(name: str) -> int:
    """People have no TMDB ids in the data: a stable positive 32-bit id from the name."""
    return stable_id("person", name)


def person(name: str, department: str) -> Body:
    """The fields every credit of a person starts with (movies' credits, TV's aggregate)."""
    return {
        "adult": False,
        "gender": 0,
        "id": person_id(name),
        "known_for_department": department,
        "name": name,
        "original_name": name,
        "popularity": round(0.6 + stable_int("popularity", name) % 30000 / 1000, 3),
        "profile_path": fake_path("profile", name),
    }


def _origin(film: Film) -> list[str]:
    return origin_country(film.original_language, [iso for iso, _ in film.countries])


def _poster(film: Film) -> str:
    return film.poster_path or fake_path("poster", film.id)


def _backdrop(film: Film) -> str:
    return film.backdrop_path or fake_path("backdrop", film.id)
