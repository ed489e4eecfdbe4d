"""Shared bits of the stand-in tests: tiny catalogues and a client on the app in memory."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx

from standin import StandinConfig, create_standin_app
from tests.conftest import SHARED_DATA

KEY = "standin-key"
AUTH = {"api_key": KEY}
NO_DATA = Path(__file__).resolve().parent / "no-such-data-dir"
HAS_SHARED_DATA = (SHARED_DATA / "tmdb5000" / "tmdb_5000_movies.csv").is_file()
NEEDS_SHARED_DATA = f"TMDB catalogue CSVs not present under {SHARED_DATA} (../shared/data)"

TINY_FILMS: list[Mapping[str, Any]] = [
    {"id": 1, "title": "Solaris", "release_date": "1972-03-20", "popularity": 10.0,
     "genres": ["Drama", "Science Fiction"], "director": "Andrei Tarkovsky",
     "cast": ["Natalya Bondarchuk", "Donatas Banionis"], "production_countries": ["SU"],
     "spoken_languages": ["ru"], "original_language": "ru", "keywords": ["space station"],
     "imdb_id": "tt0069293", "runtime": 167},
    {"id": 2, "title": "Solaris", "release_date": "2002-11-27", "popularity": 30.0,
     "genres": ["Drama"], "director": "Steven Soderbergh", "cast": ["George Clooney"]},
    {"id": 3, "title": "Alien", "release_date": "1979-05-25", "popularity": 10.0},
    {"id": 4, "title": "Aliens", "release_date": "1986-07-18", "popularity": 90.0},
    {"id": 5, "title": "The Alien Within", "release_date": "1995-01-01", "popularity": 99.0},
    {"id": 6, "title": "Nation of the Alien", "release_date": "1990-01-01", "popularity": 80.0},
    {"id": 7, "title": "Alien Nation", "release_date": "1988-10-07", "popularity": 5.0},
    {"id": 8, "title": "Amélie", "original_title": "Le Fabuleux Destin d'Amélie Poulain",
     "original_language": "fr", "release_date": "2001-04-25", "popularity": 40.0},
]  # fmt: skip


def tiny(**overrides: Any) -> StandinConfig:
    """A stand-in with only TINY_FILMS, no rate limit (tests override what they test)."""
    base = StandinConfig(data_dir=NO_DATA, extra_films=TINY_FILMS, rate_limit=0)
    return replace(base, **overrides)


def client_for(config: StandinConfig) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_standin_app(config))
    return httpx.AsyncClient(transport=transport, base_url="http://standin")
