"""How often the search ladder + `decide` finds the TMDB id Letterboxd itself links to.

Ground truth: ../shared/data/letterboxd-tmdb-map (TMDB ids scraped from Letterboxd film pages).
Catalogue: the real TMDB rows of ../shared/data/tmdb5000 and ../shared/data/tmdb10k-udacity; only
ground-truth films present there can be found, so only those rows are used. Searches go to the
TMDB stand-in (`standin`) in two modes: normal (the catalogue's films only) and real-world
(`StandinConfig.real_world`: every film with what real TMDB returns beside it, making-ofs,
same-title shorts, undated entries…); `--local` searches the two CSVs with a search written here.

Each film ends in one of three outcomes: right and confident (`matched`, the truth's id), sent
to review (`needs_review` or `unmatched`: the user is asked), wrong and confident (`matched`,
another id: silently wrong; bound: at most 0.2 %). Prints the misses and a table of the figures
with their bounds; writes bench/results/matching.json.

    .venv/bin/python -m bench.matching_accuracy [--mode normal|real-world|both] [--local]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
from standin.text import repair_mojibake

from bench.common import print_table, write_results
from letterboxd_stats.tmdb.matching import (
    MatchDecision,
    SearchStep,
    decide,
    is_final,
    normalise_title,
    search_ladder,
    title_similarity,
)
from letterboxd_stats.tmdb.schemas import SearchAnswer, SearchResult

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
TRUTH = DATA / "letterboxd-tmdb-map" / "letterboxd_tmdb_map.csv"
TMDB5000 = DATA / "tmdb5000" / "tmdb_5000_movies.csv"
TMDB10K = DATA / "tmdb10k-udacity" / "tmdb-movies.csv"
RESULTS = ROOT / "bench" / "results"

GOAL_CORRECT = 0.98
GOAL_FLAGGED = 0.80
BOUND_WRONG_CONFIDENT = 0.002
MODES = ("normal", "real-world")
PAGE = 20

SearchFn = Callable[[str, dict[str, int]], Awaitable[list[dict[str, Any]]]]


@dataclass(frozen=True, slots=True)
class TruthRow:
    name: str
    year: int | None
    tmdb_id: int


@dataclass(slots=True)
class Truth:
    rows: list[TruthRow]
    total: int
    excluded: dict[str, int]


@dataclass(frozen=True, slots=True)
class Outcome:
    name: str
    year: int | None
    truth: int
    truth_film: str
    chosen: int | None
    chosen_film: str | None
    status: str
    confidence: float
    method: str
    searches: int
    reason: str | None


@dataclass(slots=True)
class Report:
    backend: str
    rows_total: int
    excluded: dict[str, int]
    rows_used: int
    correct: int
    correct_matched: int
    wrong: int
    wrong_flagged: int
    searches: int
    statuses: dict[str, int] = field(default_factory=dict)
    misses: list[Outcome] = field(default_factory=list)

    @property
    def share_correct(self) -> float:
        return self.correct / self.rows_used if self.rows_used else 0.0

    @property
    def share_wrong_flagged(self) -> float:
        return self.wrong_flagged / self.wrong if self.wrong else 1.0

    @property
    def wrong_confident(self) -> int:
        return self.wrong - self.wrong_flagged

    @property
    def sent_to_review(self) -> int:
        return self.rows_used - self.correct_matched - self.wrong_confident

    def share(self, count: int) -> float:
        return count / self.rows_used if self.rows_used else 0.0

    @property
    def searches_per_film(self) -> float:
        return self.searches / self.rows_used if self.rows_used else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "rows_total": self.rows_total,
            "excluded": self.excluded,
            "rows_used": self.rows_used,
            "correct": self.correct,
            "share_correct": round(self.share_correct, 4),
            "correct_matched": self.correct_matched,
            "wrong": self.wrong,
            "wrong_flagged": self.wrong_flagged,
            "share_wrong_flagged": round(self.share_wrong_flagged, 4),
            "right_confident": self.correct_matched,
            "sent_to_review": self.sent_to_review,
            "wrong_confident": self.wrong_confident,
            "share_right_confident": round(self.share(self.correct_matched), 4),
            "share_sent_to_review": round(self.share(self.sent_to_review), 4),
            "share_wrong_confident": round(self.share(self.wrong_confident), 4),
            "searches_per_film": round(self.searches_per_film, 3),
            "statuses": self.statuses,
            "goals": {
                "share_correct": GOAL_CORRECT,
                "share_wrong_flagged": GOAL_FLAGGED,
                "share_wrong_confident_at_most": BOUND_WRONG_CONFIDENT,
            },
            "misses": [asdict(m) for m in self.misses],
        }


# --- the catalogue -------------------------------------------------------------------------------


def _float(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 0.0


def load_catalogue(tmdb5000: Path = TMDB5000, tmdb10k: Path = TMDB10K) -> dict[int, dict[str, Any]]:
    """TMDB search-result dicts by id. TMDB 5000 wins where both files have a film (it has the
    English `title` next to `original_title` and ISO dates); the Udacity file has only
    `original_title`, which serves as both."""
    catalogue: dict[int, dict[str, Any]] = {}
    genre_ids: dict[str, int] = {}
    with tmdb5000.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            genres = json.loads(row["genres"] or "[]")
            genre_ids.update({g["name"]: g["id"] for g in genres})
            catalogue[int(row["id"])] = {
                "id": int(row["id"]),
                "title": row["title"],
                "original_title": row["original_title"],
                "original_language": row["original_language"],
                "release_date": row["release_date"],
                "popularity": _float(row["popularity"]),
                "vote_count": int(_float(row["vote_count"])),
                "vote_average": _float(row["vote_average"]),
                "genre_ids": [g["id"] for g in genres],
            }
    with tmdb10k.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            tmdb_id = int(row["id"])
            if tmdb_id in catalogue:
                continue
            month, day, _ = [*row["release_date"].split("/"), "", "", ""][:3]
            date = (
                f"{int(row['release_year']):04d}-{int(month):02d}-{int(day):02d}"
                if row["release_year"].isdigit() and month.isdigit() and day.isdigit()
                else ""
            )
            title = repair_mojibake(row["original_title"])
            catalogue[tmdb_id] = {
                "id": tmdb_id,
                "title": title,
                "original_title": title,
                "release_date": date,
                "popularity": _float(row["popularity"]),
                "vote_count": int(_float(row["vote_count"])),
                "vote_average": _float(row["vote_average"]),
                "genre_ids": [genre_ids[g] for g in row["genres"].split("|") if g in genre_ids],
            }
    return catalogue


# --- the ground truth ----------------------------------------------------------------------------


TV_COLLISION = (
    "tmdb_id's film agrees on neither title nor year (within one): a TV-series id, as the "
    "flagged ones"
)


def is_tv_collision(name: str, year: int | None, film: Mapping[str, Any]) -> bool:
    """The ground truth's id names a film with another title and another year: the hal9 scraper
    took TV-series ids for movie ids (the map's README: 6 are flagged, "other TV entries may be
    unflagged"); 'Over the Garden Wall' (2014) -> 17, 'The Dark' (2006), is one."""
    released = film["release_date"][:4]
    if year is not None and released.isdigit() and abs(int(released) - year) <= 1:
        return False
    query = normalise_title(name)
    titles = (film["title"], film["original_title"])
    return max(title_similarity(query, normalise_title(title)) for title in titles) < 0.5


def load_truth(catalogue: Mapping[int, Mapping[str, Any]], path: Path = TRUTH) -> Truth:
    rows: list[TruthRow] = []
    excluded: dict[str, int] = defaultdict(int)
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    for record in records:
        if record["note"].strip():
            excluded[f"note: {record['note'].strip()}"] += 1
            continue
        tmdb_id = int(record["tmdb_id"])
        if tmdb_id not in catalogue:
            excluded["tmdb_id not in the catalogue (cannot be found)"] += 1
            continue
        year = int(record["year"]) if record["year"].strip().isdigit() else None
        if is_tv_collision(record["name"], year, catalogue[tmdb_id]):
            excluded[TV_COLLISION] += 1
            continue
        rows.append(TruthRow(record["name"], year, tmdb_id))
    return Truth(rows, len(records), dict(excluded))


# --- searching -----------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")
_FILLER = frozenset({"the", "a", "an", "of", "and", "in", "on", "to"})


def _words(text: str) -> frozenset[str]:
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    folded = re.sub("['\u2019\u2018`]", "", folded).replace("&", " and ")
    return frozenset(_WORD.findall(folded))


class LocalSearch:
    """A small stand-in for `GET /search/movie` over the catalogue: a film matches when every
    query word is in its title or original title (or, leniently, every word of a title is in the
    query); `year` and `primary_release_year` both keep films released in that year; the 20 most
    popular matches are returned."""

    def __init__(self, catalogue: dict[int, dict[str, Any]]) -> None:
        self._films = catalogue
        self._titles: dict[int, list[frozenset[str]]] = {}
        self._index: dict[str, set[int]] = defaultdict(set)
        for tmdb_id, film in catalogue.items():
            variants = {_words(film["title"]), _words(film["original_title"])}
            self._titles[tmdb_id] = [v for v in variants if v]
            for variant in variants:
                for word in variant:
                    self._index[word].add(tmdb_id)

    def _matches(self, words: frozenset[str], tmdb_id: int) -> bool:
        return any(
            words <= variant or (variant <= words and variant - _FILLER)
            for variant in self._titles[tmdb_id]
        )

    async def __call__(self, query: str, params: dict[str, int]) -> list[dict[str, Any]]:
        words = _words(query)
        if not words:
            return []
        ids = set().union(*(self._index.get(w, set()) for w in words))
        year = params.get("primary_release_year", params.get("year"))
        found = [
            self._films[i]
            for i in ids
            if self._matches(words, i)
            and (year is None or self._films[i]["release_date"][:4] == f"{year:04d}")
        ]
        found.sort(key=lambda f: (-f["popularity"], f["id"]))
        return found[:PAGE]


def standin_search(
    *, real_world: bool = False
) -> tuple[SearchFn, Callable[[], Awaitable[None]]] | None:
    """`GET /3/search/movie` on the stand-in app in-process (`real_world`: in its real-world
    mode), or None when it is not there yet."""
    try:
        from standin.app import create_standin_app
        from standin.config import StandinConfig
    except ImportError:
        return None
    # No rate limit, no connection cap, no errors, and no synthetic films for unknown titles
    # (a synthetic film titled exactly like the query would be a perfect, and fake, match).
    config = StandinConfig(rate_limit=0, max_connections=0, synthesise=False, real_world=real_world)
    app = create_standin_app(config)
    api_key = config.api_key
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://standin", timeout=30
    )

    async def search(query: str, params: dict[str, int]) -> list[dict[str, Any]]:
        response = await client.get(
            "/3/search/movie", params={"query": query, "api_key": api_key, **params}
        )
        response.raise_for_status()
        results: list[dict[str, Any]] = response.json()["results"]
        return results

    return search, client.aclose


