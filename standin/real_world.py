"""Real-world mode: what TMDB really returns beside a film when you search for its title (pure).

The recorded search for "The Matrix" (`../shared/data/tmdb-api-samples/
search_movie__The_Matrix__2021.json`) has 41 results for one title: the film, its sequels,
making-of documentaries and featurettes carrying the title ("The Matrix Revisited", "Making
'The Matrix'", "The Matrix: What Is Bullet-Time?"), obscure films sharing a word, and an
undated entry ("Cable Two's The Matrix", `release_date: ""`). A catalogue of features only makes
matching look easier than it is. `companions(film)` gives each film the neighbours TMDB gives it:

- making-of documentaries and featurettes whose title holds the film's ("The Making of X",
  "X: Behind the Scenes", "Making 'X'", "X Revisited"): genre Documentary, the film's year or
  a few later, a small share of its popularity and votes; one in four featurettes undated;
- a same-title short of another year (up to 2 % of the film's votes and popularity, at
  most 15 votes);
- a same-title TV movie of another year (genre TV Movie; 0.5 to 10 %, at most 60 votes);
- an undated same-title entry (`release_date: ""`, no votes);
- a same-title film of another year whose original title is in another script (Cyrillic,
  Greek, Japanese katakana): a foreign film released under the same English title (1 to 30 %,
  at most 200 votes);
- occasionally (one film in 25) a same-title film of the *same* year: obscure (up to 2 % of
  the film's votes and popularity, at most 8 votes), as TMDB's long tail of student films.

Popularity and votes are shares of the film's own (the two catalogue files measure popularity
on different scales), so a companion is nearly always less popular than its film.

"Another year" is any year from 1920 to 2025 but the film's own. Everything is drawn from a
`random.Random` seeded by the film's normalised title and year: the same catalogue gives the
same companions in every process. Companion ids are `COMPANION_ID_BASE + 16 x film id + n`:
unique, above every real and synthetic film id, below 2^31.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from standin.films import Film, country, genre, language
from standin.reference import GENRE_IDS
from standin.text import normalise

COMPANION_ID_BASE = 100_000_000
PER_FILM = 16
OTHER_YEARS = (1920, 2025)
SAME_YEAR_SHARE = 0.04

_DOCUMENTARY = (GENRE_IDS["Documentary"], "Documentary")
_TV_MOVIE = (GENRE_IDS["TV Movie"], "TV Movie")
_FICTION = tuple(
    pair
    for name in ("Drama", "Comedy", "Horror", "Thriller", "Romance", "Crime", "Animation")
    if (pair := genre(name)) is not None
)
_MAKING_OF = ("The Making of {}", "Making '{}'", "{}: Behind the Scenes", "{} Revisited")
_FEATURETTES = (
    "{}: The Visual Effects", "{}: Deleted Scenes", "{}: A Look Inside", "Inside '{}'",
    "{}: The Music", "Return to {}", "{}: Anatomy of a Scene",
)  # fmt: skip

# Letter by letter (escaped: many of them look like Latin letters).
_LATIN = "abcdefghijklmnopqrstuvwxyz"
_CYRILLIC_LETTERS = (
    "\u0430|\u0431|\u0446|\u0434|\u0435|\u0444|\u0433|\u0445|\u0438|\u0436|\u043a"
    "|\u043b|\u043c|\u043d|\u043e|\u043f|\u043a|\u0440|\u0441|\u0442|\u0443|\u0432"
    "|\u0432|\u043a\u0441|\u044b|\u0437"
)
_CYRILLIC = dict(zip(_LATIN, _CYRILLIC_LETTERS.split("|"), strict=True))
_GREEK_LETTERS = (
    "\u03b1|\u03b2|\u03ba|\u03b4|\u03b5|\u03c6|\u03b3|\u03b7|\u03b9|\u03c4\u03b6"
    "|\u03ba|\u03bb|\u03bc|\u03bd|\u03bf|\u03c0|\u03ba|\u03c1|\u03c3|\u03c4"
    "|\u03bf\u03c5|\u03b2|\u03bf\u03c5|\u03be|\u03c5|\u03b6"
)
_GREEK = dict(zip(_LATIN, _GREEK_LETTERS.split("|"), strict=True))
_KATAKANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモラリルレロ"


@dataclass(frozen=True, slots=True)
class Script:
    language: str
    country: str

    def render(self, title: str) -> str:
        """The title written in this script (a transliteration, not a translation)."""
        text = normalise(title)
        if self.language == "ja":
            return "".join(
                _KATAKANA[(ord(ch) * 7) % len(_KATAKANA)] if ch.isalnum() else "・" for ch in text
            )
        table = _CYRILLIC if self.language == "ru" else _GREEK
        words = ("".join(table.get(ch, ch) for ch in word) for word in text.split())
        return " ".join(words).capitalize()


SCRIPTS = (Script("ru", "RU"), Script("el", "GR"), Script("ja", "JP"))


def companion_id(film_id: int, n: int) -> int:
    return COMPANION_ID_BASE + PER_FILM * film_id + n


def is_companion(film_id: int) -> bool:
    return film_id >= COMPANION_ID_BASE


def companions(film: Film) -> list[Film]:
    """The entries TMDB's search shows beside `film` for its title (see the module's doc)."""
    rng = random.Random(f"real-world\x1f{normalise(film.title)}\x1f{film.year}")
    made = _Maker(film, rng)
    popular = film.vote_count >= 100
    for template in rng.sample(_MAKING_OF, k=(2 if film.vote_count >= 1000 else 1)):
        if popular or rng.random() < 0.4:
            made.documentary(template, years_after=rng.choice((0, 0, 1, 2, 5, 10)))
    if rng.random() < 0.5:
        made.documentary(rng.choice(_FEATURETTES), years_after=rng.choice((0, 1)), undated=0.25)
    if rng.random() < 0.4:
        made.same_title("short", year=made.other_year(), votes=(0.0, 0.02, 15))
    if rng.random() < 0.15:
        made.same_title("tv", year=made.other_year(), votes=(0.005, 0.1, 60))
    if rng.random() < 0.3:
        made.same_title("undated", year=None, votes=(0.0, 0.0, 0))
    if rng.random() < 0.15:
        made.same_title("script", year=made.other_year(), votes=(0.01, 0.3, 200))
    if film.year is not None and rng.random() < SAME_YEAR_SHARE:
        made.same_title("obscure", year=film.year, votes=(0.0, 0.02, 8))
    return made.films


def with_companions(films: Iterable[Film]) -> Iterator[Film]:
    """Every film, each followed by its companions."""
    for film in films:
        yield film
        yield from companions(film)


class _Maker:
    """Builds one film's companions, numbering their ids."""

    def __init__(self, film: Film, rng: random.Random) -> None:
        self.film = film
        self.rng = rng
        self.films: list[Film] = []

    def other_year(self) -> int:
        years = [y for y in range(OTHER_YEARS[0], OTHER_YEARS[1] + 1) if y != self.film.year]
        return self.rng.choice(years)

    def documentary(self, template: str, *, years_after: int, undated: float = 0.0) -> None:
        film, rng = self.film, self.rng
        dated = film.year is not None and rng.random() >= undated
        self._add(
            title=template.format(film.title),
            original_title=template.format(film.original_title or film.title),
            year=film.year + years_after if dated and film.year is not None else None,
            genres=(_DOCUMENTARY,),
            popularity=film.popularity * rng.uniform(0.01, 0.15),
            votes=int(film.vote_count * rng.uniform(0.0, 0.01)),
            runtime=rng.randint(15, 60),
        )

    def same_title(
        self,
        kind: str,
        *,
        year: int | None,
        votes: tuple[float, float, int],
    ) -> None:
        """`votes`: (low, high, cap): a share of the film's votes (and of its popularity)
        drawn from low..high, at most cap votes."""
        rng = self.rng
        low, high, cap = votes
        share = rng.uniform(low, high)
        original_title, spoken, countries = self.film.title, "en", ("US",)
        genres: tuple[tuple[int, str], ...] = (rng.choice(_FICTION),)
        runtime = rng.randint(80, 120)
        if kind == "short":
            runtime = rng.randint(4, 30)
        elif kind == "tv":
            genres = (_TV_MOVIE, *genres)
            runtime = rng.randint(85, 100)
        elif kind == "script":
            script = rng.choice(SCRIPTS)
            original_title = script.render(self.film.title)
            spoken, countries = script.language, (script.country,)
        self._add(
            title=self.film.title,
            original_title=original_title,
            year=year,
            genres=genres,
            popularity=self.film.popularity * share,
            votes=min(cap, int(self.film.vote_count * share)),
            runtime=runtime,
            spoken=spoken,
            countries=countries,
        )

    def _add(
        self,
        *,
        title: str,
        original_title: str,
        year: int | None,
        genres: tuple[tuple[int, str], ...],
        popularity: float,
        votes: int,
        runtime: int,
        spoken: str = "en",
        countries: tuple[str, ...] = ("US",),
    ) -> None:
        rng = self.rng
        date = (
            "" if year is None else f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        )
        self.films.append(
            Film(
                id=companion_id(self.film.id, len(self.films)),
                title=title,
                original_title=original_title,
                original_language=spoken,
                release_date=date,
                overview=f"Beside {self.film.title!r} in TMDB's search (real-world mode).",
                genres=genres,
                runtime=runtime,
                popularity=round(popularity, 3),
                vote_average=round(rng.uniform(4.5, 7.5), 1) if votes else 0.0,
                vote_count=votes,
                countries=tuple(country(iso) for iso in countries),
                languages=(language(spoken),),
                synthetic=True,
            )
        )
