"""TMDB lookups a user asks for by hand (a search, the film of a match fix), apart from the
enrichment job: they draw on the users' share of the TMDB budget, a search is kept a few
minutes and shared while in flight, and TMDB's failures become the errors a user is shown
(`tmdb_failures_for_users`, the one translation)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from cachetools import TTLCache

from letterboxd_stats.errors import TmdbDisabled, TmdbFilmNotFound, TmdbUnavailable
from letterboxd_stats.kit.single_flight import Forgetful, SingleFlight
from letterboxd_stats.tmdb.client import (
    DISABLED_NOTICE,
    TmdbAuthError,
    TmdbClient,
    TmdbError,
    TmdbNotConfigured,
    TmdbNotFound,
)
from letterboxd_stats.tmdb.decision import TmdbKind
from letterboxd_stats.tmdb.metadata import MovieRow, movie_row, tv_row
from letterboxd_stats.tmdb.schemas import SearchResult


class TmdbLookups:
    """One per process, built beside the enrichment job on the same client (one budget)."""

    def __init__(self, client: TmdbClient | None, *, search_cache_seconds: float = 300.0) -> None:
        self._client = client
        # Users' searches: the same question within a few minutes is answered from memory.
        self._searches = SingleFlight(
            TTLCache(2_000, search_cache_seconds) if search_cache_seconds > 0 else Forgetful()
        )

    async def search(
        self, query: str, year: int | None, kind: TmdbKind = TmdbKind.movie
    ) -> list[SearchResult]:
        """TMDB's search (of movies, or of TV series, read as films), for a user choosing by
        hand: the users' share of the budget; the same search (case and spacing aside) within
        `search_cache_seconds` is not sent again, and identical searches at the same moment
        share one request."""
        with tmdb_failures_for_users():
            client = self._client
            if client is None:
                raise TmdbNotConfigured(DISABLED_NOTICE)
            text = " ".join(query.split())

            async def ask() -> list[SearchResult]:
                if kind is TmdbKind.tv:
                    params = {"first_air_date_year": year} if year else {}
                    series = await client.search_tv(text, params, user=True)
                    return [item.as_search_result() for item in series]
                return await client.search_movie(text, {"year": year} if year else {}, user=True)

            found: list[SearchResult] = await self._searches.run((text.casefold(), year, kind), ask)
            return found

    async def chosen_movie(
        self, tmdb_id: int, kind: TmdbKind = TmdbKind.movie, *, known: bool
    ) -> MovieRow | None:
        """A user picked this film (or series): re-fetch it (fresh metadata); without TMDB, one
        already in the cache will do (None: keep the cached row)."""
        with tmdb_failures_for_users(tmdb_id):
            client = self._client
            if client is None:
                if known:
                    return None
                raise TmdbNotConfigured(DISABLED_NOTICE)
            now = datetime.now(UTC)
            if kind is TmdbKind.tv:
                return tv_row(await client.tv(tmdb_id, user=True), now)
            return movie_row(await client.movie(tmdb_id, user=True), now)


@contextmanager
def tmdb_failures_for_users(tmdb_id: int | None = None) -> Iterator[None]:
    """The one translation of TMDB's failures (`tmdb.client`) into the errors a user is shown,
    for every lookup made on a user's behalf; `tmdb_id`: the film asked for, if any."""
    try:
        yield
    except TmdbNotConfigured as exc:
        raise TmdbDisabled(str(exc)) from None
    except TmdbNotFound:
        which = f"with id {tmdb_id}" if tmdb_id is not None else "of that kind"
        raise TmdbFilmNotFound(f"TMDB has no film {which}") from None
    except TmdbAuthError as exc:
        raise TmdbUnavailable(str(exc)) from None
    except TmdbError as exc:
        raise TmdbUnavailable(f"TMDB could not be asked: {exc}") from None