# --- the run -------------------------------------------------------------------------------------


async def match_one(search: SearchFn, name: str, year: int | None) -> tuple[MatchDecision, int]:
    """The job's loop: climb the ladder until `is_final`; returns the decision and the searches."""
    seen: list[tuple[SearchStep, SearchResult]] = []
    decision = decide(name, year, seen)
    searches = 0
    for step in search_ladder(year):
        results = SearchAnswer.model_validate({"results": await search(name, step.params)})
        searches += 1
        seen.extend((step, result) for result in results.results)
        decision = decide(name, year, seen)
        if is_final(decision):
            break
    return decision, searches


def _film(catalogue: dict[int, dict[str, Any]], tmdb_id: int | None) -> str | None:
    film = catalogue.get(tmdb_id) if tmdb_id is not None else None
    if film is None:
        return None
    return f"{film['title']} ({film['release_date'][:4] or '?'})"


async def evaluate(
    truth: Truth, search: SearchFn, backend: str, catalogue: dict[int, dict[str, Any]]
) -> Report:
    report = Report(backend, truth.total, truth.excluded, len(truth.rows), 0, 0, 0, 0, 0)
    statuses: dict[str, int] = defaultdict(int)
    for row in truth.rows:
        decision, searches = await match_one(search, row.name, row.year)
        report.searches += searches
        statuses[decision.status] += 1
        if decision.tmdb_id == row.tmdb_id:
            report.correct += 1
            report.correct_matched += decision.status == "matched"
            continue
        report.wrong += 1
        report.wrong_flagged += decision.status != "matched"
        report.misses.append(
            Outcome(
                row.name,
                row.year,
                row.tmdb_id,
                _film(catalogue, row.tmdb_id) or "?",
                decision.tmdb_id,
                _film(catalogue, decision.tmdb_id),
                decision.status,
                decision.confidence or 0.0,
                decision.method or "none",
                searches,
                decision.reason,
            )
        )
    report.statuses = dict(statuses)
    return report


