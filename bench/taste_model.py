"""The taste model (`letterboxd_stats.watchlist.model`) on every real export in ../shared/data
with at least 200 rated films: its 5-fold cross-validated MAE (stars) and Spearman beside the
two baselines (the person's mean rating, TMDB's vote average fitted to their ratings), whether
it beats both, and how long `train()` takes for the largest library.

    .venv/bin/python -m bench.taste_model          # make bench-taste

Each export is uploaded to the app (its own process, SQLite in a temporary directory) and
enriched against an unthrottled stand-in (the rate is not what is measured here); the stand-in
serves the real catalogue and synthesises films it lacks (ids from `SYNTHETIC_ID_MIN`, so the
table can say how many rated films rest on real TMDB data). Then this process opens the same
database and loads each library as /stats does (`stats.repository.load`), and trains the model
on its rated films with TMDB data. Exports whose CSVs hold fewer than 200 ratings in all are
not enriched (they cannot reach 200 rated films). A second table trains on the rated films
with real catalogue data only (synthesised films' facts are random, noise to the model).
Bound: `train()` of the largest library (median of 5) ≤ 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from standin.series import TV_ID_MIN
from standin.synthesis import SYNTHETIC_ID_MAX, SYNTHETIC_ID_MIN

from bench.common import SHARED, app_server, print_table, read_export_csv, standin, write_results
from bench.compare import _enrich
from bench.import_time import export_zip
from letterboxd_stats.db import create_engine, create_sessionmaker
from letterboxd_stats.stats.repository import load
from letterboxd_stats.stats.rows import Labels, SessionRows, TmdbFacts
from letterboxd_stats.watchlist.model import Accuracy, Score, train

EXPORTS = SHARED / "letterboxd-exports"
MIN_RATED_FILMS = 200
BOUND_SECONDS = 2.0
TIMING_RUNS = 5
APP_SETTINGS = {"TMDB_RATE_LIMIT": "2000"}

Rated = list[tuple[TmdbFacts, int]]


def ratings_in_csvs(folder: Path) -> int:
    """Every row with a rating in the export's CSVs: at least as many as its rated films."""
    total = 0
    for path in sorted(folder.rglob("*.csv")):
        header, rows = read_export_csv(path.parent, path.name)
        if "Rating" in header:
            total += sum(1 for r in rows if r["Rating"].strip())
    return total


@dataclass
class Library:
    export: str
    films: int
    rated: int  # films with a rating
    rated_tmdb: Rated  # rated films with TMDB data
    real: int  # ... from the real catalogue
    synthesised: int  # ... synthesised by the stand-in
    other: int  # ... other ids (TV series, real-world companions)
    needs_review: int  # ... whose match is to be reviewed
    real_only: Rated = field(default_factory=list)


def _provenance(tmdb_id: int) -> str:
    if tmdb_id < TV_ID_MIN:
        return "real"
    if SYNTHETIC_ID_MIN <= tmdb_id <= SYNTHETIC_ID_MAX:
        return "synthesised"
    return "other"


def library(export: str, rows: SessionRows) -> Library:
    rated_films = [f for f in rows.films if f.rating is not None]
    with_tmdb = [f for f in rated_films if f.tmdb is not None]
    pairs: Rated = [
        (f.tmdb, f.rating) for f in with_tmdb if f.tmdb is not None and f.rating is not None
    ]
    kinds = [_provenance(facts.tmdb_id) for facts, _ in pairs]
    return Library(
        export=export,
        films=len(rows.films),
        rated=len(rated_films),
        rated_tmdb=pairs,
        real=kinds.count("real"),
        synthesised=kinds.count("synthesised"),
        other=kinds.count("other"),
        needs_review=sum(1 for f in with_tmdb if f.match_status == "needs_review"),
        real_only=[p for p, kind in zip(pairs, kinds, strict=True) if kind == "real"],
    )


async def _load(database_url: str, sessions: dict[str, str]) -> list[Library]:
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as db:
            found = []
            for export, session_id in sessions.items():
                rows = await load(db, uuid.UUID(session_id))
                if rows is None:
                    raise RuntimeError(f"no session {session_id} ({export})")
                found.append(library(export, rows))
            return found
    finally:
        await engine.dispose()


