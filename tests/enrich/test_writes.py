"""The batch writer's queue: one metadata row per TMDB entry, where an entry is a kind and a
number (a movie and a series may carry the same number, both are stored)."""

from __future__ import annotations

from typing import cast

from letterboxd_stats.enrich.writes import Writes
from letterboxd_stats.tmdb.decision import TmdbKind
from letterboxd_stats.tmdb.metadata import MovieRow


def _row(kind: TmdbKind, tmdb_id: int, title: str) -> MovieRow:
    return cast(MovieRow, {"kind": kind, "tmdb_id": tmdb_id, "title": title})


async def test_a_batch_keeps_one_row_per_kind_and_number() -> None:
    writes = Writes()
    writes.movie(_row(TmdbKind.movie, 87108, "Parasite"))
    writes.movie(_row(TmdbKind.tv, 87108, "Chernobyl"))
    writes.movie(_row(TmdbKind.movie, 87108, "Parasite, again"))  # two sessions, one film
    movies = writes.take().movies
    assert sorted((r["kind"], r["tmdb_id"], r["title"]) for r in movies) == [
        (TmdbKind.movie, 87108, "Parasite, again"),
        (TmdbKind.tv, 87108, "Chernobyl"),
    ]
    assert writes.take().movies == []