async def local_report() -> Report:
    catalogue = load_catalogue()
    return await evaluate(load_truth(catalogue), LocalSearch(catalogue), "local", catalogue)


async def run(force_local: bool, *, real_world: bool = False) -> Report:
    standin = None if force_local else standin_search(real_world=real_world)
    if standin is None:
        print("search backend: local search over the two catalogue CSVs (stand-in not importable)")
        return await local_report()
    search, close = standin
    backend = "standin, real-world mode" if real_world else "standin"
    print(f"search backend: {backend} (in-process, httpx.ASGITransport)")
    try:
        catalogue = load_catalogue()
        return await evaluate(load_truth(catalogue), search, backend, catalogue)
    finally:
        await close()


def figures(mode: str, report: Report) -> list[dict[str, Any]]:
    """The table's rows of one mode: value, bound and ratio to it (shares in %)."""

    def percent(share: float) -> float:
        return round(100 * share, 2)

    def row(
        figure: str, share: float, bound: float | None, at_most: bool = False
    ) -> dict[str, Any]:
        value = percent(share)
        ratio = None if bound is None else round(value / (100 * bound), 3)
        return {
            "figure": f"{mode}: {figure}",
            "value": value,
            "bound": None if bound is None else f"{'<=' if at_most else '>='}{percent(bound)}",
            "ratio": ratio,
            "within": None if bound is None else (share <= bound if at_most else share >= bound),
        }

    return [
        row("right and confident, %", report.share(report.correct_matched), None),
        row("sent to review, %", report.share(report.sent_to_review), None),
        row(
            "wrong and confident, %",
            report.share(report.wrong_confident),
            BOUND_WRONG_CONFIDENT,
            True,
        ),
        row("right id (matched or proposed), %", report.share_correct, GOAL_CORRECT),
        row("wrong ids flagged, %", report.share_wrong_flagged, GOAL_FLAGGED),
        {"figure": f"{mode}: searches per film", "value": round(report.searches_per_film, 2)},
    ]


