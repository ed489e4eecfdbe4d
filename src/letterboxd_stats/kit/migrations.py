"""Apply Alembic migrations from async code, on a connection of our own engine."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

SCRIPT_LOCATION = "letterboxd_stats:migrations"


def include_object(
    _object: object, name: str | None, type_: str, reflected: bool, _compare_to: object
) -> bool:
    """Autogenerate's filter: the job queue's tables belong to procrastinate (migration 0004,
    PostgreSQL only), not to our models."""
    return not (reflected and type_ == "table" and (name or "").startswith("procrastinate_"))


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.upgrade(alembic_config(sync), revision))
