"""`GET /3/search/tv` over the stand-in's series (pure): the movie search's word matching and
ranking (`catalogue.rank`), filtered by first air year (`first_air_date_year`) or by any year
the series aired in (`year`), as TMDB does."""

from __future__ import annotations

from collections.abc import Sequence

from standin.catalogue import rank
from standin.series import SERIES, Series
from standin.text import normalise


def _holds(names: Sequence[str], tokens: Sequence[str]) -> bool:
    """Every query word is a word of a name; the last one may be a prefix."""
    for name in names:
        words = name.split()
        if all(token in words for token in tokens[:-1]) and any(
            word.startswith(tokens[-1]) for word in words
        ):
            return True
    return False


def search_series(
    query: str,
    *,
    first_air_date_year: int | None = None,
    year: int | None = None,
    shelf: Sequence[Series] = SERIES,
) -> list[Series]:
    """Matches, best first (exact name, prefix, phrase, any order; by popularity within)."""
    wanted = normalise(query)
    tokens = wanted.split()
    if not tokens:
        return []
    ranked: list[tuple[int, float, int, Series]] = []
    for series in shelf:
        names = tuple(
            dict.fromkeys(n for n in (normalise(series.name), normalise(series.original_name)) if n)
        )
        if not _holds(names, tokens):
            continue
        if first_air_date_year is not None and series.first_air_year != first_air_date_year:
            continue
        if year is not None and not series.first_air_year <= year <= series.last_air_year:
            continue
        ranked.append((rank(wanted, names), -series.popularity, series.id, series))
    ranked.sort(key=lambda entry: entry[:3])
    return [series for *_, series in ranked]


def get_series(series_id: int, shelf: Sequence[Series] = SERIES) -> Series | None:
    return next((series for series in shelf if series.id == series_id), None)
