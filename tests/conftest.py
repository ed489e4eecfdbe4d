"""Fixtures: one migrated test database per process (SQLite by default, PostgreSQL with
TEST_DATABASE_URL; see tests/fixtures/database.py), an app with its real lifespan, and an httpx
client on it. Every test starts from empty tables. The helpers are in tests/fixtures/.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.app import create_app
from letterboxd_stats.config import Settings
from letterboxd_stats.db import create_engine, create_sessionmaker
from letterboxd_stats.kit.migrations import upgrade
from tests.fixtures.apps import AppClient, AppFactory, make_settings
from tests.fixtures.database import DATABASE_URL, create_database, empty_tables, reset_database


def pytest_report_header() -> str:
    return f"test database: {DATABASE_URL.split('@')[-1]}"


@pytest.fixture(scope="session")
def database_url() -> str:
    return DATABASE_URL


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    await create_database(database_url)
    engine = create_engine(database_url)
    await reset_database(engine)
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture(autouse=True)
async def _empty_tables(engine: AsyncEngine) -> AsyncIterator[None]:
    yield
    async with engine.begin() as conn:
        await empty_tables(conn)


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
