"""Alembic environment. Given a connection (`config.attributes["connection"]`), it migrates
on it; run from the `alembic` command line, it opens one from `DATABASE_URL`."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection

from letterboxd_stats.config import Settings
from letterboxd_stats.db import create_engine
from letterboxd_stats.kit.migrations import include_object
from letterboxd_stats.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_from_settings() -> None:
    engine = create_engine(Settings().database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_run)
    finally:
        await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
elif context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported")
else:
    # The alembic command line, outside the app: its own event loop is fine here.
    asyncio.run(_run_from_settings())
