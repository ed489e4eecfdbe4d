"""Jobs of different sessions (in one process or several) store the same TMDB films at once:
their writes must never deadlock one another, and a transaction the server does roll back to
break a deadlock is run again rather than failing the session."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.db import create_sessionmaker, session_scope
from letterboxd_stats.enrich import repository
from letterboxd_stats.enrich.repository import KnownMatch
from letterboxd_stats.models import MatchStatus, TmdbMatch, TmdbMovie
from letterboxd_stats.tmdb.decision import MatchDecision
from letterboxd_stats.tmdb.metadata import MovieRow, movie_row
from letterboxd_stats.tmdb.schemas import MovieDetails

FILMS = 300
ROUNDS = 6


def _movies(ids: list[int]) -> list[MovieRow]:
    now = datetime.now(UTC)
    return [
        movie_row(MovieDetails.model_validate({"id": i, "title": f"Shared Film {i}"}), now)
        for i in ids
    ]


def _matches(ids: list[int]) -> list[KnownMatch]:
    return [
        KnownMatch(
            key=f"shared film {i}|2000",
            title=f"Shared Film {i}",
            year=2000,
            decision=MatchDecision(i, 1.0, "exact", MatchStatus.matched, "test"),
            matched_at=datetime.now(UTC),
        )
        for i in ids
    ]


async def test_writers_storing_the_same_films_in_opposite_orders_never_deadlock(
    engine: AsyncEngine, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: no row locks to take in two orders")
    sessionmaker = create_sessionmaker(engine)
    ids = list(range(1, FILMS + 1))

    async def write(order: list[int]) -> None:
        async with session_scope(sessionmaker) as db:
            await repository.upsert_movies(db, _movies(order))
            await repository.upsert_matches(db, _matches(order))

    for _ in range(ROUNDS):  # each round: the same rows, new and then existing, at once
        await asyncio.gather(write(ids), write(ids[::-1]), write(ids[1::2] + ids[::2]))
    async with engine.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(TmdbMovie))).scalar() == FILMS
        assert (await conn.execute(select(func.count()).select_from(TmdbMatch))).scalar() == FILMS


async def test_a_batch_naming_a_film_twice_stores_it_once(engine: AsyncEngine) -> None:
    """ON CONFLICT cannot touch one row twice in a statement: the batch is made unique first."""
    sessionmaker = create_sessionmaker(engine)
    async with session_scope(sessionmaker) as db:
        await repository.upsert_movies(db, _movies([7, 3, 7]))
        await repository.upsert_matches(db, _matches([7, 3, 7]))
    async with engine.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(TmdbMovie))).scalar() == 2
        assert (await conn.execute(select(func.count()).select_from(TmdbMatch))).scalar() == 2
