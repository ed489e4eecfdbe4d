"""`letterboxd-stats compare A B`: two exports (imported and enriched first, as `analyze`
does) or two libraries of DATABASE_URL (their ids: the operator's database, so a library's own
id or its share id alike), compared as the API compares them, printed as tables."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path

import httpx
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from letterboxd_stats.analyze import import_and_enrich
from letterboxd_stats.compare import service
from letterboxd_stats.compare.schemas import CompareResponse, FilmBoth
from letterboxd_stats.config import Settings
from letterboxd_stats.db import session_scope
from letterboxd_stats.errors import SessionNotFound
from letterboxd_stats.kit.migrations import upgrade
from letterboxd_stats.resources import Resources, service_resources
from letterboxd_stats.sessions import sharing


async def compare_command(
    a: str,
    b: str,
    settings: Settings,
    console: Console,
    *,
    tmdb_transport: httpx.AsyncBaseTransport | None = None,
) -> CompareResponse:
    """`tmdb_transport`: where TMDB requests go instead of the network (tests)."""
    async with service_resources(settings, tmdb_transport=tmdb_transport) as resources:
        await upgrade(resources.engine)
        await resources.runner.start()  # PostgreSQL: opens the queue and its worker
        first = await _library(resources, a, settings, console)
        second = await _library(resources, b, settings, console)
        async with session_scope(resources.sessionmaker) as db:
            return await service.comparison(
                db, await sharing.resolve(db, first), await sharing.resolve(db, second)
            )


async def _library(
    resources: Resources, given: str, settings: Settings, console: Console
) -> uuid.UUID:
    path = Path(given)
    if path.exists():
        return await import_and_enrich(resources, path, settings, console)
    try:
        return uuid.UUID(given)
    except ValueError:
        raise SessionNotFound(
            f"{given}: neither an export (a file or folder) nor a library id"
        ) from None


def render(result: CompareResponse, console: Console, *, rows: int = 10) -> None:
    a, b = escape(result.a.name or "a"), escape(result.b.name or "b")
    c, o = result.compatibility, result.overlap
    summary = Table(title=f"{a} and {b}", show_header=False, title_justify="left")
    if c.score is not None:
        summary.add_row(
            "compatibility", f"{c.score} / 100 (range {c.score_range}, unshrunk {c.score_unshrunk})"
        )
    else:
        summary.add_row("compatibility", f"no score: {c.reason}")
    summary.add_row("co-rated films", str(c.co_rated))
    if c.mean_gap is not None:
        summary.add_row("mean gap / by chance", f"{c.mean_gap:.2f} / {c.chance_gap:.2f} stars")
    taste = "-" if c.taste_similarity is None else f"{c.taste_similarity} / 100"
    sections = ", ".join(f"{s.section} {s.similarity:.0f}" for s in c.taste_sections)
    summary.add_row("taste similarity", f"{taste} ({sections})" if sections else taste)
    summary.add_row("films", f"{a} {result.a.films}, {b} {result.b.films}, both {o.films}")
    summary.add_row(
        "shares",
        f"{o.share_of_a:.0%} of {a}'s, {o.share_of_b:.0%} of {b}'s; Jaccard {o.jaccard:.3f}",
    )
    console.print(summary)
    ag = result.agreements
    _films(console, "both loved", ag.both_high[:rows], a, b)
    _films(console, "both disliked", ag.both_low[:rows], a, b)
    _films(console, "biggest disagreements", ag.disagreements[:rows], a, b)
    rec = result.recommendations
    for title, items, giver in ((f"for {a}", rec.for_a, b), (f"for {b}", rec.for_b, a)):
        _table(
            console,
            title,
            ("film", f"{giver}'s rating", "fit", "on the watchlist"),
            [
                (
                    _film(r.title, r.year),
                    _stars(r.rating),
                    f"{r.fit:.2f}",
                    "yes" if r.on_watchlist else "",
                )
                for r in items[:rows]
            ],
        )
    wt = result.watch_together
    _table(
        console,
        f"on both watchlists ({wt.both_watchlists})",
        ("film", "TMDB average"),
        [
            (_film(f.title, f.year), "-" if f.vote_average is None else f"{f.vote_average:.1f}")
            for f in wt.both[:rows]
        ],
    )
    names = {"a": a, "b": b}
    _table(
        console,
        "on one's watchlist, loved by the other",
        ("film", "on the watchlist of", "rating"),
        [
            (
                _film(f.title, f.year),
                names.get(f.on_watchlist_of, f.on_watchlist_of),
                _stars(f.rating),
            )
            for f in wt.one_watchlist_other_loved[:rows]
        ],
    )
    _table(
        console,
        "both love",
        ("", "name", f"{a}: films, mean", f"{b}: films, mean"),
        [
            (
                t.section,
                escape(t.name),
                f"{t.films_a}, {t.mean_a:.2f}",
                f"{t.films_b}, {t.mean_b:.2f}",
            )
            for t in result.tastes.both_love
        ],
    )
    _table(
        console,
        "taste differences",
        ("", "name", a, b, "difference"),
        [
            (
                d.section,
                escape(d.name),
                f"{d.share_a:.0%}",
                f"{d.share_b:.0%}",
                f"{d.difference:+.1f} pts",
            )
            for d in result.tastes.differences
        ],
    )


def _films(console: Console, title: str, films: Sequence[FilmBoth], a: str, b: str) -> None:
    _table(
        console,
        title,
        ("film", a, b),
        [(_film(f.title, f.year), _stars(f.rating_a), _stars(f.rating_b)) for f in films],
    )


def _table(
    console: Console, title: str, columns: Sequence[str], rows: list[tuple[str, ...]]
) -> None:
    if not rows:
        return
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    console.print(table)


def _film(title: str, year: int | None) -> str:
    """A title as rich prints it literally (a title may hold `[...]`, rich's markup)."""
    return escape(title if year is None else f"{title} ({year})")


def _stars(value: float | None) -> str:
    return "-" if value is None else f"{value:g}★"
