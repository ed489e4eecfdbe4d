"""What a card shows (the renderer's input) and its formats."""

from __future__ import annotations

import enum
from dataclasses import dataclass

APP_NAME = "Letterboxd Stats"


class CardFormat(enum.StrEnum):
    """`og`: 1200x630, the Open Graph / Twitter large image; `story`: 1080x1920, a phone story."""

    og = "og"
    story = "story"

    @property
    def size(self) -> tuple[int, int]:
        return (1200, 630) if self is CardFormat.og else (1080, 1920)

    @property
    def films(self) -> int:
        """Top films shown."""
        return 4 if self is CardFormat.og else 3

    @property
    def genres(self) -> int:
        return 4 if self is CardFormat.og else 5


@dataclass(frozen=True, slots=True)
class Counter:
    label: str  # "films", "hours" …
    value: str  # already formatted: "1,234"


@dataclass(frozen=True, slots=True)
class CardFilm:
    title: str
    year: int | None
    rating: float | None  # the user's stars, 0.5-5
    poster: bytes | None  # the image file as the host gave it; None: a text tile


@dataclass(frozen=True, slots=True)
class CardGenre:
    name: str
    films: int


@dataclass(frozen=True, slots=True)
class CardData:
    username: str | None
    period: str  # "2024" or "All time"
    counters: tuple[Counter, ...]
    films: tuple[CardFilm, ...]
    films_heading: str  # "Highest rated", or "Most viewed" when nothing is rated
    genres: tuple[CardGenre, ...]
    app_name: str = APP_NAME
