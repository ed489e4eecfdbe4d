"""Who is in which film: the person -> films index behind `/3/person/{id}/movie_credits` (pure).

A person is a name of the catalogue's credits (a director or a cast member); their id is the
one the films' credits give them (`payloads.person_id`, a blake2b hash of the name). The index
holds compact tuples (film id, name, billing order) and (film id, name, job), in the order the
films were added; the credits' own entries (`payloads.credits`) come from the same film fields,
so a film's credits and a person's filmography always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from standin.films import Film
from standin.real_world import is_companion
from standin.text import stable_id

DIRECTOR = "Director"


def person_id(name: str) -> int:
    """People have no TMDB ids in the data: a stable positive 32-bit id from the name."""
    return stable_id("person", name)


@dataclass(slots=True)
class Filmography:
    """One person's credits: `cast` as (film id, name, order), `crew` as (film id, name, job)."""

    cast: list[tuple[int, str, int]] = field(default_factory=list)
    crew: list[tuple[int, str, str]] = field(default_factory=list)


class People:
    """Person id -> their credits, over the films added (companions have no credits).

    Kept by name ((film id, order) and film ids), with the names of each person id (two names
    would share an id only on a 32-bit hash clash); a `Filmography` is put together when asked.
    """

    def __init__(self, films: Iterable[Film] = ()) -> None:
        self._cast: dict[str, list[tuple[int, int]]] = {}
        self._directed: dict[str, list[int]] = {}
        self._names: dict[int, list[str]] = {}
        for film in films:
            if is_companion(film.id):
                continue
            for order, name in enumerate(film.cast):
                self._cast.setdefault(name, []).append((film.id, order))
            for name in film.directors:
                self._directed.setdefault(name, []).append(film.id)
        for name in sorted(self._cast.keys() | self._directed.keys()):
            self._names.setdefault(person_id(name), []).append(name)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, person: int) -> bool:
        return person in self._names

    def add(self, film: Film) -> None:
        if is_companion(film.id):
            return
        for order, name in enumerate(film.cast):
            self._named(name)
            self._cast.setdefault(name, []).append((film.id, order))
        for name in film.directors:
            self._named(name)
            self._directed.setdefault(name, []).append(film.id)

    def get(self, person: int) -> Filmography | None:
        names = self._names.get(person)
        if names is None:
            return None
        return Filmography(
            cast=[
                (film_id, name, order)
                for name in names
                for film_id, order in self._cast.get(name, ())
            ],
            crew=[
                (film_id, name, DIRECTOR)
                for name in names
                for film_id in self._directed.get(name, ())
            ],
        )

    def _named(self, name: str) -> None:
        if name not in self._cast and name not in self._directed:
            self._names.setdefault(person_id(name), []).append(name)