def enrich_and_load(folders: Sequence[Path]) -> list[Library]:
    """Upload and enrich every export in one app, then load each library from its database."""
    with (
        tempfile.TemporaryDirectory(prefix="lbx-bench-") as workdir,
        standin(rate_limit=0, latency_ms=0, jitter_ms=0) as tmdb,
    ):
        url = f"sqlite+aiosqlite:///{workdir}/bench.db"
        sessions: dict[str, str] = {}
        with (
            app_server(url, tmdb, workdir, settings=APP_SETTINGS) as (app, _pid),
            httpx.Client(base_url=app, timeout=300) as client,
        ):
            for folder in folders:
                started = time.perf_counter()
                sessions[folder.name] = _enrich(client, tmdb, export_zip(folder), "e.zip")
                print(f"{folder.name}: enriched in {time.perf_counter() - started:.1f} s")
        return asyncio.run(_load(url, sessions))


def _accuracy(rated: Rated) -> Accuracy | None:
    model = train(rated, Labels(facts for facts, _ in rated))
    return None if model is None else model.accuracy


def _score(score: Score) -> dict[str, Any]:
    return {"mae": score.mae, "spearman": score.spearman}


def _accuracy_dict(accuracy: Accuracy | None) -> dict[str, Any] | None:
    if accuracy is None:
        return None
    return {
        "rated": accuracy.rated,
        "model": _score(accuracy.model),
        "mean_rating": _score(accuracy.mean_rating),
        "tmdb_average": _score(accuracy.tmdb_average),
        "beats_baselines": accuracy.beats_baselines,
        "ranked_by": accuracy.ranked_by,
    }


def training_seconds(rated: Rated, runs: int = TIMING_RUNS) -> list[float]:
    labels = Labels(facts for facts, _ in rated)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        train(rated, labels)
        times.append(time.perf_counter() - started)
    return times


