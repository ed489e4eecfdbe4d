"""Read the two catalogue CSVs from the shared data folder and merge them by TMDB id (pure).

- `tmdb5000/tmdb_5000_movies.csv`: JSON-array columns with real TMDB ids (genres, keywords,
  companies, countries, languages). Preferred wherever it has a value.
- `tmdb10k-udacity/tmdb-movies.csv`: `|`-separated names; adds director(s), top-5 cast and
  `imdb_id`; `release_date` is `M/D/YY`, so the year comes from `release_year`.

A missing file contributes nothing; a missing folder gives an empty catalogue.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from standin.films import Film, genre, named
from standin.text import repair_mojibake

FIVE_THOUSAND = Path("tmdb5000") / "tmdb_5000_movies.csv"
TEN_THOUSAND = Path("tmdb10k-udacity") / "tmdb-movies.csv"

_EMPTY: tuple[object, ...] = (None, "", 0, 0.0, ())


def default_data_dir() -> Path:
    """`<repo>/../shared/data`, located from this file (as tests/fixtures/real_exports.py does)."""
    return Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


@lru_cache(maxsize=8)
def load_films(data_dir: Path) -> tuple[Film, ...]:
    """Every film of the data folder, merged, in id order. Cached per folder and process."""
    five = {fields["id"]: fields for fields in _rows(data_dir / FIVE_THOUSAND, _from_5000)}
    ten: dict[int, dict[str, Any]] = {}
    for fields in _rows(data_dir / TEN_THOUSAND, _from_10k):
        ten.setdefault(fields["id"], fields)  # one id appears twice in the source: keep the first
    films = []
    for film_id in sorted(five.keys() | ten.keys()):
        merged = dict(ten.get(film_id, {}))
        merged.update(
            (key, value) for key, value in five.get(film_id, {}).items() if value not in _EMPTY
        )
        films.append(Film(**merged))
    return tuple(films)


def _rows(path: Path, convert: Any) -> Iterator[dict[str, Any]]:
    if not path.is_file():
        return
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("id", "").strip().isdigit() and row.get("title", row.get("original_title")):
                yield convert(row)


def _from_5000(row: dict[str, str]) -> dict[str, Any]:
    return {
        "id": int(row["id"]),
        "title": row["title"],
        "original_title": row["original_title"] or row["title"],
        "original_language": row["original_language"] or "en",
        "release_date": row["release_date"],
        "overview": row["overview"],
        "tagline": row["tagline"],
        "homepage": row["homepage"],
        "status": row["status"] or "Released",
        "genres": tuple((g["id"], g["name"]) for g in _json(row["genres"])),
        "runtime": _int(row["runtime"]),
        "budget": _int(row["budget"]),
        "revenue": _int(row["revenue"]),
        "popularity": _float(row["popularity"]),
        "vote_average": _float(row["vote_average"]),
        "vote_count": _int(row["vote_count"]),
        "countries": tuple(
            (c["iso_3166_1"], c["name"]) for c in _json(row["production_countries"])
        ),
        "languages": tuple(
            (lang["iso_639_1"], lang["name"]) for lang in _json(row["spoken_languages"])
        ),
        "companies": tuple((c["id"], c["name"]) for c in _json(row["production_companies"])),
        "keywords": tuple((k["id"], k["name"]) for k in _json(row["keywords"])),
    }


def _from_10k(raw: dict[str, str]) -> dict[str, Any]:
    row = {key: repair_mojibake(value) for key, value in raw.items()}
    title = row["original_title"]
    genres = (genre(name) for name in _split(row["genres"]))
    return {
        "id": int(row["id"]),
        "title": title,
        "original_title": title,
        "release_date": _short_date(row["release_date"], row["release_year"]),
        "overview": row["overview"],
        "tagline": row["tagline"],
        "homepage": row["homepage"],
        "genres": tuple(pair for pair in genres if pair is not None),
        "runtime": _int(row["runtime"]),
        "budget": _int(row["budget"]),
        "revenue": _int(row["revenue"]),
        "popularity": _float(row["popularity"]),
        "vote_average": _float(row["vote_average"]),
        "vote_count": _int(row["vote_count"]),
        "companies": tuple(named("company", name) for name in _split(row["production_companies"])),
        "keywords": tuple(named("keyword", name) for name in _split(row["keywords"])),
        "directors": tuple(_split(row["director"])),
        "cast": tuple(_split(row["cast"]))[:5],
        "imdb_id": row["imdb_id"] or None,
    }


def _short_date(short: str, year: str) -> str:
    """`6/9/15` with release_year `2015` -> `2015-06-09` (the 2-digit year is ambiguous)."""
    parts = short.split("/")
    if not year.isdigit():
        return ""
    if len(parts) == 3 and parts[0].isdigit() and parts[1].isdigit():
        return f"{int(year):04d}-{int(parts[0]):02d}-{int(parts[1]):02d}"
    return f"{int(year):04d}-01-01"


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


def _json(value: str) -> list[dict[str, Any]]:
    if not value:
        return []
    parsed = json.loads(value)
    return parsed if isinstance(parsed, list) else []


def _int(value: str) -> int:
    try:
        return int(float(value))
    except ValueError:
        return 0


def _float(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 0.0
