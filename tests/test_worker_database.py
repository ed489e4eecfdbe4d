"""Under pytest-xdist every worker runs on a database of its own (PostgreSQL: `<db>_gw0`, …;
SQLite: a file of its own), so that parallel tests never see each other's rows."""

from __future__ import annotations

import os

from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine


async def test_a_worker_is_connected_to_its_own_database(
    database_url: str, engine: AsyncEngine
) -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    name = make_url(database_url).database or ""
    async with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            current = (await conn.execute(text("SELECT current_database()"))).scalar_one()
        else:
            rows = (await conn.execute(text("PRAGMA database_list"))).all()
            current = next(row[2] for row in rows if row[1] == "main")
    assert str(current).endswith(name.lstrip("./")), (current, name)
    if worker and (engine.dialect.name == "postgresql" or os.environ.get("TEST_DATABASE_URL")):
        assert f"_{worker}" in name, (worker, name)
