"""Fixtures: one migrated test database per process (SQLite by default, PostgreSQL with
TEST_DATABASE_URL; see tests/fixtures/database.py), an app with its real lifespan, and an httpx
client on it; every test starts from empty tables. `db`: a session rolled back after the test,
for repository tests. The helpers are in tests/fixtures/.
"""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import pytest

# One BLAS thread in each test process (the taste model's linear algebra): the xdist workers
# already fill the cores, and OpenBLAS threads spinning beside them only take CPU from them.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# pytest-xdist's controller loads this file too and runs no test: the app, SQLAlchemy and the
# helpers are imported by the fixtures, in the workers only (a second sooner they start).
if TYPE_CHECKING:
    import httpx
    from fastapi import FastAPI
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

    from letterboxd_stats.config import Settings
    from tests.fixtures.apps import AppClient, AppFactory


def pytest_report_header() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    return f"test database: {url.split('@')[-1] if url else 'SQLite, a file per process'}"


def pytest_collection_finish() -> None:
    """What is loaded by now (the app, its libraries, the test modules) lives until the end:
    the collector need not walk it again. Full collections, and pytest's own at the end of
    the run, are then a fraction of the time (Python's `gc.freeze`)."""
    gc.freeze()


@pytest.fixture(scope="session")
def database_url() -> str:
    from tests.fixtures.database import DATABASE_URL

    return DATABASE_URL


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    from letterboxd_stats.db import create_engine
    from letterboxd_stats.kit.migrations import upgrade
    from tests.fixtures.database import create_database, reset_database

    await create_database(database_url)
    engine = create_engine(database_url)
    await reset_database(engine)
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def savepoint_engine(engine: AsyncEngine, database_url: str) -> AsyncIterator[AsyncEngine]:
    """The migrated test database again, for sessions rolled back after each test."""
    from tests.fixtures.database import rollback_engine

    savepoints = rollback_engine(database_url)
    yield savepoints
    await savepoints.dispose()


@pytest.fixture
async def db(savepoint_engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session whose every write, committed or not, is rolled back after the test."""
    from tests.fixtures.database import rolled_back

    async with rolled_back(savepoint_engine) as session:
        yield session


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    from tests.fixtures.apps import make_settings

    return make_settings(database_url)


@pytest.fixture(autouse=True)
async def _empty_tables(engine: AsyncEngine) -> AsyncIterator[None]:
    from tests.fixtures.database import empty_tables

    yield
    async with engine.begin() as conn:
        await empty_tables(conn)


@pytest.fixture
async def make_client(engine: AsyncEngine, database_url: str) -> AsyncIterator[AppFactory]:
    """`await make_client(**settings_overrides)` -> an httpx client on a running app."""
    from letterboxd_stats.app import create_app
    from tests.fixtures.apps import AppClient, make_settings

    stack: list[tuple[FastAPI, Any, AppClient]] = []

    async def factory(
        *, tmdb_transport: httpx.AsyncBaseTransport | None = None, **overrides: Any
    ) -> AppClient:
        url = overrides.pop("database_url", database_url)
        # the run's engine, unless the test sets the database or its pool: its connections
        # are open and its statements compiled (an app's own engine starts cold)
        shared = url == database_url and not any(key.startswith("database_") for key in overrides)
        app = create_app(
            make_settings(url, **overrides),
            tmdb_transport=tmdb_transport,
            engine=engine if shared else None,
        )
        lifespan = app.router.lifespan_context(app)
        await lifespan.__aenter__()
        client = AppClient(app)
        stack.append((app, lifespan, client))
        return client

    yield factory
    for app, lifespan, client in reversed(stack):
        await client.aclose()
        try:  # let jobs finish so that the tables can be emptied; a stuck one is stopped
            await asyncio.wait_for(app.state.runner.wait_idle(), timeout=30)
        finally:
            await lifespan.__aexit__(None, None, None)


@pytest.fixture
async def client(make_client: AppFactory) -> AppClient:
    result: AppClient = await make_client()
    return result


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> Any:
    from letterboxd_stats.db import create_sessionmaker

    return create_sessionmaker(engine)
