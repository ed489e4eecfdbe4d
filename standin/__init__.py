"""A TMDB v3 stand-in server: real TMDB shapes, status codes, headers and errors, served from
the shared catalogue CSVs, with knobs for rate limits, latency, errors and timeouts.

Real-world mode (`StandinConfig(real_world=True)`, `--real-world`): a title search also returns
what real TMDB returns beside the film, deterministic companions of every film
(`standin.real_world`: making-ofs, same-title shorts and TV movies, undated entries…).

TV: `GET /3/search/tv` and `GET /3/tv/{id}` (`append_to_response=aggregate_credits,keywords`)
serve a handful of miniseries, listed by `tv_titles()` (ids from `TV_ID_MIN + 1`).

Watch providers (JustWatch's data, `standin.providers`): `watch/providers` appended to
`GET /3/movie/{id}` and `GET /3/tv/{id}`, and standalone (`GET /3/movie/{id}/watch/providers`,
`GET /3/tv/{id}/watch/providers`, with `id`; /__stats counts these as `watch_providers`), in
TMDB's shape, made up deterministically per work and region; one work in five is offered nowhere.

Collections and filmographies (`standin.franchises`, `standin.people`): `belongs_to_collection`
in `GET /3/movie/{id}`, `GET /3/collection/{id}` and `GET /3/person/{id}/movie_credits`, derived
once per catalogue (on first use) from its titles and credits; /__stats counts `collection` and
`person`.

`create_standin_app(StandinConfig(...))` builds the app; `python -m standin` runs
it; `tests/fixtures/servers.py` runs it on a loopback port inside a test.
"""

from __future__ import annotations

from standin.app import create_standin_app
from standin.catalogue import Catalogue, load_catalogue
from standin.config import StandinConfig
from standin.films import Film, film_from_dict
from standin.series import TV_ID_MIN, Series, tv_titles

__all__ = [
    "TV_ID_MIN",
    "Catalogue",
    "Film",
    "Series",
    "StandinConfig",
    "create_standin_app",
    "film_from_dict",
    "load_catalogue",
    "tv_titles",
]
