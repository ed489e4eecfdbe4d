"""The /3 routes (thin: parse, ask the catalogue, render) and the /__stats, /__reset admin."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from standin import payloads, tv_payloads
from standin.catalogue import Catalogue
from standin.reference import CONFIGURATION
from standin.responses import (
    TMDBResponse,
    invalid_page,
    missing_query,
    not_found,
)
from standin.state import StandinState
from standin.tv_search import get_series, search_series


def get_catalogue(request: Request) -> Catalogue:
    catalogue: Catalogue = request.app.state.catalogue
    return catalogue


def get_state(request: Request) -> StandinState:
    state: StandinState = request.app.state.standin
    return state


CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]
StateDep = Annotated[StandinState, Depends(get_state)]

api = APIRouter(prefix="/3", default_response_class=TMDBResponse)
admin = APIRouter(default_response_class=TMDBResponse)


@api.get("/search/movie")
async def search_movie(
    catalogue: CatalogueDep,
    query: str | None = None,
    year: str | None = None,
    primary_release_year: str | None = None,
    page: str | None = None,
    include_adult: str | None = None,
    language: str | None = None,
    region: str | None = None,
) -> TMDBResponse:
    """TMDB's movie search; `include_adult`, `language` and `region` are accepted and ignored."""
    if query is None or not query.strip():
        return missing_query()
    page_number = _page(page)
    if page_number is None:
        return invalid_page()
    films = catalogue.search(
        query, year=_year(year), primary_release_year=_year(primary_release_year)
    )
    return TMDBResponse(payloads.search_page(films, page_number))


@api.get("/search/tv")
async def search_tv(
    query: str | None = None,
    first_air_date_year: str | None = None,
    year: str | None = None,
    page: str | None = None,
    include_adult: str | None = None,
    language: str | None = None,
) -> TMDBResponse:
    """TMDB's TV search over the stand-in's miniseries (`series.tv_titles()`):
    `first_air_date_year` filters on the first air date, `year` on any year the series aired;
    `include_adult` and `language` are accepted and ignored."""
    if query is None or not query.strip():
        return missing_query()
    page_number = _page(page)
    if page_number is None:
        return invalid_page()
    found = search_series(query, first_air_date_year=_year(first_air_date_year), year=_year(year))
    return TMDBResponse(tv_payloads.search_page(found, page_number))


@api.get("/tv/{tv_id}")
async def tv(
    tv_id: str, append_to_response: str | None = None, language: str | None = None
) -> TMDBResponse:
    """`/3/tv/{id}`, with `append_to_response=aggregate_credits,keywords,watch/providers`."""
    series = get_series(int(tv_id)) if _digits(tv_id) else None
    if series is None:
        return not_found()
    return TMDBResponse(tv_payloads.details_with(series, append_to_response))


@api.get("/tv/{tv_id}/watch/providers")
async def tv_watch_providers(tv_id: str) -> TMDBResponse:
    """`{"id", "results": {region: {link, flatrate, rent, buy, ads, free}}}` (a path parameter
    never holds a slash, so `/tv/{tv_id}/{part}` cannot serve it)."""
    return await tv_part(tv_id, "watch/providers")


@api.get("/tv/{tv_id}/{part}")
async def tv_part(tv_id: str, part: str) -> TMDBResponse:
    """Standalone `aggregate_credits` and `keywords` (with `id`)."""
    series = get_series(int(tv_id)) if _digits(tv_id) else None
    body = None if series is None else tv_payloads.standalone(series, part)
    return not_found() if body is None else TMDBResponse(body)


@api.get("/movie/{movie_id}")
async def movie(
    catalogue: CatalogueDep,
    movie_id: str,
    append_to_response: str | None = None,
    language: str | None = None,
) -> TMDBResponse:
    film = catalogue.get(int(movie_id)) if _digits(movie_id) else None
    if film is None:
        return not_found()
    collection = catalogue.collection_of(film.id)
    return TMDBResponse(payloads.details_with(film, append_to_response, collection))


@api.get("/movie/{movie_id}/watch/providers")
async def movie_watch_providers(catalogue: CatalogueDep, movie_id: str) -> TMDBResponse:
    """`{"id", "results": {region: {link, flatrate, rent, buy, ads, free}}}` (a path parameter
    never holds a slash, so `/movie/{movie_id}/{part}` cannot serve it)."""
    return await movie_part(catalogue, movie_id, "watch/providers")


@api.get("/movie/{movie_id}/{part}")
async def movie_part(catalogue: CatalogueDep, movie_id: str, part: str) -> TMDBResponse:
    """Standalone `credits`, `keywords`, `release_dates`, `external_ids` (with `id`); only
    their one-segment names: `watch/providers` has a route of its own."""
    film = catalogue.get(int(movie_id)) if _digits(movie_id) else None
    body = None if film is None else payloads.standalone(film, part)
    return not_found() if body is None else TMDBResponse(body)


@api.get("/collection/{collection_id}")
async def collection(
    catalogue: CatalogueDep, collection_id: str, language: str | None = None
) -> TMDBResponse:
    """`{"id", "name", "overview", "poster_path", "backdrop_path", "parts"}`: the parts are
    search results, by release date (`standin.franchises`)."""
    found = catalogue.collection(int(collection_id)) if _digits(collection_id) else None
    if found is None:
        return not_found()
    return TMDBResponse(payloads.collection_details(*found))


@api.get("/person/{person_id}/movie_credits")
async def person_movie_credits(
    catalogue: CatalogueDep, person_id: str, language: str | None = None
) -> TMDBResponse:
    """`{"id", "cast", "crew"}`: the person's films of the catalogue (and of the films it
    synthesised) as search results with the credit's fields, by release date."""
    person = int(person_id) if _digits(person_id) else None
    filmography = None if person is None else catalogue.filmography(person)
    if person is None or filmography is None:
        return not_found()
    return TMDBResponse(payloads.movie_credits(person, filmography, catalogue.get))


@api.get("/configuration")
async def configuration() -> TMDBResponse:
    return TMDBResponse(CONFIGURATION)


@admin.get("/__stats")
async def stats(state: StateDep, catalogue: CatalogueDep) -> TMDBResponse:
    """Counts of what the stand-in served (no auth; never shows a key or token)."""
    return TMDBResponse(state.stats.snapshot(catalogue.synthesised_count))


@admin.post("/__reset")
async def reset(state: StateDep, catalogue: CatalogueDep) -> TMDBResponse:
    """Zero the counts (and restart the rate window and the seeded draws)."""
    state.reset()
    return TMDBResponse(state.stats.snapshot(catalogue.synthesised_count))


def _page(value: str | None) -> int | None:
    if value is None or value == "":
        return 1
    if not _digits(value) or not 1 <= int(value) <= payloads.MAX_PAGE:
        return None
    return int(value)


def _year(value: str | None) -> int | None:
    """A year filter; empty or malformed values are ignored (as `year=` from some clients)."""
    value = (value or "").strip()
    return int(value) if _digits(value) and len(value) == 4 else None


def _digits(value: str) -> bool:
    """ASCII digits only: `"²".isdigit()` is true, but `int("²")` fails."""
    return value.isascii() and value.isdigit()
