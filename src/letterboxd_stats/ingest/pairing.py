"""Which film of an older export is which film of a newer one. Pure.

Three passes, each over what the earlier ones left unpaired:

1. **by key**: the films' keys (`uris.film_key`, or the link itself for a link of no form we
   know) are equal. Two films whose keys have the *same form* (both `boxd:`, both `slug:`) and
   differ are two films, whatever their titles: they are never paired by the later passes.
2. **by title and year**: the normalised title (`tmdb.matching.normalise_title`) and the year are
   equal, and that (title, year) names exactly one unpaired film on each side (old links of one
   export and short links of the other; a film without a link).
3. **by title and year ± 1**: the same, for a year Letterboxd corrected by one: paired only when
   each film has exactly one candidate on the other side, both ways.

A film with more than one candidate (two remakes of one title a year apart, two films without a
link of one title) stays unpaired; `ambiguous` names the films left unpaired that way: each counts
as removed (old side) and added (new side).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from letterboxd_stats.ingest.uris import film_key
from letterboxd_stats.tmdb.matching import normalise_title

__all__ = ["Pairable", "Pairing", "identity", "pair"]


class Pairable(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def year(self) -> int | None: ...
    @property
    def uri(self) -> str | None: ...


def identity(uri: str | None) -> str | None:
    """A film's key: `film_key`, or for a link of no form we know the link itself."""
    if uri is None or not uri.strip():
        return None
    return film_key(uri) or uri.strip()


def _form(key: str | None) -> str | None:
    if key is None:
        return None
    head, sep, _ = key.partition(":")
    return head if sep and head in ("boxd", "slug") else "link"


@dataclass(slots=True)
class Pairing:
    """`pairs`: index in `new` -> index in `old`; `ambiguous_old` / `ambiguous_new`: the indexes
    left unpaired because more than one film could be theirs."""

    pairs: dict[int, int] = field(default_factory=dict)
    ambiguous_old: list[int] = field(default_factory=list)
    ambiguous_new: list[int] = field(default_factory=list)
    by_title: int = 0  # pairs made by title and year (pass 2)
    by_near_year: int = 0  # pairs made by title and year ± 1 (pass 3)

    def removed(self, old_count: int) -> list[int]:
        paired = set(self.pairs.values())
        return [i for i in range(old_count) if i not in paired]

    def added(self, new_count: int) -> list[int]:
        return [i for i in range(new_count) if i not in self.pairs]


def pair(old: Sequence[Pairable], new: Sequence[Pairable]) -> Pairing:
    result = Pairing()
    old_keys = [identity(f.uri) for f in old]
    new_keys = [identity(f.uri) for f in new]

    # 1. by key
    old_by_key: dict[str, int] = {}
    for i, key in enumerate(old_keys):
        if key is not None:
            old_by_key.setdefault(key, i)
    for j, key in enumerate(new_keys):
        if key is not None and key in old_by_key:
            result.pairs[j] = old_by_key.pop(key)
    paired_old = set(result.pairs.values())
    old_left = [i for i in range(len(old)) if i not in paired_old]
    new_left = [j for j in range(len(new)) if j not in result.pairs]

    def compatible(i: int, j: int) -> bool:
        """Not two films told apart by their keys (same form, different keys)."""
        a, b = old_keys[i], new_keys[j]
        return a is None or b is None or _form(a) != _form(b)

    titles_old = {i: normalise_title(old[i].title) for i in old_left}
    titles_new = {j: normalise_title(new[j].title) for j in new_left}
    ambiguous_old: set[int] = set()
    ambiguous_new: set[int] = set()

    # 2. by title and year; 3. by title and year ± 1
    for offsets in ((0,), (-1, 1)):
        old_side = _Side([(i, titles_old[i], old[i].year) for i in old_left])
        new_side = _Side([(j, titles_new[j], new[j].year) for j in new_left])
        made: dict[int, int] = {}
        for j in new_left:
            near = old_side.near(titles_new[j], new[j].year, offsets)
            olds = [i for i in near if compatible(i, j)]
            if not olds:
                continue
            back = [
                k
                for k in new_side.near(titles_old[olds[0]], old[olds[0]].year, offsets)
                if compatible(olds[0], k)
            ]
            if len(olds) == 1 and back == [j]:
                made[j] = olds[0]
            else:
                ambiguous_new.add(j)
                ambiguous_old.update(olds)
        result.pairs.update(made)
        if offsets == (0,):
            result.by_title = len(made)
        else:
            result.by_near_year = len(made)
        # paired, or with more than one candidate already: out of the next pass
        taken = set(made.values()) | ambiguous_old
        old_left = [i for i in old_left if i not in taken]
        new_left = [j for j in new_left if j not in made and j not in ambiguous_new]

    paired_old = set(result.pairs.values())
    result.ambiguous_old = sorted(ambiguous_old - paired_old)
    result.ambiguous_new = sorted(ambiguous_new - set(result.pairs))
    return result


class _Side:
    """The unpaired films of one export by (normalised title, year)."""

    def __init__(self, films: list[tuple[int, str, int | None]]) -> None:
        self._index: defaultdict[tuple[str, int | None], list[int]] = defaultdict(list)
        for no, title, year in films:
            self._index[(title, year)].append(no)

    def near(self, title: str, year: int | None, offsets: tuple[int, ...]) -> list[int]:
        """The films of this title whose year is `year + d` for d in `offsets` (symmetric); a
        film without a year only at offset 0, among the films without one."""
        if year is None:
            return list(self._index.get((title, None), [])) if 0 in offsets else []
        return [no for d in offsets for no in self._index.get((title, year + d), [])]