def _rho(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def print_accuracy(title: str, results: list[tuple[str, Accuracy | None]]) -> None:
    print(f"\n{title}")
    print(
        f"{'export':<13}{'rated':>6}{'model MAE':>11}{'rho':>7}{'mean MAE':>10}"
        f"{'TMDB MAE':>10}{'rho':>7}  {'beats both':<11}ranked by"
    )
    for export, a in results:
        if a is None:
            print(f"{export:<13}  too few rated films for a model")
            continue
        print(
            f"{export:<13}{a.rated:>6}{a.model.mae:>11.3f}{_rho(a.model.spearman):>7}"
            f"{a.mean_rating.mae:>10.3f}{a.tmdb_average.mae:>10.3f}"
            f"{_rho(a.tmdb_average.spearman):>7}  {'yes' if a.beats_baselines else 'no':<11}"
            f"{a.ranked_by}"
        )


def _row(
    figure: str, value: float | int | str, unit: str = "", bound: float | None = None
) -> dict[str, Any]:
    ratio = None
    if bound is not None and isinstance(value, int | float):
        ratio = round(value / bound, 3)
    return {"figure": figure, "value": value, "unit": unit, "bound": bound, "ratio": ratio}


@dataclass
class Report:
    libraries: list[Library]
    skipped: dict[str, int]  # exports not enriched: their ratings in all CSVs
    results: list[tuple[str, Accuracy | None]]
    real_only: list[tuple[str, Accuracy | None]]
    largest: Library
    times: list[float]  # train() of the largest library

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def evaluate(runs: int = TIMING_RUNS) -> Report:
    folders = sorted(p for p in EXPORTS.iterdir() if p.is_dir())
    counts = {f.name: ratings_in_csvs(f) for f in folders}
    candidates = [f for f in folders if counts[f.name] >= MIN_RATED_FILMS]
    libraries = [lib for lib in enrich_and_load(candidates) if lib.rated >= MIN_RATED_FILMS]
    if not libraries:
        raise RuntimeError(f"no export with {MIN_RATED_FILMS} rated films in {EXPORTS}")
    largest = max(libraries, key=lambda lib: len(lib.rated_tmdb))
    return Report(
        libraries=libraries,
        skipped={name: n for name, n in counts.items() if n < MIN_RATED_FILMS},
        results=[(lib.export, _accuracy(lib.rated_tmdb)) for lib in libraries],
        real_only=[(lib.export, _accuracy(lib.real_only)) for lib in libraries],
        largest=largest,
        times=training_seconds(largest.rated_tmdb, runs),
    )


def rows(report: Report) -> list[dict[str, Any]]:
    """The figures (figure, value, unit, bound, ratio): per export, then the training time."""
    found: list[dict[str, Any]] = []
    for lib, (name, a) in zip(report.libraries, report.results, strict=True):
        found.append(_row(f"{name}: rated films with TMDB data", len(lib.rated_tmdb), "films"))
        if a is None:
            continue
        found += [
            _row(f"{name}: model MAE", a.model.mae, "stars"),
            _row(f"{name}: model Spearman", _rho(a.model.spearman)),
            _row(f"{name}: mean-rating baseline MAE", a.mean_rating.mae, "stars"),
            _row(f"{name}: TMDB-average baseline MAE", a.tmdb_average.mae, "stars"),
            _row(f"{name}: TMDB-average baseline Spearman", _rho(a.tmdb_average.spearman)),
            _row(f"{name}: beats both baselines", "yes" if a.beats_baselines else "no"),
        ]
    films = len(report.largest.rated_tmdb)
    found.append(
        _row(
            f"train(), {films} films, s, median of {len(report.times)}",
            round(report.median, 3),
            "s",
            BOUND_SECONDS,
        )
    )
    return found


def measure(runs: int = TIMING_RUNS) -> list[dict[str, Any]]:
    """`bench/run.py`: the figures only."""
    return rows(evaluate(runs))


def payload(report: Report) -> dict[str, Any]:
    return {
        "rows": rows(report),
        "min_rated_films": MIN_RATED_FILMS,
        "skipped_exports_ratings_in_csvs": report.skipped,
        "exports": [
            {
                "export": lib.export,
                "films": lib.films,
                "rated": lib.rated,
                "rated_with_tmdb": len(lib.rated_tmdb),
                "rated_with_tmdb_real_catalogue": lib.real,
                "rated_with_tmdb_synthesised": lib.synthesised,
                "rated_with_tmdb_other": lib.other,
                "rated_with_tmdb_needs_review": lib.needs_review,
                "accuracy": _accuracy_dict(a),
                "accuracy_real_catalogue_only": _accuracy_dict(r),
            }
            for lib, (_, a), (_, r) in zip(
                report.libraries, report.results, report.real_only, strict=True
            )
        ],
        "training": {
            "export": report.largest.export,
            "films": len(report.largest.rated_tmdb),
            "seconds": [round(t, 4) for t in report.times],
            "median_s": round(report.median, 4),
            "bound_s": BOUND_SECONDS,
            "ratio": round(report.median / BOUND_SECONDS, 3),
        },
    }


def print_libraries(report: Report) -> None:
    for name, count in report.skipped.items():
        print(f"{name}: not enriched, {count} ratings in its CSVs (< {MIN_RATED_FILMS})")
    print(
        f"\n{'export':<13}{'films':>7}{'rated':>7}{'w/ TMDB':>9}{'real':>7}{'synth.':>8}"
        f"{'other':>7}{'review':>8}"
    )
    for lib in report.libraries:
        print(
            f"{lib.export:<13}{lib.films:>7}{lib.rated:>7}{len(lib.rated_tmdb):>9}"
            f"{lib.real:>7}{lib.synthesised:>8}{lib.other:>7}{lib.needs_review:>8}"
        )
    print(
        "(rated films with TMDB data: from the real catalogue, synthesised by the stand-in, "
        "other ids; needing review)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=TIMING_RUNS, help="train() timings")
    args = parser.parse_args()
    if not EXPORTS.is_dir():
        raise SystemExit(f"no exports at {EXPORTS}")
    report = evaluate(args.runs)
    print_libraries(report)
    print_accuracy(
        "Taste model, 5-fold cross-validated (MAE in stars, rho = Spearman)", report.results
    )
    print_accuracy("The same on rated films with real catalogue data only", report.real_only)
    figures = payload(report)
    print_table("Taste model: accuracy and training time", figures["rows"])
    t = figures["training"]
    print(
        f"\ntrain() of {t['export']} ({t['films']} films): median {t['median_s']} s "
        f"of {len(report.times)}, ratio {t['ratio']} to the {BOUND_SECONDS:g} s bound"
    )
    print(f"written to {write_results('taste_model', figures)}")


if __name__ == "__main__":
    main()