def within_bounds(report: Report) -> bool:
    return (
        report.share_correct >= GOAL_CORRECT
        and report.share_wrong_flagged >= GOAL_FLAGGED
        and report.share(report.wrong_confident) <= BOUND_WRONG_CONFIDENT
    )


def print_report(report: Report) -> None:
    print(f"ground-truth rows: {report.rows_total}")
    for why, count in sorted(report.excluded.items()):
        print(f"  excluded {count:4d}: {why}")
    print(f"rows used: {report.rows_used}")
    print("misses:")
    for m in report.misses:
        print(
            f"  {m.name!r} ({m.year}): chosen {m.chosen} [{m.chosen_film or '-'}], "
            f"truth {m.truth} [{m.truth_film}], {m.status}, confidence {m.confidence:.2f}, "
            f"via {m.method}, {m.searches} searches"
        )
    print(f"statuses: {report.statuses}")
    print(
        f"correct: {report.correct}/{report.rows_used} = {report.share_correct:.2%}"
        f" (goal >= {GOAL_CORRECT:.0%}); of them {report.correct_matched} matched,"
        f" {report.correct - report.correct_matched} proposed for review"
    )
    print(
        f"wrong flagged (needs_review/unmatched): {report.wrong_flagged}/{report.wrong} = "
        f"{report.share_wrong_flagged:.2%} (goal >= {GOAL_FLAGGED:.0%})"
    )
    print(
        f"right and confident {report.correct_matched}, sent to review {report.sent_to_review}, "
        f"wrong and confident {report.wrong_confident} (of {report.rows_used})"
    )
    print(f"searches per film: {report.searches_per_film:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--local", action="store_true", help="use the local search, not the stand-in"
    )
    parser.add_argument("--mode", choices=[*MODES, "both"], default="both")
    args = parser.parse_args(argv)
    if not TRUTH.exists():
        print(f"ground truth not found at {TRUTH}", file=sys.stderr)
        return 2
    modes = ["local"] if args.local else (list(MODES) if args.mode == "both" else [args.mode])
    reports: dict[str, Report] = {}
    for mode in modes:
        print(f"\n=== {mode} ===")
        reports[mode] = asyncio.run(run(mode == "local", real_world=mode == "real-world"))
        print_report(reports[mode])
    rows = [row for mode, report in reports.items() for row in figures(mode, report)]
    print_table("Matching accuracy on the Letterboxd -> TMDB ground truth", rows)
    out = write_results(
        "matching",
        {"rows": rows, "modes": {mode: report.as_json() for mode, report in reports.items()}},
    )
    print(f"wrote {out.relative_to(ROOT)}")
    return 0 if all(within_bounds(report) for report in reports.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
