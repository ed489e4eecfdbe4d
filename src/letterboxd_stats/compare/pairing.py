"""Which film of one library is which film of another (pure).

Two films are the same when both are matched to one TMDB entry. Of the films left, one side's
film without a TMDB match is paired with the other side's films as an update pairs the films
of two exports (`ingest.pairing`: the film's Letterboxd link, else normalised title and year,
else title and year ± 1 when unique). Two films matched to different TMDB entries are two
films: their links and titles are not asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from letterboxd_stats.ingest.pairing import identity, pair

__all__ = ["Item", "same_films"]


class Item(NamedTuple):
    """A film as pairing reads it: `tmdb` is (kind, id) for a confident match, else None (a
    tuple: thousands are made per comparison)."""

    title: str
    year: int | None
    uri: str | None
    tmdb: tuple[str, int] | None


def same_films(left: Sequence[Item], right: Sequence[Item]) -> dict[int, int]:
    """index in `left` -> index in `right`, each film paired at most once."""
    pairs: dict[int, int] = {}
    by_tmdb: dict[tuple[str, int], int] = {}
    for j, item in enumerate(right):
        if item.tmdb is not None:
            by_tmdb.setdefault(item.tmdb, j)
    for i, item in enumerate(left):
        if item.tmdb is not None:
            j = by_tmdb.pop(item.tmdb, -1)
            if j >= 0:
                pairs[i] = j
    taken = set(pairs.values())
    left_rest = [i for i in range(len(left)) if i not in pairs]
    right_rest = [j for j in range(len(right)) if j not in taken]
    # unmatched films of the left with every film left on the right ...
    left_free = [i for i in left_rest if left[i].tmdb is None]
    _pair_into(pairs, left, right, left_free, right_rest)
    # ... then the matched ones with the right's unmatched films still free
    taken = set(pairs.values())
    left_matched = [i for i in left_rest if left[i].tmdb is not None]
    right_free = [j for j in right_rest if j not in taken and right[j].tmdb is None]
    _pair_into(pairs, left, right, left_matched, right_free)
    return pairs


def _pair_into(
    pairs: dict[int, int],
    left: Sequence[Item],
    right: Sequence[Item],
    left_ids: list[int],
    right_ids: list[int],
) -> None:
    if not left_ids or not right_ids:
        return
    # One side is a few films (those without a TMDB match), the other can be thousands: only
    # the films of the larger side that `pair` could pair with one of the smaller are given to
    # it (it normalises every title it is given).
    if len(left_ids) < len(right_ids):
        right_ids = _candidates([left[i] for i in left_ids], right, right_ids)
    else:
        left_ids = _candidates([right[j] for j in right_ids], left, left_ids)
    if not left_ids or not right_ids:
        return
    made = pair([left[i] for i in left_ids], [right[j] for j in right_ids])
    for new, old in made.pairs.items():  # `pair` maps the second list onto the first
        pairs[left_ids[old]] = right_ids[new]


def _candidates(few: list[Item], many: Sequence[Item], ids: list[int]) -> list[int]:
    """The ids of `many` that `pair` could pair with a film of `few`: the same link, or a year
    within one (no year: among the films without one)."""
    keys = {key for item in few if (key := identity(item.uri)) is not None}
    # a link's key holds its id or slug: links without one of them are not asked for theirs
    tails = [key.partition(":")[2].casefold() or key.casefold() for key in keys]
    years = {item.year + d for item in few if item.year is not None for d in (-1, 0, 1)}
    undated = any(item.year is None for item in few)

    def same_link(uri: str | None) -> bool:
        if not uri or not any(tail in uri.casefold() for tail in tails):
            return False
        return identity(uri) in keys

    return [
        i
        for i in ids
        if (many[i].year in years if many[i].year is not None else undated)
        or same_link(many[i].uri)
    ]
