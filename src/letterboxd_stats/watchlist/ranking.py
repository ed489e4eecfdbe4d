"""The watchlist as a request reads it (pure): each entry once, with what the filters and sorts
need (its prediction, genres, runtime, the offers of the region and the providers it streams
on), built once per version of what it rests on and kept (`RankedLists`); a request filters,
pages rows sorted once in each order, and only the page becomes the answer's models."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, get_args

from cachetools import LRUCache

from letterboxd_stats.kit.regions import region_name
from letterboxd_stats.stats.rows import WatchlistRow
from letterboxd_stats.tmdb.schemas import OFFER_TYPES
from letterboxd_stats.watchlist.schemas import (
    Choices,
    Offers,
    Provider,
    ProviderSeen,
    RegionChoice,
    Sort,
    WatchlistItem,
)

STREAMING = ("flatrate", "free", "ads")
"""The offers that let one watch tonight without paying per film."""
GENRE = "genres:"


@dataclass(frozen=True, slots=True)
class Filters:
    region: str | None = None  # None: the library's, else the server's default
    providers: frozenset[int] | None = None  # kept: films streaming on any of these
    max_runtime: int | None = None
    genre: str | None = None  # a TMDB genre's name
    decade: int | None = None
    min_predicted: float | None = None
    sort: Sort = "predicted"
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True, slots=True)
class Entry:
    entry_no: int
    title: str
    year: int | None
    added_on: date
    tmdb_id: int | None
    poster_path: str | None
    runtime: int | None
    popularity: float | None
    genres: tuple[str, ...]
    folded: frozenset[str]  # the genres, case-folded (the filter's)
    predicted: float | None
    low: float | None
    high: float | None
    reasons: tuple[str, ...]
    link: str | None
    offers: dict[str, list[list[Any]]] | None  # by type; None: not known yet
    streams: frozenset[int]


@dataclass(frozen=True, slots=True)
class Ranked:
    """What a watchlist's requests share for one region and one version of it."""

    entries: tuple[Entry, ...]
    orders: dict[Sort, tuple[Entry, ...]]  # the entries in each order a request may ask for
    providers: tuple[ProviderSeen, ...]
    regions: tuple[RegionChoice, ...]
    choices: Choices


