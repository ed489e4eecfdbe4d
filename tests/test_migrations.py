from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert, inspect, select
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.kit.migrations import alembic_config, include_object, upgrade
from letterboxd_stats.models import Base, TmdbMatch
from letterboxd_stats.tmdb.matching import match_key, normalise_title


async def test_models_and_migrations_agree(engine: AsyncEngine) -> None:
    """The test database was built by the migrations alone; autogenerate must find nothing."""

    def diff(connection):
        options = {"compare_type": True, "include_object": include_object}
        context = MigrationContext.configure(connection, opts=options)
        return compare_metadata(context, Base.metadata)

    async with engine.connect() as conn:
        assert await conn.run_sync(diff) == []
        tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    assert set(Base.metadata.tables) <= tables


@pytest.mark.process
async def test_migrate_command_creates_the_schema() -> None:
    directory = Path(tempfile.mkdtemp(prefix="letterboxd-stats-cli-"))
    env = os.environ | {"DATABASE_URL": f"sqlite:///{directory}/cli.db"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "letterboxd_stats",
        "migrate",
        env=env,
        cwd=directory,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await process.communicate()
    assert process.returncode == 0, stderr.decode()
    assert "migrated" in stderr.decode()
    assert (directory / "cli.db").stat().st_size > 0


async def test_migration_0005_rekeys_long_match_keys(engine: AsyncEngine) -> None:
    """A match stored under a key longer than the bound gets its bounded key: still a hit."""
    title = ("Longest Title Ever Typed " * 24)[:592]
    old_key = f"{normalise_title(title)}|1999"
    assert len(old_key) == 597  # fits the column of 600: PostgreSQL kept such rows
    row = {
        "title": title,
        "year": 1999,
        "tmdb_id": 7,
        "confidence": 1.0,
        "method": "primary_release_year",
        "status": "matched",
        "reason": None,
        "matched_at": datetime.now(UTC),
    }
    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: command.downgrade(alembic_config(sync), "0004"))
        await conn.execute(  # the table as 0004 left it (the model has moved on since)
            insert(sa.table("tmdb_matches", *(sa.column(c) for c in [*row, "match_key"]))),
            [row | {"match_key": old_key}, row | {"match_key": "heat|1995", "title": "Heat"}],
        )
    await upgrade(engine)
    async with engine.connect() as conn:
        keys = set((await conn.execute(select(TmdbMatch.match_key))).scalars())
    assert keys == {match_key(title, 1999), "heat|1995"}
    assert len(match_key(title, 1999)) == 255
