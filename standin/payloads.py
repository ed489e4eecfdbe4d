"""TMDB v3 JSON bodies, key for key and in TMDB's key order (pure)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from standin import providers
from standin.films import Film
from standin.franchises import Collection
from standin.people import DIRECTOR, Filmography
from standin.people import person_id as person_id  # re-exported: `payloads.person_id`
from standin.reference import LANGUAGE_NAMES, origin_country
from standin.synthesis import synthetic_gender
from standin.text import fake_hex, fake_path, stable_int

PAGE_SIZE = 20
MAX_PAGE = 500
#: The department of each crew job the stand-in credits.
DEPARTMENTS = {DIRECTOR: "Directing"}
#: The data names no characters: every cast credit (a film's, a person's) has this one.
CHARACTER = ""

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


def details(film: Film, collection: Collection | None = None) -> Body:
    """`collection`: the one the film is a part of (`belongs_to_collection`), if any."""
    return {
        "adult": False,
        "backdrop_path": _backdrop(film),
        "belongs_to_collection": None if collection is None else belongs_to(collection),
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
            "character": CHARACTER,
            "credit_id": cast_credit_id(film.id, name),
            "order": order,
        }
        for order, name in enumerate(film.cast)
    ]
    crew = [
        {
            **person(name, "Directing"),
            "credit_id": crew_credit_id(film.id, DIRECTOR, name),
            "department": DEPARTMENTS[DIRECTOR],
            "job": DIRECTOR,
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


def details_with(
    film: Film, append_to_response: str | None, collection: Collection | None = None
) -> Body:
    body = details(film, collection)
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


def cast_credit_id(film_id: int, name: str) -> str:
    """The `credit_id` of a cast credit: the same in the film's credits and the person's."""
    return fake_hex("credit", film_id, "cast", name)


def crew_credit_id(film_id: int, job: str, name: str) -> str:
    return fake_hex("credit", film_id, job, name)


def belongs_to(collection: Collection) -> Body:
    """A details' `belongs_to_collection`."""
    return {
        "id": collection.id,
        "name": collection.name,
        "poster_path": collection.poster_path,
        "backdrop_path": collection.backdrop_path,
    }


def collection_details(collection: Collection, parts: Sequence[Film]) -> Body:
    """`GET /3/collection/{id}`: `parts` are search results, in the collection's order."""
    return {
        "id": collection.id,
        "name": collection.name,
        "overview": collection_overview(collection, parts),
        "poster_path": collection.poster_path,
        "backdrop_path": collection.backdrop_path,
        "parts": [search_result(film) for film in parts],
    }


def collection_overview(collection: Collection, parts: Sequence[Film]) -> str:
    """`"Toy Story: 3 films, 1995-2010."` (made up, as the catalogue has no such text)."""
    years = sorted(film.year for film in parts if film.year is not None)
    span = ""
    if years:
        span = f", {years[0]}" if years[0] == years[-1] else f", {years[0]}-{years[-1]}"
    return f"{collection.name.removesuffix(' Collection')}: {len(parts)} films{span}."


def movie_credits(pid: int, filmography: Filmography, films: Callable[[int], Film | None]) -> Body:
    """`GET /3/person/{id}/movie_credits`: each film as a search result plus the credit (cast:
    `character`, `credit_id`, `order`; crew: `credit_id`, `department`, `job`), films in
    release order (undated last). `films` looks a film id up."""
    cast = [
        (film, _cast_entry(film, name, order))
        for film_id, name, order in filmography.cast
        if (film := films(film_id)) is not None
    ]
    crew = [
        (film, _crew_entry(film, name, job))
        for film_id, name, job in filmography.crew
        if (film := films(film_id)) is not None
    ]
    return {
        "id": pid,
        "cast": [body for _, body in sorted(cast, key=_release_order)],
        "crew": [body for _, body in sorted(crew, key=_release_order)],
    }


def _cast_entry(film: Film, name: str, order: int) -> Body:
    return {
        **search_result(film),
        "character": CHARACTER,
        "credit_id": cast_credit_id(film.id, name),
        "order": order,
    }


def _crew_entry(film: Film, name: str, job: str) -> Body:
    return {
        **search_result(film),
        "credit_id": crew_credit_id(film.id, job, name),
        "department": DEPARTMENTS.get(job, "Crew"),
        "job": job,
    }


def _release_order(entry: tuple[Film, Body]) -> tuple[bool, str, int]:
    film = entry[0]
    return (not film.release_date, film.release_date, film.id)


def person(name: str, department: str) -> Body:
    """The fields every credit of a person starts with (movies' credits, TV's aggregate)."""
    return {
        "adult": False,
        "gender": synthetic_gender(name),
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
