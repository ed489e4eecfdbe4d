"""Where a film or series can be watched: TMDB's `watch/providers` (JustWatch's data), made up
deterministically per (kind, TMDB id, region) (pure).

TMDB v3's shape, as recorded in `../shared/data/tmdb-api-samples` (movie 550 and 603, 2025):
`{"results": {"US": {"link": …, "flatrate": [offer…], "rent": […], "buy": […]}, …}}`, where an
offer is `{logo_path, provider_id, provider_name, display_priority}`. A region is present only
when the work is offered there, an offer type only when non-empty; `link` is always there. The
standalone endpoint adds the work's `id` first.

The providers are real TMDB providers (real ids and names; the logo paths are made up but
stable), each with the offer types it plausibly gives and the regions (of `REGIONS`) where it
operates. One work in five is offered nowhere (`results` is `{}`); the others are offered in a
subset of `REGIONS` (US for most), each region with 0-2 subscription (`flatrate`), 1-3 `rent`
and 1-3 `buy` providers and at most one `ads` and one `free` provider. Every choice comes from
blake2b hashes of the ids (`text.stable_int`), never `hash()` or unseeded randomness, so every
run and process gives the same answer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Literal

from standin.text import fake_path, normalise, stable_int

Kind = Literal["movie", "tv"]
Body = dict[str, Any]

#: The regions (ISO 3166-1) the stand-in offers works in, with the chance that a work offered
#: somewhere is offered there (one offered nowhere else is offered in the US).
REGION_RATES: dict[str, float] = {
    "US": 0.9, "GB": 0.6, "CA": 0.6, "AU": 0.5, "DE": 0.5, "FR": 0.45,
    "ES": 0.4, "IT": 0.4, "NL": 0.35, "SE": 0.35, "JP": 0.3, "BR": 0.4,
}  # fmt: skip
REGIONS: tuple[str, ...] = tuple(REGION_RATES)
OFFER_TYPES = ("flatrate", "rent", "buy", "ads", "free")
NOWHERE_ONE_IN = 5


@dataclass(frozen=True, slots=True)
class Provider:
    id: int
    name: str
    offers: frozenset[str]  # of OFFER_TYPES
    regions: frozenset[str]  # of REGIONS
    display_priority: int

    @property
    def logo_path(self) -> str:
        return fake_path("provider-logo", self.id)

    def offer(self) -> Body:
        """One offer as TMDB lists it, in TMDB's key order."""
        return {
            "logo_path": self.logo_path,
            "provider_id": self.id,
            "provider_name": self.name,
            "display_priority": self.display_priority,
        }


def _provider(provider_id: int, name: str, offers: str, regions: str, priority: int) -> Provider:
    where = frozenset(REGIONS if regions == "*" else regions.split())
    return Provider(provider_id, name, frozenset(offers.split()), where, priority)


#: Real TMDB providers (id, name), what they offer and where (of `REGIONS`; "*": everywhere).
PROVIDERS: tuple[Provider, ...] = (
    _provider(8, "Netflix", "flatrate", "*", 0),
    _provider(9, "Amazon Prime Video", "flatrate", "*", 1),
    _provider(337, "Disney Plus", "flatrate", "*", 2),
    _provider(1899, "Max", "flatrate", "US ES NL SE BR", 3),
    _provider(15, "Hulu", "flatrate", "US JP", 4),
    _provider(10, "Amazon Video", "rent buy", "US GB DE JP", 5),
    _provider(2, "Apple TV", "rent buy", "*", 6),
    _provider(531, "Paramount Plus", "flatrate", "US CA AU GB DE FR IT BR", 7),
    _provider(3, "Google Play Movies", "rent buy", "*", 16),
    _provider(192, "YouTube", "rent buy", "*", 17),
    _provider(73, "Tubi TV", "ads free", "US CA AU GB", 19),
    _provider(300, "Pluto TV", "ads free", "US CA GB DE FR ES IT BR", 20),
    _provider(11, "MUBI", "flatrate", "*", 22),
    _provider(258, "Criterion Channel", "flatrate", "US CA", 25),
    _provider(191, "Kanopy", "free", "US CA AU GB", 30),
)


def offered_regions(kind: Kind, tmdb_id: int) -> tuple[str, ...]:
    """The regions (in `REGIONS` order) where the work is offered; none for one in five."""
    if stable_int("watch/providers", kind, tmdb_id) % NOWHERE_ONE_IN == 0:
        return ()
    chosen = tuple(
        region
        for region, rate in REGION_RATES.items()
        if stable_int("watch/providers", kind, tmdb_id, region) % 10_000 < rate * 10_000
    )
    return chosen or ("US",)


def offers(kind: Kind, tmdb_id: int, region: str) -> dict[str, list[Body]]:
    """The work's offers in `region` by type (only the non-empty types, in `OFFER_TYPES`
    order, each list by display priority); `{}` where it is not offered."""
    if region not in offered_regions(kind, tmdb_id):
        return {}
    return _offers(kind, tmdb_id, region)


def _offers(kind: Kind, tmdb_id: int, region: str) -> dict[str, list[Body]]:
    rng = random.Random(stable_int("watch/providers", kind, tmdb_id, region, "offers"))
    here = [p for p in PROVIDERS if region in p.regions]

    def able(offer_type: str) -> list[Provider]:
        return [p for p in here if offer_type in p.offers]

    chosen: dict[str, list[Provider]] = {
        "flatrate": rng.sample(able("flatrate"), k=rng.choice((0, 1, 1, 2))),
        "rent": rng.sample(able("rent"), k=rng.randint(1, 3)),
        "buy": rng.sample(able("buy"), k=rng.randint(1, 3)),
        "ads": [],
        "free": [],
    }
    if able("ads") and rng.random() < 0.3:
        chosen["ads"] = [rng.choice(able("ads"))]
    free = [p for p in able("free") if p not in chosen["ads"]]
    if free and rng.random() < 0.2:
        chosen["free"] = [rng.choice(free)]
    return {
        offer_type: [p.offer() for p in sorted(listed, key=lambda p: (p.display_priority, p.id))]
        for offer_type, listed in chosen.items()
        if listed
    }


def watch_link(kind: Kind, tmdb_id: int, title: str, region: str) -> str:
    """TMDB's watch page of the work: `…/movie/550-fight-club/watch?locale=US`."""
    slug = normalise(title).replace(" ", "-")
    work = f"{tmdb_id}-{slug}" if slug else str(tmdb_id)
    return f"https://www.themoviedb.org/{kind}/{work}/watch?locale={region}"


def watch_providers(kind: Kind, tmdb_id: int, title: str) -> Body:
    """The appended `watch/providers` body: `{"results": {region: {link, offers…}}}`."""
    return {
        "results": {
            region: {
                "link": watch_link(kind, tmdb_id, title, region),
                **_offers(kind, tmdb_id, region),
            }
            for region in offered_regions(kind, tmdb_id)
        }
    }
