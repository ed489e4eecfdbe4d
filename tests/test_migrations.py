from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.kit.migrations import include_object
from letterboxd_stats.models import Base


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
