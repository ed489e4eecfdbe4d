"""StandinConfig: every knob of the TMDB stand-in (also the CLI's options)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class StandinConfig:
    """Defaults behave like a healthy TMDB with its (old) 40 requests per second limit.

    - `api_key` / `bearer_token`: a request authenticates with `?api_key=` equal to the key,
      or, when `bearer_token` is set, with `Authorization: Bearer <token>`.
    - `rate_limit`: requests per sliding second per server (0 = unlimited); beyond -> 429.
    - `latency_ms` ± `jitter_ms`: delay before answering (seeded by `seed`).
    - `error_rate`: share of requests answered 502/503/504 at once.
    - `timeout_rate`: share of requests held for `hang_seconds`, then answered 504
      (a client with a shorter timeout sees a timeout).
    - `max_connections`: requests in flight at once (0 = unlimited); beyond -> 429.
    - `synthesise`: a search matching nothing returns one deterministic synthetic film.
    - `real_world`: searches also return what real TMDB returns beside a film for its title
      (making-of documentaries, featurettes, same-title shorts and TV movies of other years,
      undated entries, titles in other scripts, now and then an obscure same-title film of
      the same year): deterministic companions of every film, see `standin.real_world`.
    - `data_dir`: folder holding tmdb5000/ and tmdb10k-udacity/ (None = ../shared/data;
      a folder without them = an empty catalogue).
    - `extra_films`: dicts added to the catalogue (see `films.film_from_dict`).
    - `clock`: monotonic seconds, for the rate limiter (tests pass a fake one).
    """

    api_key: str = field(default="standin-key", repr=False)
    bearer_token: str | None = field(default=None, repr=False)
    rate_limit: int = 40
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    error_rate: float = 0.0
    timeout_rate: float = 0.0
    hang_seconds: float = 15.0
    max_connections: int = 20
    synthesise: bool = False
    real_world: bool = False
    data_dir: Path | None = None
    extra_films: Sequence[Mapping[str, Any]] = ()
    seed: int = 0
    clock: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("error_rate", "timeout_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        if self.error_rate + self.timeout_rate > 1.0:
            raise ValueError("error_rate + timeout_rate must not exceed 1")
        for name in ("rate_limit", "max_connections", "latency_ms", "jitter_ms", "hang_seconds"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
