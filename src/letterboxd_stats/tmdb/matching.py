"""Match a Letterboxd film (title and year only) to a TMDB movie id. Pure: no I/O.

The job climbs a ladder of `GET /search/movie` calls (`search_ladder`), feeds every result seen so
far to `decide`, and stops as soon as `is_final` says the decision is a confident match.

A candidate's score is 0.94 x its title similarity (the best of `title` and `original_title`; an
exact normalised match is 1.0, anything else at most 0.85) x a year factor (same year 1.0, one
year off 0.9, two 0.6, unknown date 0.7, further 0.3), plus up to 0.06 of log-scaled popularity,
which lets a feature beat an obscure short of the same title. The confidence is the best score,
pushed below `ACCEPT` when the runner-up is within `MARGIN` of it. So an exact title within a
year of Letterboxd's is `matched` unless a rival is as good; anything else goes to review.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from letterboxd_stats.tmdb.decision import MatchDecision, MatchStatus
from letterboxd_stats.tmdb.schemas import SearchResult

__all__ = ["MatchDecision", "MatchStatus"]

ACCEPT = 0.82
"""Confidence at or above which a decision is `matched`."""
REVIEW = 0.55
"""Confidence at or above which (and below `ACCEPT`) a decision is `needs_review`."""
MARGIN = 0.02
"""Runner-up closer than this to the best score makes the decision ambiguous."""
NO_YEAR_MARGIN = 0.03
"""Without a year only popularity separates same-titled films: ask for a clearer lead."""

TITLE_WEIGHT = 0.94
POPULARITY_WEIGHT = 0.06
NON_EXACT_CAP = 0.85
"""The best title similarity a non-identical normalised title can reach: with a perfect year it
stays below `ACCEPT` unless the film is popular, so near-misses go to review."""
SUBTITLE_SIMILARITY = 0.78
"""One title is the other plus words before or after (`Orca` / `Orca: The Killer Whale`,
`The Final Conflict` / `Omen III: The Final Conflict`): worth a review, never a match alone."""
NUMBER_MISMATCH = 0.85
"""Multiplies a non-identical similarity when the numbers differ (`Scary Movie` / `... 2`)."""

YEAR_FACTORS = {0: 1.0, 1: 0.9, 2: 0.6}
FAR_YEAR_FACTOR = 0.3
FILTERED_YEAR_DISCOUNT = 0.97
"""A `year=Y` search returned the film: it had some release in Y (a festival premiere, say)."""
UNKNOWN_DATE_FACTOR = 0.7
"""The candidate has no release date (or Letterboxd gave no year and so cannot confirm one)."""
NO_QUERY_YEAR_FACTOR = 0.9


@dataclass(frozen=True, slots=True)
class SearchStep:
    method: str
    params: dict[str, int]


@dataclass(frozen=True, slots=True)
class Scored:
    tmdb_id: int
    score: float
    method: str
    title: str
    release_year: int | None


def search_ladder(year: int | None) -> list[SearchStep]:
    """The searches to try, in order: exact primary release year, any release in that year, one
    year either side, then no year at all."""
    if year is None:
        return [SearchStep("no_year", {})]
    return [
        SearchStep("primary_release_year", {"primary_release_year": year}),
        SearchStep("year", {"year": year}),
        SearchStep("year-1", {"year": year - 1}),
        SearchStep("year+1", {"year": year + 1}),
        SearchStep("no_year", {}),
    ]


_AND = re.compile(r"\s*&\s*")
_APOSTROPHES = re.compile("['\u2019\u2018`\u00b4]")
_NON_WORD = re.compile(r"[^\w]+|_")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an) (?=\S)")
_TRAILING_ARTICLE = re.compile(r", (the|a|an)$", re.IGNORECASE)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise_title(title: str) -> str:
    """A comparable form: casefolded, accents stripped, `&` read as `and`, apostrophes dropped,
    other punctuation turned into spaces, spaces collapsed, digits kept. A leading English article
    is dropped (also the catalogue form `Matrix, The`), unless it is the whole title."""
    text = _TRAILING_ARTICLE.sub("", title.strip())
    text = _strip_accents(text).casefold()
    text = _AND.sub(" and ", text)
    text = _APOSTROPHES.sub("", text)
    text = " ".join(_NON_WORD.sub(" ", text).split())
    return _LEADING_ARTICLE.sub("", text)


MAX_KEY_CHARS = 255
"""The longest match key. The column (`tmdb_matches.match_key`) holds 600: a key always fits."""
HASHED_KEY_PREFIX_CHARS = MAX_KEY_CHARS - 65
"""A longer key keeps this many characters, then `#` and the sha256 of the whole key."""


def match_key(title: str, year: int | None) -> str:
    """Key of the global match cache: the same film typed the same way by anyone hits it.

    `normalised title|year`; one longer than `MAX_KEY_CHARS` (a normalised title can be much
    longer than the title: NFKD expands some characters, `&` becomes `and`) is cut to a prefix
    plus the sha256 of the whole key. `#` never occurs in a normalised title, so a hashed key
    cannot be another film's plain key."""
    return bounded_key(f"{normalise_title(title)}|{year if year is not None else ''}")


