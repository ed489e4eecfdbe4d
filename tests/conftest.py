"""Fixtures: one migrated test database (SQLite by default, PostgreSQL with TEST_DATABASE_URL),
an app with its real lifespan, and an httpx client on it. Every test starts from empty tables.
Under pytest-xdist every worker has a database of its own (`<database>_gw0`, … on PostgreSQL,
created here; its own temporary file on SQLite).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete, func, make_url, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from letterboxd_stats.app import create_app
from letterboxd_stats.config import Settings
from letterboxd_stats.db import create_engine, create_sessionmaker
from letterboxd_stats.kit.migrations import upgrade
from letterboxd_stats.models import Base

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
EXPORTS = SHARED_DATA / "letterboxd-exports"


def _test_database_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    directory = tempfile.mkdtemp(prefix="letterboxd-stats-test-")
    return f"sqlite+aiosqlite:///{directory}/test.db"


def _worker_database_url(url: str, worker: str | None) -> str:
    """The database of one xdist worker (`gw0`, …): `<name>_gw0` on PostgreSQL, `<file>_gw0.db`
    for a SQLite file given in TEST_DATABASE_URL; without xdist, `url` itself."""
    parsed = make_url(url)
    if not worker or not parsed.database or parsed.database == ":memory:":
        return url
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        name = str(path.with_name(f"{path.stem}_{worker}{path.suffix}"))
    else:
        name = f"{parsed.database}_{worker}"
    return parsed.set(database=name).render_as_string(hide_password=False)


# The database that TEST_DATABASE_URL names: the serial pass's, and where workers' are created.
BASE_DATABASE_URL = Settings(database_url=_test_database_url()).database_url
DATABASE_URL = _worker_database_url(BASE_DATABASE_URL, os.environ.get("PYTEST_XDIST_WORKER"))


def pytest_report_header() -> str:
    return f"test database: {DATABASE_URL.split('@')[-1]}"


@pytest.fixture(scope="session")
def database_url() -> str:
    return DATABASE_URL


async def _reset_database(engine: AsyncEngine) -> None:
    """Start the run from an empty database: drop what an earlier run left."""
    async with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        else:
            await conn.run_sync(Base.metadata.drop_all)
            await conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


async def _create_database(url: str) -> None:
    """A worker's PostgreSQL database, created (once) through TEST_DATABASE_URL's database."""
    if url == BASE_DATABASE_URL or make_url(url).get_backend_name() != "postgresql":
        return
    name = make_url(url).database
    admin = create_async_engine(BASE_DATABASE_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with admin.connect() as conn:
            known = "SELECT 1 FROM pg_database WHERE datname = :name"
            if (await conn.execute(text(known), {"name": name})).scalar() is None:
                await conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    await _create_database(database_url)
    engine = create_engine(database_url)
    await _reset_database(engine)
    await upgrade(engine)
    yield engine
    await engine.dispose()


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"tmdb_api_key": None, "tmdb_bearer_token": None}
    return Settings(_env_file=None, database_url=database_url, **(values | overrides))


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


async def count_rows(engine: AsyncEngine) -> dict[str, int]:
    """Rows in every table of the schema: the 'database unchanged' check."""
    counts = {}
    async with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            counts[table.name] = (
                await conn.execute(select(func.count()).select_from(table))
            ).scalar_one()
    return counts


@pytest.fixture(autouse=True)
async def _empty_tables(engine: AsyncEngine) -> AsyncIterator[None]:
    yield
    async with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            await conn.execute(delete(table))
        if engine.dialect.name == "postgresql":  # the job queue (procrastinate's tables)
            await conn.execute(text(QUEUE_RESET))


QUEUE_RESET = (
    "TRUNCATE procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,"
    " procrastinate_workers RESTART IDENTITY CASCADE"
)


AppFactory = Callable[..., Any]


class AppClient(httpx.AsyncClient):
    """An httpx client on a running app; `app` is that app (its state, its runner)."""

    def __init__(self, app: FastAPI) -> None:
        super().__init__(transport=httpx.ASGITransport(app=app), base_url="http://test")
        self.app = app


@pytest.fixture
async def make_client(engine: AsyncEngine, database_url: str) -> AsyncIterator[AppFactory]:
    """`await make_client(**settings_overrides)` -> an httpx client on a running app."""
    stack: list[tuple[FastAPI, Any, AppClient]] = []

    async def factory(
        *, tmdb_transport: httpx.AsyncBaseTransport | None = None, **overrides: Any
    ) -> AppClient:
        url = overrides.pop("database_url", database_url)
        app = create_app(make_settings(url, **overrides), tmdb_transport=tmdb_transport)
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
    return create_sessionmaker(engine)