def build(
    rows: Sequence[WatchlistRow],
    predictions: dict[str, Any],
    offers: dict[int, tuple[str | None, dict[str, Any]]],
    unfetched: set[int],
    region_counts: dict[str, int],
    region: str,
) -> Ranked:
    entries = tuple(
        _entry(row, predictions.get(str(row.entry_no)), offers, unfetched) for row in rows
    )
    return Ranked(
        entries,
        {sort: tuple(sorted(entries, key=_sort_key(sort))) for sort in get_args(Sort)},
        tuple(_providers_seen(entries)),
        tuple(_regions(region_counts, region)),
        Choices(
            genres=sorted({g for e in entries for g in e.genres}, key=str.casefold),
            decades=sorted({e.year // 10 * 10 for e in entries if e.year is not None}),
        ),
    )


def _entry(
    row: WatchlistRow,
    prediction: list[Any] | None,
    offers: dict[int, tuple[str | None, dict[str, Any]]],
    unfetched: set[int],
) -> Entry:
    facts = row.tmdb
    genres: tuple[str, ...] = ()
    if facts is not None:
        genres = tuple(facts.label(t).name for t in facts.tags if t.startswith(GENRE))
    stars, low, high, reasons = prediction if prediction is not None else (None, None, None, ())
    known = facts is not None and row.entry_no not in unfetched
    link, by_type = offers.get(row.entry_no, (None, {})) if known else (None, None)
    streams = frozenset(p[0] for kind in STREAMING for p in (by_type or {}).get(kind, ()))
    return Entry(
        row.entry_no, row.title, row.year, row.added_on,
        facts.tmdb_id if facts is not None else None,
        facts.poster_path if facts is not None else None,
        facts.runtime if facts is not None else None,
        facts.popularity if facts is not None else None,
        genres, frozenset(g.casefold() for g in genres),
        stars, low, high, tuple(reasons), link, by_type, streams,
    )  # fmt: skip


def _providers_seen(entries: Sequence[Entry]) -> list[ProviderSeen]:
    films: Counter[int] = Counter()
    shown: dict[int, list[Any]] = {}
    for entry in entries:
        if entry.offers is None:
            continue
        for kind in STREAMING:
            for provider in entry.offers.get(kind, ()):
                shown.setdefault(provider[0], provider)
        films.update(entry.streams)
    ordered = sorted(films.items(), key=lambda kv: (-kv[1], shown[kv[0]][1] or ""))
    return [
        ProviderSeen(id=pid, name=shown[pid][1], logo_path=shown[pid][2], films=count)
        for pid, count in ordered
    ]


def _regions(counts: dict[str, int], current: str) -> list[RegionChoice]:
    choices = [
        RegionChoice(code=code, name=region_name(code) or code, films=counts.get(code, 0))
        for code in set(counts) | {current}
    ]
    return sorted(choices, key=lambda c: c.name)


def select(ranked: Ranked, f: Filters) -> Sequence[Entry]:
    """The entries the filters keep, in the order asked (sorted once, when built)."""
    ordered = ranked.orders[f.sort]
    if (f.providers, f.max_runtime, f.decade, f.min_predicted, f.genre) == (None,) * 5:
        return ordered
    genre = f.genre.casefold() if f.genre is not None else None
    return [
        e
        for e in ordered
        if (f.providers is None or e.streams & f.providers)
        and (f.max_runtime is None or (e.runtime is not None and e.runtime <= f.max_runtime))
        and (f.decade is None or (e.year is not None and e.year // 10 * 10 == f.decade))
        and (
            f.min_predicted is None or (e.predicted is not None and e.predicted >= f.min_predicted)
        )
        and (genre is None or genre in e.folded)
    ]


def _sort_key(sort: Sort) -> Any:
    """Entries without the value last; ties by the date added, newest first, then number."""

    def key(e: Entry) -> tuple[Any, ...]:
        value: float | None
        if sort == "predicted":
            value = None if e.predicted is None else -e.predicted
        elif sort == "runtime":
            value = e.runtime
        elif sort == "popularity":
            value = None if e.popularity is None else -e.popularity
        else:
            value = -e.added_on.toordinal()
        return (value is None, value or 0, -e.added_on.toordinal(), e.entry_no)

    return key


def item(e: Entry) -> WatchlistItem:
    offers = None
    if e.offers is not None:
        offers = Offers(
            link=e.link,
            **{
                kind: [Provider(id=p[0], name=p[1], logo_path=p[2]) for p in e.offers.get(kind, [])]
                for kind in OFFER_TYPES
            },
        )
    return WatchlistItem(
        entry_no=e.entry_no, title=e.title, year=e.year, added_on=e.added_on,
        tmdb_id=e.tmdb_id, poster_path=e.poster_path, runtime=e.runtime,
        popularity=e.popularity, genres=list(e.genres), predicted=e.predicted, low=e.low,
        high=e.high, reasons=list(e.reasons), offers=offers,
    )  # fmt: skip


class RankedLists:
    """`Ranked` watchlists kept per (library, region), each valid for one version (the
    library's `updated_at`, its model's, its offers'); the least recently used go first."""

    def __init__(self, max_entries: int = 16) -> None:
        self._items: LRUCache[tuple[uuid.UUID, str], tuple[Hashable, Ranked]] = LRUCache(
            maxsize=max_entries
        )

    def get(self, key: tuple[uuid.UUID, str], version: Hashable) -> Ranked | None:
        found = self._items.get(key)
        return found[1] if found is not None and found[0] == version else None

    def put(self, key: tuple[uuid.UUID, str], version: Hashable, ranked: Ranked) -> None:
        self._items[key] = (version, ranked)
