"""Where a film can be watched, as we keep it (pure): TMDB's `watch/providers` answer (JustWatch's
data), one `watch_offers` row per region, each offer a compact [provider id, name, logo path,
display priority], by type (`OFFER_TYPES`), in TMDB's display order."""

from __future__ import annotations

from typing import Any, TypedDict

from letterboxd_stats.tmdb.decision import TmdbKind
from letterboxd_stats.tmdb.schemas import OFFER_TYPES, Offer, RegionOffers, WatchProviders

__all__ = ["OFFER_TYPES", "OfferRow", "offer_rows"]


class OfferRow(TypedDict):
    """Column values of one `watch_offers` row."""

    kind: TmdbKind
    tmdb_id: int
    region: str
    link: str | None
    offers: dict[str, list[list[Any]]]


def _packed(offers: list[Offer]) -> list[list[Any]]:
    ordered = sorted(offers, key=lambda o: (o.display_priority is None, o.display_priority or 0))
    seen: set[int] = set()
    packed = []
    for o in ordered:  # a provider once per type
        if o.provider_id not in seen:
            seen.add(o.provider_id)
            packed.append([o.provider_id, o.provider_name, o.logo_path, o.display_priority])
    return packed


def region_offers(region: RegionOffers) -> dict[str, list[list[Any]]]:
    """The region's offers by type; a type without any is left out."""
    packed = {kind: _packed(getattr(region, kind)) for kind in OFFER_TYPES}
    return {kind: offers for kind, offers in packed.items() if offers}


def offer_rows(kind: TmdbKind, tmdb_id: int, providers: WatchProviders) -> list[OfferRow]:
    """The rows of one film: a region without any offer has none."""
    rows: list[OfferRow] = []
    for region, offers in sorted(providers.results.items()):
        packed = region_offers(offers)
        if packed:
            rows.append(
                {
                    "kind": kind,
                    "tmdb_id": tmdb_id,
                    "region": region,
                    "link": offers.link,
                    "offers": packed,
                }
            )
    return rows
