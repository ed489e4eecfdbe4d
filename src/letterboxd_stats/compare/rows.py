"""A library as a comparison reads it (pure): the statistics' rows, with each film's and
watchlist entry's Letterboxd link and TMDB kind (what pairing needs), and the username."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from letterboxd_stats.compare.pairing import Item
from letterboxd_stats.stats.rows import SessionRows, StatsFilm, WatchlistRow


class Link(NamedTuple):
    uri: str | None
    kind: str  # "movie" or "tv": what the row's TMDB id names


@dataclass(slots=True)
class Library:
    rows: SessionRows
    name: str | None = None
    film_links: dict[int, Link] = field(default_factory=dict)  # by film_no
    watchlist_links: dict[int, Link] = field(default_factory=dict)  # by entry_no

    def film_items(self) -> list[Item]:
        return [_item(f, self.film_links.get(f.film_no)) for f in self.rows.films]

    def watchlist_items(self) -> list[Item]:
        return [_item(w, self.watchlist_links.get(w.entry_no)) for w in self.rows.watchlist]


def kind_of(link: Link | None) -> str:
    return link.kind if link is not None else "movie"


def _item(row: StatsFilm | WatchlistRow, link: Link | None) -> Item:
    tmdb = row.tmdb
    return Item(
        row.title,
        row.year,
        link.uri if link is not None else None,
        (kind_of(link), tmdb.tmdb_id)
        if tmdb is not None and row.match_status == "matched"
        else None,
    )
