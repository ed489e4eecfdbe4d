"""Which film of one library is which film of another (pure).

Two films are the same when both are matched to one TMDB entry. Of the films left, one side's
film without a TMDB match is paired with the other side's films as an update pairs the films
of two exports (`ingest.pairing`: the film's Letterboxd link, else normalised title and year,
else title and year ± 1 when unique). Two films matched to different TMDB entries are two
films: their links and titles are not asked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from letterboxd_stats.ingest.pairing import pair

__all__ = ["Films", "Item", "same_films"]


class Item(NamedTuple):
    """A film as pairing reads it: `tmdb` is (kind, id) for a confident match, else None (a
    tuple: thousands are made per comparison)."""

    title: str
    year: int | None
    uri: str | None
    tmdb: tuple[str, int] | None


class Films:
    """Items with the indexes pairing asks of them, built once (a library's films are paired
    with the other's films and watchlist, its watchlist with the other's films and watchlist)."""

    def __init__(self, items: Sequence[Item]) -> None:
        self.items = items
        self.by_tmdb: dict[tuple[str, int], int] = {}
        self.unmatched: list[int] = []
        for i, item in enumerate(items):
            if item.tmdb is None:
                self.unmatched.append(i)
            else:
                self.by_tmdb.setdefault(item.tmdb, i)
        self._by_year: dict[int | None, list[int]] | None = None
        self._by_tail: dict[str, list[int]] | None = None

    def near(self, few: Sequence[Item]) -> set[int]:
        """The items `pair` could pair with one of `few`: a year within one (no year: among the
        items without one), or a link ending as one of theirs."""
        if self._by_year is None:
            self._by_year, self._by_tail = defaultdict(list), defaultdict(list)
            for i, item in enumerate(self.items):
                self._by_year[item.year].append(i)
                if item.uri:
                    self._by_tail[_tail(item.uri)].append(i)
        assert self._by_tail is not None
        found: set[int] = set()
        for item in few:
            for year in (None,) if item.year is None else (item.year - 1, item.year, item.year + 1):
                found.update(self._by_year.get(year, ()))
            if item.uri:
                found.update(self._by_tail.get(_tail(item.uri), ()))
        return found


def _tail(uri: str) -> str:
    """The part of a link that names the film (a short link's id, a slug): its last path part
    that is not a rewatch's number. Links of one film share it; `pair` compares their keys."""
    rest, _, last = uri.partition("?")[0].partition("#")[0].rstrip("/").rpartition("/")
    if last.isdigit() and rest:  # a rewatch's /1/: the slug before it
        before = rest.rstrip("/").rpartition("/")[2]
        last = before or last
    return last.casefold()


def same_films(left: Sequence[Item] | Films, right: Sequence[Item] | Films) -> dict[int, int]:
    """index in `left` -> index in `right`, each film paired at most once."""
    lf = left if isinstance(left, Films) else Films(left)
    rf = right if isinstance(right, Films) else Films(right)
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for key, i in lf.by_tmdb.items():
        j = rf.by_tmdb.get(key)
        if j is not None:
            pairs[i] = j
            taken.add(j)
    # the left's films without a TMDB match with the right's films not paired yet ...
    few = lf.unmatched
    _pair_into(pairs, lf, rf, few, sorted(rf.near([lf.items[i] for i in few]) - taken))
    # ... then the right's still free ones without a match with the left's matched films left
    taken = set(pairs.values())
    few = [j for j in rf.unmatched if j not in taken]
    near = lf.near([rf.items[j] for j in few])
    _pair_into(pairs, lf, rf, sorted(i for i in near if i not in pairs and lf.items[i].tmdb), few)
    return pairs


def _pair_into(
    pairs: dict[int, int], left: Films, right: Films, left_ids: list[int], right_ids: list[int]
) -> None:
    if not left_ids or not right_ids:
        return
    made = pair([left.items[i] for i in left_ids], [right.items[j] for j in right_ids])
    for new, old in made.pairs.items():  # `pair` maps the second list onto the first
        pairs[left_ids[old]] = right_ids[new]
