"""Completion, computed (pure): collections, filmographies and the user's lists, each with what
the library has seen of it and the films missing.

What counts:
* a **collection**'s released films (a release date on or before today), and any film of it
  the library has seen; a film not released yet is listed as missing, flagged, not counted;
* a **director**'s films: TMDB credits with the job Director, released, not a `video`;
* an **actor**'s films: TMDB cast credits billed in the first `TOP_BILLED_CREDITS` (order
  below 10), released, not a `video`, not a documentary (genre 99) and not as themselves
  (character "Himself", "Herself", "Self"…): cameos and films about them are left out;
* a **list**'s entries: seen when the library holds the film (by its Letterboxd link, else
  by title and year).
Ranked by completion (seen / total), then by size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from letterboxd_stats.stats.tags import tag_parts

TOP_PEOPLE = 20
"""Directors and actors whose filmographies are completed: the library's most seen."""
TOP_BILLED_CREDITS = 10
DOCUMENTARY = 99
SELF = frozenset({"himself", "herself", "self", "themselves", "themself"})


@dataclass(frozen=True, slots=True)
class MissingFilm:
    tmdb_id: int | None
    title: str
    year: int | None
    poster_path: str | None
    released: bool
    on_watchlist: bool
    position: int | None = None  # in a ranked list


@dataclass(frozen=True, slots=True)
class Progress:
    kind: str  # collection, director, actor, list
    ref_id: int
    name: str
    image: str | None
    seen: int
    total: int
    missing: tuple[MissingFilm, ...] = field(default=())

    @property
    def share(self) -> float:
        return self.seen / self.total if self.total else 0.0


def ranked(items: Iterable[Progress]) -> list[Progress]:
    return sorted(items, key=lambda p: (-p.share, -p.total, p.name.casefold(), p.ref_id))


def released(release_date: str | None, today: date) -> bool:
    if not release_date:
        return False
    try:
        return date.fromisoformat(release_date[:10]) <= today
    except ValueError:
        return False


def _year(release_date: str | None) -> int | None:
    if release_date and len(release_date) >= 4 and release_date[:4].isdigit():
        return int(release_date[:4])
    return None


def top_people(
    films: Iterable[tuple[Sequence[str], Sequence[Any]]], section: str, count: int = TOP_PEOPLE
) -> list[tuple[int, str, str | None, int]]:
    """The library's `count` most seen people of a section ("directors", "actors"): (TMDB
    person id, name, profile image, films seen), most films first. `films`: each seen film's
    tags and their labels (name, image). People without a TMDB id are left out."""
    seen: Counter[int] = Counter()
    shown: dict[int, tuple[str, str | None]] = {}
    for tags, labels in films:
        for tag, label in zip(tags, labels, strict=True):
            part, key = tag_parts(tag)
            if part == section and key.isdigit():
                person = int(key)
                seen[person] += 1
                shown.setdefault(person, (label.name, label.image))
    top = sorted(seen.items(), key=lambda kv: (-kv[1], shown[kv[0]][0].casefold(), kv[0]))
    return [(pid, *shown[pid], n) for pid, n in top[:count]]


def collection_progress(
    collection_id: int,
    name: str | None,
    poster_path: str | None,
    parts: Sequence[Sequence[Any]],
    seen: set[int],
    watchlist: set[int],
    today: date,
) -> Progress:
    """`parts`: [id, title, release date, poster path] each."""
    films = {int(p[0]): p for p in parts}
    counted = [p for pid, p in films.items() if pid in seen or released(p[2], today)]
    missing = sorted(
        (p for pid, p in films.items() if pid not in seen),
        key=lambda p: (not released(p[2], today), p[2] or "9999", p[1] or ""),
    )
    return Progress(
        "collection",
        collection_id,
        name or f"Collection {collection_id}",
        poster_path,
        sum(1 for p in counted if int(p[0]) in seen),
        len(counted),
        tuple(_missing(p, watchlist, today) for p in missing),
    )


def _missing(film: Sequence[Any], watchlist: set[int], today: date) -> MissingFilm:
    tmdb_id, title, release_date, poster = int(film[0]), film[1], film[2], film[3]
    return MissingFilm(
        tmdb_id,
        title or f"TMDB {tmdb_id}",
        _year(release_date),
        poster,
        released(release_date, today),
        tmdb_id in watchlist,
    )


def counted_directed(films: Sequence[Sequence[Any]], seen: set[int], today: date) -> list[Any]:
    """[id, title, release date, poster, genre ids, video] each: what counts of a director's."""
    return _unique(f for f in films if not f[5] and (int(f[0]) in seen or released(f[2], today)))


def counted_acted(films: Sequence[Sequence[Any]], seen: set[int], today: date) -> list[Any]:
    """[id, title, release date, poster, genre ids, video, order, character] each."""
    return _unique(
        f
        for f in films
        if f[6] is not None
        and f[6] < TOP_BILLED_CREDITS
        and not f[5]
        and DOCUMENTARY not in (f[4] or ())
        and (f[7] or "").strip().casefold() not in SELF
        and (int(f[0]) in seen or released(f[2], today))
    )


def _unique(films: Iterable[Sequence[Any]]) -> list[Sequence[Any]]:
    kept: dict[int, Sequence[Any]] = {}
    for film in films:
        kept.setdefault(int(film[0]), film)
    return list(kept.values())


def person_progress(
    kind: str,
    person_id: int,
    name: str,
    image: str | None,
    counted: Sequence[Sequence[Any]],
    seen: set[int],
    watchlist: set[int],
    today: date,
) -> Progress:
    missing = sorted(
        (f for f in counted if int(f[0]) not in seen), key=lambda f: (f[2] or "9999", f[1] or "")
    )
    return Progress(
        kind,
        person_id,
        name,
        image,
        sum(1 for f in counted if int(f[0]) in seen),
        len(counted),
        tuple(_missing(f, watchlist, today) for f in missing),
    )


@dataclass(frozen=True, slots=True)
class ListEntryRow:
    position: int | None
    title: str
    year: int | None
    seen: bool
    on_watchlist: bool


def list_progress(list_no: int, name: str, entries: Sequence[ListEntryRow]) -> Progress:
    """A ranked list (its entries have positions) says which positions are missing."""
    missing = tuple(
        MissingFilm(None, e.title, e.year, None, True, e.on_watchlist, e.position)
        for e in entries
        if not e.seen
    )
    return Progress(
        "list", list_no, name, None, sum(1 for e in entries if e.seen), len(entries), missing
    )
