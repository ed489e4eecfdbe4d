"""A TMDB v3 stand-in server: real TMDB shapes, status codes, headers and errors, served from
the shared catalogue CSVs, with knobs for rate limits, latency, errors and timeouts.

`create_standin_app(StandinConfig(...))` builds the app; `python -m standin` runs
it; `tests/fixtures/servers.py` runs it on a loopback port inside a test.
"""

from __future__ import annotations

from standin.app import create_standin_app
from standin.catalogue import Catalogue, load_catalogue
from standin.config import StandinConfig
from standin.films import Film, film_from_dict

__all__ = [
    "Catalogue",
    "Film",
    "StandinConfig",
    "create_standin_app",
    "film_from_dict",
    "load_catalogue",
]
