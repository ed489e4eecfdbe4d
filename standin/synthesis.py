"""Deterministic synthetic films for titles the catalogue lacks (pure).

The same (normalised title, year) always gives the same film, in every process: every choice
comes from a `random.Random` seeded with a blake2b hash, never from `hash()` or the clock.
"""

from __future__ import annotations

import random

from standin.films import Film, country, genre, language
from standin.reference import GENRE_IDS
from standin.text import normalise, stable_id, stable_int

#: Synthetic ids live here; real TMDB ids are far below 10 million.
SYNTHETIC_ID_MIN = 10_000_000
SYNTHETIC_ID_MAX = 99_999_999

_ORIGINS = (  # (country, language), weighted towards where most films come from
    ("US", "en"), ("US", "en"), ("US", "en"), ("US", "en"), ("GB", "en"), ("GB", "en"),
    ("FR", "fr"), ("FR", "fr"), ("DE", "de"), ("IT", "it"), ("JP", "ja"), ("JP", "ja"),
    ("KR", "ko"), ("ES", "es"), ("IN", "hi"), ("CA", "en"), ("SE", "sv"), ("MX", "es"),
)  # fmt: skip
_GIVEN = (
    "Alex", "Maria", "John", "Yuki", "Pierre", "Anna", "David", "Sofia", "Kenji", "Laura",
    "Marco", "Elena", "James", "Ingrid", "Raj", "Claire", "Tom", "Ana", "Min-jun", "Nora",
)  # fmt: skip
_FAMILY = (
    "Smith", "Moreau", "Tanaka", "Rossi", "Müller", "García", "Kim", "Larsen", "Patel",
    "Novak", "Brown", "Dubois", "Sato", "Costa", "Nilsson", "Walker", "Ito", "Fischer",
    "Lopez", "Hughes",
)  # fmt: skip
_FEMALE = frozenset(
    ("Maria", "Yuki", "Anna", "Sofia", "Laura", "Elena", "Ingrid", "Claire", "Ana", "Nora")
)
_UNSET = frozenset(("Alex",))  # TMDB gives no gender (0) to many people


def synthetic_gender(name: str) -> int:
    """TMDB's `gender` of a person of a synthetic film, from their given name (1 female, 2
    male, 0 not set); 0 for anyone else: the catalogue's CSVs say no one's gender."""
    given, _, family = name.partition(" ")
    if given not in _GIVEN or family not in _FAMILY:
        return 0
    if given in _UNSET:
        return 0
    return 1 if given in _FEMALE else 2


_GENRE_NAMES = tuple(name for name in GENRE_IDS if name != "Foreign")


def synthetic_id(title: str, year: int) -> int:
    return stable_id("film", normalise(title), year, low=SYNTHETIC_ID_MIN, high=SYNTHETIC_ID_MAX)


def synthetic_year(title: str) -> int:
    """The year a synthetic film gets when the search did not ask for one."""
    return 1950 + stable_int("year", normalise(title)) % 71


def synthesise_film(query: str, year: int | None = None) -> Film:
    """One plausible film titled `query` (as given), released in `year` (or a fixed one)."""
    title = " ".join(query.split())
    year = synthetic_year(title) if year is None else year
    film_id = synthetic_id(title, year)
    rng = random.Random(film_id)
    origin, spoken = rng.choice(_ORIGINS)
    genres = rng.sample(_GENRE_NAMES, k=rng.randint(1, 3))
    people = [f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}" for _ in range(6)]
    votes = rng.randint(5, 5000)
    return Film(
        id=film_id,
        title=title,
        original_title=title,
        original_language=spoken,
        release_date=f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        overview=f"{title} is a synthetic film made up by the TMDB stand-in.",
        genres=tuple(pair for name in genres if (pair := genre(name)) is not None),
        runtime=rng.randint(78, 165),
        popularity=round(rng.uniform(0.6, 60.0), 3),
        vote_average=round(rng.uniform(4.0, 8.6), 1),
        vote_count=votes,
        countries=(country(origin),),
        languages=(language(spoken),),
        directors=(people[0],),
        cast=tuple(dict.fromkeys(people[1:])),
        synthetic=True,
    )
