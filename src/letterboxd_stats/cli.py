"""The `letterboxd-stats` command: serve, migrate, worker, analyze, compare."""

from __future__ import annotations

import asyncio
import json
import signal
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
import uvicorn
from rich.console import Console

from letterboxd_stats.config import Settings, get_settings
from letterboxd_stats.db import create_engine
from letterboxd_stats.kit.migrations import upgrade
from letterboxd_stats.kit.server import uvicorn_options

app = typer.Typer(
    help="letterboxd-stats: statistics for your Letterboxd export.", no_args_is_help=True
)
console = Console(stderr=True)
T = TypeVar("T")


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
    workers: Annotated[
        int,
        typer.Option(
            min=1, envvar="WEB_CONCURRENCY", help="API processes (PostgreSQL only for > 1)."
        ),
    ] = 1,
) -> None:
    """Serve the app (SQLite databases are migrated first)."""
    settings = get_settings()
    if settings.is_sqlite and workers > 1:
        console.print("[red]several API processes need PostgreSQL[/red] (SQLite: --workers 1)")
        raise typer.Exit(2)
    if settings.is_sqlite:
        asyncio.run(_migrate(settings.database_url))
    database = _safe_url(settings.database_url)
    console.print(f"serving on [bold]http://{host}:{port}[/bold] ({database})")
    uvicorn.run(
        "letterboxd_stats.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        **uvicorn_options(settings),
    )


@app.command()
def worker(
    concurrency: Annotated[
        int, typer.Option(min=1, help="Sessions this process enriches at once.")
    ] = 4,
) -> None:
    """Run enrichment jobs from the queue (PostgreSQL; the API runs with JOB_WORKERS=external).
    SIGTERM stops it: its jobs go back to the queue and resume on another worker."""
    settings = get_settings()
    if settings.is_sqlite:
        console.print(
            "[red]workers need PostgreSQL[/red]: with SQLite the app runs its jobs itself"
        )
        raise typer.Exit(2)
    from letterboxd_stats.logging import configure_logging

    configure_logging(settings.log_level, settings.log_json)
    console.print(f"worker: {concurrency} at once ({_safe_url(settings.database_url)})")
    asyncio.run(_work(settings.model_copy(update={"job_concurrency": concurrency})))


async def _work(settings: Settings) -> None:
    from letterboxd_stats.enrich.queue import QueueRunner
    from letterboxd_stats.resources import service_resources

    async with service_resources(settings, run_worker=False) as resources:
        runner = resources.runner
        assert isinstance(runner, QueueRunner)
        await runner.start()
        worker = asyncio.create_task(runner.run_worker())
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, runner.request_stop, worker)
        await worker


@app.command()
def analyze(
    export: Annotated[
        Path, typer.Argument(exists=True, help="The export zip, a CSV, or an extracted folder.")
    ],
    year: Annotated[int | None, typer.Option(help="Year in review instead of all time.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole stats JSON.")] = False,
) -> None:
    """Import an export into DATABASE_URL, enrich it (when TMDB credentials are set) and print
    its statistics, then the top 20 of its watchlist by predicted rating."""
    from letterboxd_stats.analyze import analyze as run_analysis
    from letterboxd_stats.analyze import render, render_watchlist

    stats = _run_reporting(lambda settings: run_analysis(export, year, settings, console))
    if as_json:
        typer.echo(json.dumps(stats, indent=2, ensure_ascii=False))
    else:
        render(stats, Console())
        render_watchlist(stats["watchlist"], Console())


@app.command()
def compare(
    a: Annotated[str, typer.Argument(help="An export (zip, CSV or folder) or a library id.")],
    b: Annotated[str, typer.Argument(help="Another export or library id.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the whole comparison JSON.")
    ] = False,
) -> None:
    """Compare two libraries: two exports (imported into DATABASE_URL and enriched first, as
    analyze does) or two library ids of DATABASE_URL."""
    from letterboxd_stats.compare.command import compare_command, render

    result = _run_reporting(lambda settings: compare_command(a, b, settings, console))
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        render(result, Console())


def _run_reporting(work: Callable[[Settings], Coroutine[Any, Any, T]]) -> T:
    """Run a command's work with the settings, warnings only in the log; a user's error (bad
    export, unknown library) is printed in plain words and exits 2."""
    from letterboxd_stats.errors import AppError
    from letterboxd_stats.logging import configure_logging

    settings = get_settings()
    configure_logging("warning", settings.log_json)
    try:
        return asyncio.run(work(settings))
    except AppError as exc:
        console.print(f"[red]{exc.error}:[/red] {exc.detail}")
        raise typer.Exit(2) from None


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
