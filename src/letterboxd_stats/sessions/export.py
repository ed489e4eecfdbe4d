"""The enriched library as CSV or JSON rows (pure). CSV cells that a spreadsheet would run as a
formula (starting with =, +, -, @, tab or CR) are neutralised with a leading apostrophe."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from letterboxd_stats.sessions.schemas import Movie

COLUMNS = (
    "title",
    "year",
    "letterboxd_uri",
    "rating",
    "watched_dates",
    "rewatch_count",
    "liked",
    "review_count",
    "tags",
    "match_status",
    "match_confidence",
    "tmdb_id",
    "tmdb_kind",
    "tmdb_title",
    "original_title",
    "release_date",
    "runtime",
    "genres",
    "directors",
    "cast",
    "countries",
    "languages",
    "original_language",
    "popularity",
    "vote_average",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_row(movie: Movie) -> dict[str, Any]:
    """One film, flat: lists become '; '-joined text in CSV and stay lists in JSON."""
    return {
        "title": movie.title,
        "year": movie.year,
        "letterboxd_uri": movie.letterboxd_uri,
        "rating": movie.rating,
        "watched_dates": [d.isoformat() for d in movie.watched_dates],
        "rewatch_count": movie.rewatch_count,
        "liked": movie.liked,
        "review_count": movie.review_count,
        "tags": movie.tags,
        "match_status": movie.match_status.value,
        "match_confidence": movie.match_confidence,
        "tmdb_id": movie.tmdb_id,
        "tmdb_kind": movie.tmdb_kind.value if movie.tmdb_kind else None,
        "tmdb_title": movie.tmdb_title,
        "original_title": movie.original_title,
        "release_date": movie.release_date.isoformat() if movie.release_date else None,
        "runtime": movie.runtime,
        "genres": movie.genres,
        "directors": [p.name for p in movie.directors or [] if p.name],
        "cast": [p.name for p in movie.cast or [] if p.name][:5],
        "countries": movie.countries,
        "languages": movie.languages,
        "original_language": movie.original_language,
        "popularity": movie.popularity,
        "vote_average": movie.vote_average,
    }


def neutralise(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return neutralise("; ".join(str(v) for v in value))
    return neutralise(str(value))


def to_csv(rows: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(row[column]) for column in COLUMNS])
    return out.getvalue()
