"""`letterboxd-stats analyze`: import an export into the configured database, enrich it with a
progress bar (when TMDB credentials are set), and print its statistics and the top of its
watchlist by predicted rating."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from starlette.datastructures import UploadFile

from letterboxd_stats.config import Settings
from letterboxd_stats.db import session_scope
from letterboxd_stats.ingest import service as ingest_service
from letterboxd_stats.kit.migrations import upgrade
from letterboxd_stats.models import FINAL_STATUSES
from letterboxd_stats.resources import Resources, service_resources
from letterboxd_stats.sessions import service as sessions_service
from letterboxd_stats.sessions.access import SessionAccess
from letterboxd_stats.stats.service import session_stats
from letterboxd_stats.watchlist.ranking import STREAMING, Filters, RankedLists
from letterboxd_stats.watchlist.service import ranked_watchlist

WATCHLIST_TOP = 20


@contextmanager
def upload_files(path: Path) -> Iterator[list[UploadFile]]:
    """A zip, a CSV, or an extracted export folder, as the upload endpoint would receive it."""
    paths = sorted(p for p in path.rglob("*.csv")) if path.is_dir() else [path]
    with ExitStack() as stack:
        yield [
            UploadFile(
                stack.enter_context(p.open("rb")),
                filename=p.relative_to(path).as_posix() if path.is_dir() else p.name,
            )
            for p in paths
        ]


async def analyze(
    path: Path,
    year: int | None,
    settings: Settings,
    console: Console,
    *,
    tmdb_transport: httpx.AsyncBaseTransport | None = None,
) -> dict[str, Any]:
    """`tmdb_transport`: where TMDB requests go instead of the network (tests)."""
    async with service_resources(settings, tmdb_transport=tmdb_transport) as resources:
        await upgrade(resources.engine)
        await resources.runner.start()  # PostgreSQL: opens the queue and its worker
        session_id = await import_and_enrich(resources, path, settings, console)
        async with session_scope(resources.sessionmaker) as db:
            stats = await session_stats(db, session_id, year, settings)
            watchlist = await ranked_watchlist(
                db,
                SessionAccess.owner(await sessions_service.load(db, session_id)),
                resources.trainer,
                resources.providers,
                Filters(limit=WATCHLIST_TOP),
                settings.watch_region,
                RankedLists(),
            )
        return {
            "session_id": str(session_id),
            **stats.model_dump(mode="json"),
            "watchlist": watchlist.model_dump(mode="json"),
        }


async def import_and_enrich(
    resources: Resources, path: Path, settings: Settings, console: Console
) -> uuid.UUID:
    """Import an export as a new library, follow its enrichment with a progress bar until it
    ends (its watchlist too): the library's id. The runner must be started."""
    with upload_files(path) as files:
        async with session_scope(resources.sessionmaker) as db:  # the job: after the commit
            accepted = await ingest_service.import_upload(files, settings, db, resources.runner)
    console.print(
        f"imported [bold]{accepted.total_movies}[/bold] films (session {accepted.session_id})"
    )
    for warning in accepted.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")
    if accepted.missing_files:
        missing = ", ".join(accepted.missing_files)
        console.print(f"[yellow]a partial export:[/yellow] no {missing}")
    status = await _follow(resources, accepted.session_id, console)
    if status["error_message"]:
        console.print(f"[yellow]{status['error_message']}[/yellow]")
    await resources.runner.wait_idle()  # the watchlist follows the library
    return accepted.session_id


async def _follow(resources: Resources, session_id: uuid.UUID, console: Console) -> dict[str, Any]:
    columns = (
        TextColumn("enriching"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("films", total=None, detail="")
        while True:
            async with session_scope(resources.sessionmaker) as db:
                session = await sessions_service.load(db, session_id)
            status = sessions_service.progress(session).model_dump()
            progress.update(
                task,
                total=status["total_movies"] or 1,
                completed=status["enriched_count"],
                detail=f"{status['unmatched_count']} unmatched, {status['failed_count']} failed",
            )
            if status["status"] in FINAL_STATUSES:
                return status
            await asyncio.sleep(0.2)


def render(stats: dict[str, Any], console: Console, *, rows: int = 10) -> None:
    """Each section as a table: its numbers, then the first rows of each of its lists; last,
    what to watch next."""
    for section, body in stats.items():
        if not isinstance(body, dict) or section == "watchlist":
            continue
        scalars = {k: v for k, v in body.items() if not isinstance(v, dict | list)}
        if scalars:
            table = Table(title=section.replace("_", " "), show_header=False, title_justify="left")
            for key, value in scalars.items():
                table.add_row(key.replace("_", " "), _text(value))
            console.print(table)
        for key, value in body.items():
            items = value.get("items") if isinstance(value, dict) else value
            if isinstance(items, list) and items and all(isinstance(i, dict) for i in items):
                _list_table(f"{section}: {key}".replace("_", " "), items[:rows], console)


def render_watchlist(watchlist: dict[str, Any], console: Console) -> None:
    """The top of the watchlist by predicted rating, with the model's accuracy in words and
    where each film streams in the region."""
    model, where = watchlist["model"], watchlist["where"]
    console.print(f"[bold]What to watch next[/bold] ({watchlist['total']} films on your watchlist)")
    console.print(model["summary"])
    if not watchlist["items"]:
        return
    table = Table(title_justify="left")
    for column in ("#", "film", "predicted", "why", f"streams in {where['region']}"):
        table.add_column(column)
    for rank, item in enumerate(watchlist["items"], 1):
        predicted = (
            f"{item['predicted']:.1f}★ ({item['low']:.1f} to {item['high']:.1f})"
            if item["predicted"] is not None
            else "-"
        )
        offers = item["offers"]
        streams = (
            ", ".join(p["name"] or "?" for kind in STREAMING for p in offers[kind])
            if offers is not None
            else "not known yet"
        )
        film = f"{item['title']} ({item['year']})" if item["year"] else item["title"]
        table.add_row(str(rank), film, predicted, "; ".join(item["reasons"]) or "-", streams or "-")
    console.print(table)
    console.print(f"[dim]{where['attribution']}[/dim]")


def _list_table(title: str, items: list[dict[str, Any]], console: Console) -> None:
    columns = [k for k, v in items[0].items() if not isinstance(v, dict | list)][:6]
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column.replace("_", " "))
    for item in items:
        table.add_row(*(_text(item.get(c)) for c in columns))
    console.print(table)


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
