"""Regions (countries) by their ISO 3166-1 alpha-2 code, as TMDB's watch providers name them:
known codes and their English names from pycountry (the ISO 3166 tables), never a typed list."""

from __future__ import annotations

import functools

import pycountry


@functools.cache
def region_name(code: str) -> str | None:
    """The region's English common name (else its name); None for a code ISO 3166-1 lacks."""
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if country is None:
        return None
    return str(getattr(country, "common_name", None) or country.name)


def region_code(value: str) -> str:
    """The code, upper-cased, if ISO 3166-1 has it; else ValueError with a message."""
    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha() or region_name(code) is None:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 region code (e.g. US, GB, FR)")
    return code
