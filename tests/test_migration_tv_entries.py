"""Migration 0008: `tmdb_movies` keyed by (id, kind), and what names a TMDB entry says its kind;
every row before it is a movie's. Downgrade refuses while a series is stored."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.kit.migrations import alembic_config, upgrade

MOVIES = sa.table(  # tmdb_movies as revision 0007 left it
    "tmdb_movies",
    *(sa.column(name) for name in ("tmdb_id", "title", "fetched_at", "tags", "labels")),
    sa.column("data", sa.JSON),
)
MATCHES = sa.table(
    "tmdb_matches",
    *(sa.column(n) for n in ("match_key", "title", "year", "tmdb_id", "method", "status")),
    sa.column("matched_at"),
)


async def _to(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: command.downgrade(alembic_config(sync), revision))


async def test_rows_stored_before_0008_are_movies(engine: AsyncEngine) -> None:
    await _to(engine, "0007")
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.execute(
            sa.insert(MOVIES),
            [{"tmdb_id": 77, "title": "Old", "fetched_at": now, "data": {}, "tags": "",
              "labels": ""}],
        )  # fmt: skip
        await conn.execute(
            sa.insert(MATCHES),
            [{"match_key": "old|1999", "title": "Old", "year": 1999, "tmdb_id": 77,
              "method": "year", "status": "matched", "matched_at": now}],
        )  # fmt: skip
    await upgrade(engine)
    async with engine.begin() as conn:
        movie = (await conn.execute(sa.text("SELECT tmdb_id, kind FROM tmdb_movies"))).one()
        match = (await conn.execute(sa.text("SELECT tmdb_kind FROM tmdb_matches"))).scalar_one()
        # a series of the same number is another row now
        await conn.execute(
            sa.text(
                "INSERT INTO tmdb_movies (tmdb_id, kind, title, fetched_at, data, tags, labels) "
                "VALUES (77, 'tv', 'Series', :now, '{}', '', '')"
            ),
            {"now": now},
        )
        count = (await conn.execute(sa.text("SELECT count(*) FROM tmdb_movies"))).scalar_one()
    assert tuple(movie) == (77, "movie")
    assert match == "movie"
    assert count == 2


async def test_downgrade_refuses_while_a_series_is_stored(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            sa.text(
                "INSERT INTO tmdb_movies (tmdb_id, kind, title, fetched_at, data, tags, labels) "
                "VALUES (87108, 'tv', 'Chernobyl', :now, '{}', '', '')"
            ),
            {"now": datetime.now(UTC)},
        )
    await _to(engine, "0008")  # (SQLite runs DDL outside the transaction: one step at a time)
    with pytest.raises(RuntimeError, match="1 TV series are stored"):
        await _to(engine, "0007")
    async with engine.begin() as conn:
        await conn.execute(sa.text("DELETE FROM tmdb_movies"))
    await _to(engine, "0007")  # nothing to lose: it goes
    async with engine.connect() as conn:
        columns = await conn.run_sync(
            lambda sync: {c["name"] for c in sa.inspect(sync).get_columns("tmdb_movies")}
        )
    await upgrade(engine)
    assert "kind" not in columns
