"""Letterboxd links, in every form an export has used: one key per film. Pure.

Exports name a film (or a diary entry, or a review) by a link in the `Letterboxd URI` column
(`URL` in lists). The form changed over the years:

- today: the short link `https://boxd.it/<id>`. In watched.csv, ratings.csv, watchlist.csv,
  likes/films.csv and lists it names the film; in diary.csv and reviews.csv it names the diary
  entry or review (another id space): such a key identifies the entry, not its film.
- before about 2020: the film's page `https://letterboxd.com/film/<slug>/`, and for diary entries
  and reviews the member's page of the film, `https://letterboxd.com/<user>/film/<slug>/`, which
  ends in `/1/`, `/2/`… for the rewatches of one film. Both name the film itself (its slug).

`film_key` maps every form to one string: `boxd:<id>` or `slug:<slug>`. The same film gets the
same key from any of its links of one form (http or https, `www.` or not, with or without the
trailing slash, any case in the host, a query or fragment after it). A short link and a slug
link of the same film get different keys: nothing in a link relates the two.
"""

from __future__ import annotations

import re

__all__ = ["BOXD_PREFIX", "SLUG_PREFIX", "film_key"]

BOXD_PREFIX = "boxd:"
SLUG_PREFIX = "slug:"

# scheme (optional) + host + path; the query and fragment are dropped.
_LINK = re.compile(
    r"^(?:https?://)?(?P<host>[^/?#\s]+)(?P<path>/[^?#\s]*)?(?:[?#]\S*)?$", re.IGNORECASE
)
_BOXD_HOSTS = frozenset({"boxd.it", "www.boxd.it"})
_LETTERBOXD_HOSTS = frozenset({"letterboxd.com", "www.letterboxd.com"})
# A short link's id and a film's slug: what Letterboxd uses (letters, digits, `-`, `_`).
_BOXD_ID = re.compile(r"^[A-Za-z0-9]+$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_USERNAME = re.compile(r"^[A-Za-z0-9_]+$")


def film_key(uri: str | None) -> str | None:
    """The key of the film (or, for a short link from diary.csv or reviews.csv, the entry) that
    `uri` names: `boxd:<id>` for `https://boxd.it/<id>` (the id kept as written: ids are
    case-sensitive), `slug:<slug>` for `https://letterboxd.com/film/<slug>/` and
    `https://letterboxd.com/<user>/film/<slug>/[<n>/]` (the slug in lower case); None for an
    empty value or anything else (another site, another page of Letterboxd)."""
    if uri is None:
        return None
    match = _LINK.match(uri.strip())
    if match is None:
        return None
    host = match["host"].lower()
    parts = [part for part in (match["path"] or "").split("/") if part]
    if host in _BOXD_HOSTS:
        if len(parts) == 1 and _BOXD_ID.match(parts[0]):
            return BOXD_PREFIX + parts[0]
        return None
    if host not in _LETTERBOXD_HOSTS:
        return None
    slug: str | None = None
    if len(parts) == 2 and parts[0].lower() == "film":
        slug = parts[1]
    elif (
        len(parts) in (3, 4)
        and parts[1].lower() == "film"
        and _USERNAME.match(parts[0])
        and (len(parts) == 3 or (parts[3].isascii() and parts[3].isdigit()))
    ):
        slug = parts[2]
    if slug is None:
        return None
    slug = slug.lower()
    return SLUG_PREFIX + slug if _SLUG.match(slug) else None
