"""The `letterboxd-stats` command: serve, migrate."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from letterboxd_stats.config import get_settings
from letterboxd_stats.db import create_engine
from letterboxd_stats.kit.migrations import upgrade

app = typer.Typer(
    help="letterboxd-stats: statistics for your Letterboxd export.", no_args_is_help=True
)
console = Console(stderr=True)


async def _migrate(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


@app.command()
def migrate() -> None:
    """Apply the database migrations to DATABASE_URL."""
    settings = get_settings()
    asyncio.run(_migrate(settings.database_url))
    console.print(f"[green]migrated[/green] {_safe_url(settings.database_url)}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the app (SQLite databases are migrated first)."""
    settings = get_settings()
    if settings.is_sqlite:
        asyncio.run(_migrate(settings.database_url))
    database = _safe_url(settings.database_url)
    console.print(f"serving on [bold]http://{host}:{port}[/bold] ({database})")
    uvicorn.run(
        "letterboxd_stats.app:create_app",
        factory=True,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
    )


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