def film_match_key(film_key: str | None, title: str, year: int | None) -> str:
    """Key of the global match cache for one film: its Letterboxd identity when its link gives
    one (`ingest.uris.film_key`: `boxd:<id>`, `slug:<slug>`), so that two different films
    with one title and year never share an answer; else `match_key(title, year)`. A link key
    starts with `uri:`, and `:` never occurs in a normalised title: the two never meet."""
    if film_key:
        return bounded_key(f"uri:{film_key}")
    return match_key(title, year)


def bounded_key(key: str) -> str:
    if len(key) <= MAX_KEY_CHARS:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"{key[:HASHED_KEY_PREFIX_CHARS]}#{digest}"


def title_similarity(query: str, candidate: str) -> float:
    """1.0 for identical normalised titles (also ignoring spaces: `Spider-Man` / `Spiderman`),
    `SUBTITLE_SIMILARITY` when one starts or ends with the other, otherwise a fuzzy ratio in
    0..`NON_EXACT_CAP`."""
    if not query or not candidate:
        return 0.0
    if query == candidate or query.replace(" ", "") == candidate.replace(" ", ""):
        return 1.0
    fuzzy = (
        NON_EXACT_CAP
        * max(fuzz.ratio(query, candidate), fuzz.token_sort_ratio(query, candidate))
        / 100
    )
    shorter, longer = sorted((query, candidate), key=len)
    if longer.startswith(shorter + " ") or longer.endswith(" " + shorter):
        fuzzy = max(fuzzy, SUBTITLE_SIMILARITY)
    if _numbers(query) != _numbers(candidate):
        fuzzy *= NUMBER_MISMATCH
    return fuzzy


_ROMAN = {"ii": 2, "iii": 3, "iv": 4, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "xi": 11, "xii": 12}


def _numbers(title: str) -> frozenset[int]:
    """Sequel numbers of a normalised title: digits and the unambiguous roman numerals."""
    return frozenset(
        int(word) if word.isdecimal() else _ROMAN[word]
        for word in title.split()
        if (word.isdecimal() and len(word) < 7) or word in _ROMAN
    )


def release_year(result: SearchResult) -> int | None:
    date = result.release_date
    if date is None or len(date) < 4 or not date[:4].isdigit():
        return None
    return int(date[:4])


def year_factor(query_year: int | None, candidate_year: int | None) -> float:
    if query_year is None:
        return NO_QUERY_YEAR_FACTOR
    if candidate_year is None:
        return UNKNOWN_DATE_FACTOR
    return YEAR_FACTORS.get(abs(query_year - candidate_year), FAR_YEAR_FACTOR)


