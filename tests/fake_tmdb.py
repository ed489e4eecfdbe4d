"""A tiny fake TMDB for unit tests, served through `httpx.MockTransport` (the HTTP boundary).
Integration tests use the project's stand-in server on a real port instead."""

from __future__ import annotations

import asyncio
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

API_KEY = "fake-key"


@dataclass
class FakeFilm:
    id: int
    title: str
    year: int
    popularity: float = 10.0
    original_title: str | None = None

    def result(self) -> dict[str, Any]:
        return {
            "adult": False,
            "backdrop_path": None,
            "genre_ids": [18],
            "id": self.id,
            "original_language": "en",
            "original_title": self.original_title or self.title,
            "overview": "",
            "popularity": self.popularity,
            "poster_path": f"/p{self.id}.jpg",
            "release_date": f"{self.year}-06-01",
            "title": self.title,
            "video": False,
            "vote_average": 7.5,
            "vote_count": 1000,
        }

    def details(self) -> dict[str, Any]:
        return self.result() | {
            "genres": [{"id": 18, "name": "Drama"}, {"id": 80, "name": "Crime"}],
            "runtime": 100 + self.id % 50,
            "production_countries": [{"iso_3166_1": "US", "name": "United States of America"}],
            "spoken_languages": [{"english_name": "English", "iso_639_1": "en", "name": "English"}],
            "production_companies": [
                {"id": 1, "logo_path": None, "name": "Studio", "origin_country": "US"}
            ],
            "credits": {
                "cast": [
                    {
                        "id": 1000 + self.id,
                        "name": f"Actor {self.id}",
                        "profile_path": None,
                        "character": "Lead",
                        "order": 0,
                    },
                    {
                        "id": 2000 + self.id,
                        "name": f"Actress {self.id}",
                        "profile_path": "/a.jpg",
                        "character": "Other",
                        "order": 1,
                    },
                ],
                "crew": [
                    {
                        "id": 3000 + self.id,
                        "name": f"Director {self.id}",
                        "profile_path": None,
                        "job": "Director",
                        "department": "Directing",
                    },
                    {
                        "id": 4000,
                        "name": "Grip",
                        "profile_path": None,
                        "job": "Grip",
                        "department": "Crew",
                    },
                ],
            },
            "keywords": {"keywords": [{"id": 1, "name": "heist"}]},
            "release_dates": {"results": []},
        }


@dataclass
class FakeTmdb:
    films: list[FakeFilm]
    reject_key: bool = False
    failing_ids: set[int] = field(default_factory=set)
    requests: Counter[str] = field(default_factory=Counter)
    movie_requests: Counter[int] = field(default_factory=Counter)  # details asked, by TMDB id
    hold_after: int | None = None  # after this many requests, later ones wait for `release`
    chaos: float = 0.0  # share of requests answered with a random fault (seeded)
    seed: int = 0
    script: list[str] = field(default_factory=list)  # faults (`_fault` kinds) to answer first
    faults: Counter[str] = field(default_factory=Counter)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    served: int = 0

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if self.hold_after is not None and self.served >= self.hold_after:
            await self.release.wait()
        self.served += 1
        if self.script:
            return self._fault(request, self.script.pop(0))
        if self.chaos and self._rng().random() < self.chaos:
            return self._fault(request)
        if self.reject_key or request.url.params.get("api_key") != API_KEY:
            self.requests["401"] += 1
            return httpx.Response(
                401,
                json={
                    "status_code": 7,
                    "status_message": "Invalid API key: You must be granted a valid key.",
                    "success": False,
                },
            )
        path = request.url.path
        if path == "/3/search/movie":
            self.requests["search"] += 1
            return httpx.Response(200, json=self.search(request.url.params))
        if match := re.fullmatch(r"/3/movie/(\d+)", path):
            self.requests["movie"] += 1
            tmdb_id = int(match.group(1))
            self.movie_requests[tmdb_id] += 1
            if tmdb_id in self.failing_ids:
                return httpx.Response(
                    503, json={"status_code": 46, "status_message": "maintenance"}
                )
            film = next((f for f in self.films if f.id == tmdb_id), None)
            if film is None:
                return httpx.Response(
                    404,
                    json={
                        "success": False,
                        "status_code": 34,
                        "status_message": "The resource you requested could not be found.",
                    },
                )
            return httpx.Response(200, json=film.details())
        return httpx.Response(404, json={"status_code": 34})

    def search(self, params: httpx.QueryParams) -> dict[str, Any]:
        query = params["query"].casefold()
        year = params.get("primary_release_year") or params.get("year")
        found = [
            f.result()
            for f in self.films
            if query in f.title.casefold() and (year is None or str(f.year) == year)
        ]
        return {"page": 1, "results": found[:20], "total_pages": 1, "total_results": len(found)}

    def _rng(self) -> random.Random:
        if not hasattr(self, "_random"):
            self._random = random.Random(self.seed)
        return self._random

    def _fault(self, request: httpx.Request, kind: str | None = None) -> httpx.Response:
        """One of the ways TMDB (or the network) misbehaves."""
        kind = kind or self._rng().choice(
            ["503", "502", "timeout", "reset", "429", "429-no-retry-after", "not-json", "missing"]
        )
        self.faults[kind] += 1
        if kind == "timeout":
            raise httpx.ReadTimeout("injected", request=request)
        if kind == "reset":
            raise httpx.RemoteProtocolError("connection reset", request=request)
        if kind in ("503", "502"):
            return httpx.Response(int(kind), json={"status_code": 46, "status_message": "x"})
        if kind == "429":
            return httpx.Response(429, json={"status_code": 25}, headers={"Retry-After": "0"})
        if kind == "429-no-retry-after":
            return httpx.Response(429, json={"status_code": 25})
        if kind == "not-json":
            return httpx.Response(200, content=b"<html>Bad gateway</html>")
        return httpx.Response(200, json={"page": 1})  # a 200 with missing fields
