"""Collections (TMDB's `belongs_to_collection`, `/3/collection/{id}`) derived from the catalogue's
titles (pure).

The catalogue data (TMDB 5000 and the Udacity 10k file) carries no collection column, so
franchises are read off the titles. Each film proposes stems:

- the part before a subtitle separator (a colon, or a hyphen or dash between spaces): "The Lord
  of the Rings: The Two Towers" -> "The Lord of the Rings"; "Mission: Impossible - Rogue
  Nation" -> "Mission" and "Mission: Impossible";
- the part before `" and the "` / `" & the "` when it has two words or more: "Harry Potter and
  the Goblet of Fire" -> "Harry Potter";
- the title (or such a prefix) without a trailing sequel number (2-12, Roman II-XII, optionally
  after "Part", "Chapter", "Vol."...; 1 only after one of those): "Toy Story 3", "Rocky IV",
  "Back to the Future Part II", "Star Trek II: The Wrath of Khan" -> "Star Trek".

A stem that is exactly another film's title is an anchor: a film joins the longest anchor among
its stems (an anchor's own film joins itself), else its shortest unnumbered stem, else its
shortest numbered one. Films sharing a stem form a collection when at least two different titles
remain after these rules: one film per title (of the films sharing a title, the most voted of
those released before the collection's first numbered sequel, else the most voted: the original,
not a remake or a same-title TV film), a numbered film only while its number is plausible for
the collection's size (at most its count of titles + 1: "Super 8" is no sequel of "Super"), no
documentaries (making-ofs), no real-world companions or synthesised films; stems have 3
characters or more and are not all digits. Named "<stem> Collection" (the anchor's title, else
the stem as the titles write it), with a stable id from the normalised stem (blake2b via
`text.stable_id`, never `hash()`). Parts are ordered by release date (undated last), then id.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from standin.films import Film
from standin.real_world import is_companion
from standin.reference import GENRE_IDS
from standin.text import fake_path, normalise, stable_id

_SEPARATOR = re.compile(r"\s*:\s+|\s+[-\u2013\u2014]\s+")
_AND_THE = re.compile(r"\s+(?:and|&)\s+the\s+", re.IGNORECASE)
_SEQUEL = re.compile(
    r"^(?P<stem>.*?)[\s,:.-]*\s(?:(?P<part>part|chapter|vol\.?|volume|episode)\s+)?"
    r"(?P<number>\d{1,2}|[IVX]{1,4})$",
    re.IGNORECASE,
)
_ROMAN = {
    "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9,
    "X": 10, "XI": 11, "XII": 12,
}  # fmt: skip
MAX_SEQUEL = 12
_DOCUMENTARY = GENRE_IDS["Documentary"]


@dataclass(frozen=True, slots=True)
class Collection:
    """One collection: `parts` are film ids ordered by release date (undated last), then id."""

    id: int
    name: str
    stem: str  # normalised
    parts: tuple[int, ...]

    @property
    def poster_path(self) -> str:
        return fake_path("collection-poster", self.id)

    @property
    def backdrop_path(self) -> str:
        return fake_path("collection-backdrop", self.id)


@dataclass(frozen=True, slots=True)
class Stem:
    """A franchise stem a title proposes."""

    key: str  # normalised
    display: str
    number: int | None  # the sequel number it was found by stripping, if any


class Collections:
    """Every collection of a set of films, by id and by film. Immutable once built."""

    def __init__(self, collections: Iterable[Collection]) -> None:
        self.by_id: dict[int, Collection] = {c.id: c for c in collections}
        self.of_film: dict[int, Collection] = {
            film_id: c for c in self.by_id.values() for film_id in c.parts
        }

    def __len__(self) -> int:
        return len(self.by_id)

    def get(self, collection_id: int) -> Collection | None:
        return self.by_id.get(collection_id)

    def containing(self, film_id: int) -> Collection | None:
        return self.of_film.get(film_id)


def sequel_number(title: str) -> tuple[str, int] | None:
    """`("Toy Story", 3)` for "Toy Story 3"; None when the title ends in no sequel number."""
    match = _SEQUEL.match(title.strip())
    if match is None:
        return None
    token = match["number"]
    number = int(token) if token.isdigit() else _ROMAN.get(token)
    if token.isalpha() and not token.isupper():
        return None  # "Malcolm x"? Roman numerals are written in capitals
    if number is None or not 1 <= number <= MAX_SEQUEL or (number == 1 and not match["part"]):
        return None
    stem = match["stem"].strip(" ,:-")
    return (stem, number) if stem else None


def stems(title: str) -> list[Stem]:
    """The stems a title proposes (see the module's doc), its own title excluded."""
    prefixes = [title[: m.start()].strip() for m in _SEPARATOR.finditer(title)]
    and_the = _AND_THE.search(title)
    if and_the is not None and len(title[: and_the.start()].split()) >= 2:
        prefixes.append(title[: and_the.start()].strip())
    found = [Stem(normalise(prefix), prefix, None) for prefix in prefixes]
    for text in [title, *prefixes]:
        numbered = sequel_number(text)
        if numbered is not None:
            found.append(Stem(normalise(numbered[0]), numbered[0], numbered[1]))
    return [stem for stem in found if _usable(stem.key)]


def _usable(key: str) -> bool:
    return len(key) >= 3 and not key.replace(" ", "").isdigit()


def _eligible(film: Film) -> bool:
    return (
        not film.synthetic
        and not is_companion(film.id)
        and all(genre_id != _DOCUMENTARY for genre_id, _ in film.genres)
    )


def _order(film: Film) -> tuple[bool, str, int]:
    return (not film.release_date, film.release_date, film.id)


def derive_collections(films: Iterable[Film]) -> Collections:
    """The collections of `films` (see the module's doc); deterministic for a given set."""
    pool = sorted((film for film in films if _eligible(film)), key=lambda film: film.id)
    own = {film.id: normalise(film.title) for film in pool}
    titled: dict[str, list[Film]] = defaultdict(list)
    for film in pool:
        titled[own[film.id]].append(film)
    proposed = {film.id: stems(film.title) for film in pool}
    anchors = {
        stem.key
        for film in pool
        for stem in proposed[film.id]
        if stem.key in titled and stem.key != own[film.id]
    }
    members: dict[str, list[_Member]] = defaultdict(list)
    for film in pool:
        anchored = [stem for stem in proposed[film.id] if stem.key in anchors]
        if own[film.id] in anchors:
            members[own[film.id]].append(_Member(film, own[film.id], None))
        elif anchored:
            chosen = max(anchored, key=lambda stem: (len(stem.key), stem.number is None))
            members[chosen.key].append(_Member(film, own[film.id], chosen))
        elif proposed[film.id]:
            chosen = min(
                proposed[film.id], key=lambda stem: (stem.number is not None, len(stem.key))
            )
            members[chosen.key].append(_Member(film, own[film.id], chosen))
    made: list[Collection] = []
    taken: set[int] = set()
    for key in sorted(members):
        parts = _parts(members[key])
        if len(parts) < 2:
            continue
        name = _most_voted(titled[key]).title if key in titled else _display(members[key], key)
        made.append(
            Collection(
                id=_free_id(key, taken),
                name=f"{name} Collection",
                stem=key,
                parts=tuple(film.id for film in sorted(parts, key=_order)),
            )
        )
    return Collections(made)


@dataclass(frozen=True, slots=True)
class _Member:
    film: Film
    title: str  # normalised
    stem: Stem | None  # None: the film whose title is the stem


def _votes(film: Film) -> tuple[int, float, int]:
    return (film.vote_count, film.popularity, -film.id)


def _most_voted(films: Iterable[Film]) -> Film:
    return max(films, key=_votes)


def _parts(members: list[_Member]) -> list[Film]:
    """One film per title, then the numbered films whose number is plausible. Of films sharing
    a title, the most voted of those released before the first numbered sequel (the original,
    not a later remake), else the most voted."""
    numbered = [m.film.release_date for m in members if m.stem and m.stem.number and m.film.year]
    first_sequel = min(numbered, default="")
    by_title: dict[str, list[_Member]] = defaultdict(list)
    for member in members:
        by_title[member.title].append(member)
    kept: list[_Member] = []
    for same in by_title.values():
        earlier = [m for m in same if m.film.release_date and m.film.release_date < first_sequel]
        kept.append(max(earlier or same, key=lambda m: _votes(m.film)))
    cap = len(kept) + 1
    films = [m.film for m in kept if m.stem is None or (m.stem.number or 0) <= cap]
    return films if len(films) >= 2 else []


def _display(members: list[_Member], key: str) -> str:
    """The stem as the titles most often write it (ties: the alphabetically first)."""
    written = Counter(m.stem.display for m in members if m.stem is not None)
    if not written:
        return key
    return min(written, key=lambda text: (-written[text], text))


def _free_id(key: str, taken: set[int]) -> int:
    """A stable id from the stem; on the (unlikely) clash with another stem, a salted one."""
    salt = 0
    while True:
        collection_id = stable_id("collection", key, *([salt] if salt else []))
        if collection_id not in taken:
            taken.add(collection_id)
            return collection_id
        salt += 1