def popularity(result: SearchResult) -> float:
    """0..1, log-scaled: 10,000 votes (or popularity 1,000) is the top."""
    votes = float(result.vote_count or 0)
    pop = max(0.0, result.popularity or 0.0)
    return min(1.0, max(math.log10(1 + votes) / 4, math.log10(1 + pop) / 3))


def score(
    query_title: str, query_year: int | None, result: SearchResult, step: SearchStep
) -> float:
    """Title similarity times year factor, plus the popularity bonus. `query_title` is already
    normalised. A film returned by a `year`-filtered search had some release in that year
    (a festival premiere, say), which counts as the year matching that well."""
    titles = {result.title, result.original_title}
    similarity = max(
        (title_similarity(query_title, normalise_title(t)) for t in titles if t is not None),
        default=0.0,
    )
    factor = year_factor(query_year, release_year(result))
    filtered = step.params.get("year")
    if query_year is not None and filtered is not None:
        factor = max(factor, FILTERED_YEAR_DISCOUNT * year_factor(query_year, filtered))
    return TITLE_WEIGHT * similarity * factor + POPULARITY_WEIGHT * popularity(result)


def rank(
    title: str, year: int | None, seen: Sequence[tuple[SearchStep, SearchResult]]
) -> list[Scored]:
    """One entry per TMDB id, best score first; `method` is the first step that returned it."""
    query = normalise_title(title)
    best: dict[int, Scored] = {}
    for step, result in seen:
        tmdb_id = result.id
        value = score(query, year, result, step)
        previous = best.get(tmdb_id)
        if previous is None or value > previous.score:
            method = previous.method if previous is not None else step.method
            name = result.title or result.original_title or ""
            best[tmdb_id] = Scored(tmdb_id, value, method, name, release_year(result))
    return sorted(best.values(), key=lambda s: (-s.score, s.tmdb_id))


def _describe(title: str, year: int | None) -> str:
    return f"{title!r} ({year})" if year is not None else repr(title)


def decide(
    title: str, year: int | None, seen: Sequence[tuple[SearchStep, SearchResult]]
) -> MatchDecision:
    ranked = rank(title, year, seen)
    if not ranked:
        return MatchDecision(
            None, 0.0, "none", MatchStatus.unmatched, f"no TMDB result for {_describe(title, year)}"
        )
    top = ranked[0]
    confidence = min(1.0, top.score)
    reason: str | None = None
    margin = MARGIN if year is not None else NO_YEAR_MARGIN
    if len(ranked) > 1 and top.score - ranked[1].score < margin:
        runner = ranked[1]
        confidence = min(confidence, ACCEPT - 0.01 - (margin - (top.score - runner.score)))
        reason = (
            f"ambiguous: {runner.title!r} ({runner.release_year}, id {runner.tmdb_id}) "
            f"scored {runner.score:.2f} against {top.score:.2f}"
        )
    confidence = round(max(0.0, confidence), 4)
    if confidence >= ACCEPT:
        return MatchDecision(top.tmdb_id, confidence, top.method, MatchStatus.matched, None)
    if confidence >= REVIEW:
        reason = reason or f"best candidate scored {confidence:.2f}"
        return MatchDecision(top.tmdb_id, confidence, top.method, MatchStatus.needs_review, reason)
    return MatchDecision(
        None,
        confidence,
        "none",
        MatchStatus.unmatched,
        f"best candidate for {_describe(title, year)} ({top.title!r}, {top.release_year}) "
        f"scored {confidence:.2f}",
    )


def is_final(decision: MatchDecision) -> bool:
    """Stop climbing the ladder: the decision is a confident match."""
    return decision.status is MatchStatus.matched


def tv_search_ladder(year: int | None) -> list[SearchStep]:
    """The TV search for a film no movie matched with confidence: one request (it is asked for
    every such film, most of which are no series): the series that first aired in that year
    (Letterboxd dates a series by its first air date), or any year for a film without one."""
    if year is None:
        return [SearchStep("tv_no_year", {})]
    return [SearchStep("tv_first_air_date_year", {"first_air_date_year": year})]
