"""How a film was matched (pure): one record from the matcher (`matching.decide`) through the
global cache (`tmdb_matches`) to the film's row."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class TmdbKind(enum.StrEnum):
    """What a TMDB id names: a movie, or a TV series (Letterboxd lists some miniseries and
    specials). Their ids are two separate spaces: movie 1399 and series 1399 are unrelated."""

    movie = "movie"
    tv = "tv"


class MatchStatus(enum.StrEnum):
    pending = "pending"
    matched = "matched"
    needs_review = "needs_review"
    unmatched = "unmatched"
    failed = "failed"


@dataclass(frozen=True, slots=True)
class MatchDecision:
    """`tmdb_id` is None unless matched or in review, and names a `kind` of TMDB entry; a film
    TMDB could not be asked about (`failed`) has no confidence and no method."""

    tmdb_id: int | None
    confidence: float | None
    method: str | None
    status: MatchStatus
    reason: str | None
    kind: TmdbKind = TmdbKind.movie
