"""The stand-in's catalogue: films by id and a title search index built once at load (pure).

Search never scans the catalogue: a word -> ids inverted index (the last query word also
matches as a prefix, via a sorted vocabulary) yields the candidates, which are then ranked
like TMDB roughly does: exact (normalised) title or original title, then title prefix, then
the query as a phrase inside the title, then all words in any order; by popularity within a
tier. In real-world mode the index holds every film's companions too (`real_world`).

Collections (`franchises`) and the person -> films index (`people`) are built from the index's
films the first time they are asked for, once per index (an index is shared by every catalogue
of the same data); a catalogue adds the people of the films it synthesises on top.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from standin.films import Film, film_from_dict
from standin.franchises import Collection, Collections, derive_collections
from standin.people import Filmography, People
from standin.real_world import companions, is_companion, with_companions
from standin.sources import default_data_dir, load_films
from standin.synthesis import synthesise_film
from standin.text import normalise

_NOTHING: frozenset[int] = frozenset()


class TitleIndex:
    """Immutable once built; shared by every Catalogue made from the same data folder."""

    def __init__(self, films: Iterable[Film]) -> None:
        self.films: dict[int, Film] = {film.id: film for film in films}
        self.names: dict[int, tuple[str, ...]] = {}
        postings: dict[str, set[int]] = {}
        for film in self.films.values():
            names = tuple(
                dict.fromkeys(
                    n for n in (normalise(film.title), normalise(film.original_title)) if n
                )
            )
            self.names[film.id] = names
            for word in {w for name in names for w in name.split()}:
                postings.setdefault(word, set()).add(film.id)
        self.words: dict[str, frozenset[int]] = {w: frozenset(ids) for w, ids in postings.items()}
        self.vocabulary: tuple[str, ...] = tuple(sorted(self.words))

    @cached_property
    def collections(self) -> Collections:
        """Built on first use (see `franchises`)."""
        return derive_collections(self.films.values())

    @cached_property
    def people(self) -> People:
        """Built on first use (see `people`)."""
        return People(self.films.values())

    def candidates(self, normalised_query: str) -> set[int]:
        """Films whose titles hold every query word (the last one may be a prefix)."""
        tokens = normalised_query.split()
        if not tokens:
            return set()
        sets = [self.words.get(token, _NOTHING) for token in tokens[:-1]]
        sets.append(self._prefixed(tokens[-1]))
        sets.sort(key=len)
        found = set(sets[0])
        for ids in sets[1:]:
            if not found:
                break
            found &= ids
        return found

    def _prefixed(self, prefix: str) -> frozenset[int]:
        start = bisect_left(self.vocabulary, prefix)
        following = self.vocabulary[start + 1] if start + 1 < len(self.vocabulary) else ""
        if prefix in self.words and not following.startswith(prefix):
            return self.words[prefix]  # the common case: a whole word, no longer one shares it
        found: set[int] = set()
        for word in self.vocabulary[start:]:
            if not word.startswith(prefix):
                break
            found |= self.words[word]
        return frozenset(found)


def rank(normalised_query: str, names: Sequence[str]) -> int:
    """0 exact, 1 prefix, 2 phrase inside, 3 all words in any order (lower ranks first)."""
    best = 3
    for name in names:
        if name == normalised_query:
            return 0
        if name.startswith(normalised_query):
            best = min(best, 1)
        elif f" {normalised_query}" in f" {name}":
            best = min(best, 2)
    return best


class Catalogue:
    """Films by id, title search, and (optionally) synthetic films for unknown titles."""

    def __init__(
        self, index: TitleIndex, *, synthesise: bool = False, real_world: bool = False
    ) -> None:
        self._index = index
        self.synthesise = synthesise
        self.real_world = real_world
        self._synthetic: dict[int, Film] = {}
        self._synthetic_people = People()

    @classmethod
    def from_films(
        cls, films: Iterable[Film], *, synthesise: bool = False, real_world: bool = False
    ) -> Catalogue:
        """`real_world`: each film comes with its companions (`real_world.companions`)."""
        index = TitleIndex(with_companions(films) if real_world else films)
        return cls(index, synthesise=synthesise, real_world=real_world)

    def __len__(self) -> int:
        return len(self._index.films)

    @property
    def synthesised_count(self) -> int:
        return sum(not is_companion(film_id) for film_id in self._synthetic)

    def get(self, film_id: int) -> Film | None:
        return self._index.films.get(film_id) or self._synthetic.get(film_id)

    def collection_of(self, film_id: int) -> Collection | None:
        """The collection the film is a part of (synthesised films are in none)."""
        return self._index.collections.containing(film_id)

    def collection(self, collection_id: int) -> tuple[Collection, list[Film]] | None:
        """The collection and its films, in its order."""
        found = self._index.collections.get(collection_id)
        if found is None:
            return None
        return found, [self._index.films[film_id] for film_id in found.parts]

    def filmography(self, person_id: int) -> Filmography | None:
        """The person's credits in the catalogue's films and the films it synthesised."""
        known = self._index.people.get(person_id)
        made = self._synthetic_people.get(person_id)
        if known is None or made is None:
            return known or made
        return Filmography(cast=known.cast + made.cast, crew=known.crew + made.crew)

    def search(
        self, query: str, *, year: int | None = None, primary_release_year: int | None = None
    ) -> list[Film]:
        """Matches, best first. `year` and `primary_release_year` both filter on the release
        year (the data has one release date per film). With synthesis on, a search that
        matches nothing returns one synthetic film for the query instead (in real-world mode
        with those of its companions that pass the filters)."""
        wanted = normalise(query)
        ranked: list[tuple[int, float, int]] = []
        for film_id in self._index.candidates(wanted):
            film_year = self._index.films[film_id].year
            if year is not None and film_year != year:
                continue
            if primary_release_year is not None and film_year != primary_release_year:
                continue
            tier = rank(wanted, self._index.names[film_id])
            ranked.append((tier, -self._index.films[film_id].popularity, film_id))
        ranked.sort()
        films = [self._index.films[film_id] for _, _, film_id in ranked]
        if not films and self.synthesise and query.strip():
            films = self._synthesised(query, primary_release_year or year)
        return films

    def _synthesised(self, query: str, year: int | None) -> list[Film]:
        film = synthesise_film(query, year)
        films = [film, *(companions(film) if self.real_world else ())]
        for made in films:
            if made.id not in self._synthetic:
                self._synthetic[made.id] = made
                self._synthetic_people.add(made)
        wanted = normalise(query)
        return sorted(
            (made for made in films if year is None or made.year == year),
            key=lambda made: (rank(wanted, (normalise(made.title),)), -made.popularity),
        )


@lru_cache(maxsize=8)
def _cached_index(data_dir: Path, real_world: bool) -> TitleIndex:
    films = load_films(data_dir)
    return TitleIndex(with_companions(films) if real_world else films)


def load_catalogue(
    data_dir: Path | None = None,
    extra_films: Sequence[Mapping[str, Any]] = (),
    *,
    synthesise: bool = False,
    real_world: bool = False,
) -> Catalogue:
    """The films of `data_dir` (default: the shared data folder; absent -> none) plus
    `extra_films` (dicts, see `film_from_dict`; they replace same-id films); with
    `real_world`, each with its companions (see `standin.real_world`)."""
    folder = (data_dir or default_data_dir()).resolve()
    if not extra_films:
        index = _cached_index(folder, real_world)
        return Catalogue(index, synthesise=synthesise, real_world=real_world)
    films = {film.id: film for film in load_films(folder)}
    films.update((film.id, film) for film in map(film_from_dict, extra_films))
    return Catalogue.from_films(films.values(), synthesise=synthesise, real_world=real_world)
