"""How a film was matched (pure): one record from the matcher (`matching.decide`) through the
global cache (`tmdb_matches`) to the film's row."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class MatchStatus(enum.StrEnum):
    pending = "pending"
    matched = "matched"
    needs_review = "needs_review"
    unmatched = "unmatched"
    failed = "failed"


@dataclass(frozen=True, slots=True)
class MatchDecision:
    """`tmdb_id` is None unless matched or in review; a film TMDB could not be asked about
    (`failed`) has no confidence and no method."""

    tmdb_id: int | None
    confidence: float | None
    method: str | None
    status: MatchStatus
    reason: str | None
