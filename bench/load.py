"""Load: 50 uploads at once (mixed sizes, up to the 2,604-film export) on PostgreSQL, against
the TMDB stand-in at 400 req/s with ~5 ms latency, the app as its own process on a real port.

    make bench-load
    .venv/bin/python -m bench.load [--sessions 50] [--database postgresql|sqlite]
                                   [--database-url postgresql+asyncpg://…]  # default: a fresh DB
                                   [--api-processes 2] [--workers 2]  # PostgreSQL: scale-out
                                   [--rate 40 --window 120]  # TMDB's real rate, 2 minutes

The uploads: every real export of ../shared/data (patrickmjones' 2,604 watched films the
largest), then small synthetic exports of mixed sizes that overlap one another (the same films
asked for by several sessions at once). One bounded load generator on loopback: a single
`httpx.AsyncClient` with a bounded connection pool fires every upload at once and, for the
whole run, polls `/status` of every accepted session (a bounded number at a time), timing each
request. Figures: uploads accepted, sessions completed, 5xx/timeouts, `/status` p50/p95/max
(bound: p95 under 100 ms), wall time from the first upload to the last session completed, and
films/s, and the TMDB requests/s reached (of the 400 allowed). The stand-in serves the real
catalogue of ../shared/data and synthesises the titles it does not know.
`tests/integration/test_load.py` runs the same scenario and asserts on everything but times.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench import import_time
from bench.common import (
    SHARED,
    app_server,
    export_zip,
    percentile,
    print_table,
    standin,
    write_results,
)

EXPORTS = SHARED / "letterboxd-exports"
SESSIONS = 50
RATE = 400  # req/s, the stand-in's limit and the app's TMDB_RATE_LIMIT
LATENCY_MS = 5.0
JITTER_MS = 2.0
BOUND_STATUS_P95_MS = 100.0
SYNTHETIC_SIZES = (3, 10, 25, 60, 150, 300)  # cycled: mixed sizes
SYNTHETIC_POOL = 600  # synthetic titles shared by the synthetic exports (they overlap)
MAX_CONNECTIONS = 64  # the load generator's pool: every upload at once, plus the polls
POLL_CONCURRENCY = 8  # /status requests in flight at once
POLL_INTERVAL_SECONDS = 0.05  # pause between two rounds over the unfinished sessions
FINAL = ("completed", "failed")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Payload:
    name: str
    data: bytes


def real_exports(exports: Path = EXPORTS) -> list[Payload]:
    """Every real export as the zip a user uploads (Letterboxd's own zip where there is one),
    largest first."""
    folders = sorted(p for p in exports.iterdir() if p.is_dir())
    payloads = [Payload(folder.name, import_time.export_zip(folder)) for folder in folders]
    return sorted(payloads, key=lambda p: len(p.data), reverse=True)


def synthetic_export(number: int) -> Payload:
    """A window of the shared pool of synthetic titles: export n overlaps its neighbours."""
    size = SYNTHETIC_SIZES[number % len(SYNTHETIC_SIZES)]
    start = (number * 97) % (SYNTHETIC_POOL - size)
    films = [(f"Load Test Film {k:04d}", 1950 + k % 70) for k in range(start, start + size)]
    return Payload(f"synthetic-{number:02d}-{size}", export_zip(films))


def payloads(sessions: int = SESSIONS, exports: Path = EXPORTS) -> list[Payload]:
    """`sessions` uploads: the real exports, then synthetic ones of mixed sizes."""
    real = real_exports(exports)[:sessions]
    return real + [synthetic_export(n) for n in range(sessions - len(real))]


@dataclass(frozen=True)
class Sample:
    kind: str  # "upload" or "status"
    status_code: int | None  # None: no answer (a timeout or a transport error)
    ms: float
    at: float  # seconds from the start of the run to the request's start
    error: str | None = None


@dataclass
class Session:
    payload: Payload
    accepted: dict[str, Any]
    last: dict[str, Any] | None = None
    polls: int = 0


@dataclass
class LoadReport:
    samples: list[Sample] = field(default_factory=list)
    sessions: dict[str, Session] = field(default_factory=dict)
    rejected: list[tuple[str, int | None, str]] = field(default_factory=list)
    anomalies: list[str] = field(default_factory=list)  # inconsistent or regressing /status
    seconds: float = 0.0
    timed_out: bool = False
    rate: int = RATE  # req/s, the stand-in's limit and the app's TMDB_RATE_LIMIT
    tmdb: dict[str, Any] = field(default_factory=dict)  # the stand-in's /__stats, at the end

    def latencies(self, kind: str) -> list[float]:
        return [s.ms for s in self.samples if s.kind == kind and s.status_code is not None]

    @property
    def server_errors(self) -> list[Sample]:
        """5xx answers and requests that got no answer at all (timeouts, resets)."""
        return [s for s in self.samples if s.status_code is None or s.status_code >= 500]

    def error_summary(self) -> str:
        """The 5xx answers and failed requests, grouped: what, how many, when (s into the run)."""
        groups: dict[tuple[str, int | None, str], list[float]] = {}
        for s in self.server_errors:
            groups.setdefault((s.kind, s.status_code, s.error or ""), []).append(s.at)
        return "; ".join(
            f"{len(ats)} x {kind} {code or 'no answer'} {error} "
            f"(at {min(ats):.1f}-{max(ats):.1f} s)"
            for (kind, code, error), ats in groups.items()
        )

    def unfinished(self) -> list[str]:
        """Sessions whose last /status is not final: payload name and that status."""
        return [
            f"{s.payload.name}: {s.last or 'never answered'}"
            for s in self.sessions.values()
            if (s.last or {}).get("status") not in FINAL
        ]

    def not_completed(self) -> list[str]:
        """Sessions that did not end `completed`: payload name, status and error message."""
        return [
            f"{s.payload.name}: {(s.last or {}).get('status')} "
            f"{(s.last or {}).get('error_message') or ''}".rstrip()
            for s in self.sessions.values()
            if (s.last or {}).get("status") != "completed"
        ]

    @property
    def completed(self) -> int:
        return sum(1 for s in self.sessions.values() if (s.last or {}).get("status") == "completed")

    @property
    def films(self) -> int:
        return sum(int(s.accepted["total_movies"]) for s in self.sessions.values())

    @property
    def enriched(self) -> int:
        """Films enriched when the run ended (all of them, unless it was cut short)."""
        return sum(int((s.last or {}).get("enriched_count", 0)) for s in self.sessions.values())

    def figures(self) -> dict[str, Any]:
        status = self.latencies("status")
        upload = self.latencies("upload")
        return {
            "uploads": len(self.sessions) + len(self.rejected),
            "accepted": len(self.sessions),
            "completed": self.completed,
            "films": self.films,
            "server_errors": len(self.server_errors),
            "anomalies": len(self.anomalies),
            "status_requests": len(status),
            "status_p50_ms": round(percentile(status, 0.50), 1),
            "status_p95_ms": round(percentile(status, 0.95), 1),
            "status_max_ms": round(max(status, default=0.0), 1),
            "upload_p50_ms": round(percentile(upload, 0.50), 1),
            "upload_max_ms": round(max(upload, default=0.0), 1),
            "seconds": round(self.seconds, 1),
            "films_per_second": round(self.enriched / self.seconds, 1) if self.seconds else 0.0,
            "tmdb_requests": self.tmdb.get("requests_total", 0),
            "tmdb_rate_limited": self.tmdb.get("rate_limited", 0),
            "tmdb_requests_per_second": (
                round(self.tmdb.get("requests_total", 0) / self.seconds, 1) if self.seconds else 0.0
            ),
        }


def _check(session_id: str, previous: dict[str, Any] | None, status: dict[str, Any]) -> list[str]:
    """What is wrong with one /status answer: counters must add up and never go back."""
    problems = []
    finals = status["matched_count"] + status["unmatched_count"] + status["failed_count"]
    if not finals == status["enriched_count"] <= status["total_movies"]:
        problems.append(f"{session_id}: counters do not add up: {status}")
    if previous is not None and status["enriched_count"] < previous["enriched_count"]:
        problems.append(f"{session_id}: enriched_count went back: {previous} -> {status}")
    return problems


async def generate_load(
    base_url: str,
    uploads: Sequence[Payload],
    *,
    max_connections: int = MAX_CONNECTIONS,
    poll_concurrency: int = POLL_CONCURRENCY,
    poll_interval: float = POLL_INTERVAL_SECONDS,
    request_timeout: float = 60.0,
    deadline_seconds: float = 600.0,
) -> LoadReport:
    """Fire every upload at once and poll `/status` of every accepted session until each one
    is final (or the deadline passes); every request is timed. One client, a bounded pool, and
    only ever a loopback address."""
    if httpx.URL(base_url).host not in LOOPBACK:
        raise ValueError(f"the load generator only targets loopback, not {base_url}")
    report = LoadReport()
    limits = httpx.Limits(
        max_connections=max_connections, max_keepalive_connections=max_connections
    )
    timeout = httpx.Timeout(request_timeout)
    polls = asyncio.Semaphore(poll_concurrency)

    async def timed(kind: str, request: Any) -> httpx.Response | None:
        sent = time.perf_counter()
        at = sent - started
        try:
            response: httpx.Response = await request
        except httpx.HTTPError as exc:
            ms = (time.perf_counter() - sent) * 1000
            report.samples.append(Sample(kind, None, ms, at, f"{type(exc).__name__}: {exc}"))
            return None
        ms = (time.perf_counter() - sent) * 1000
        report.samples.append(Sample(kind, response.status_code, ms, at))
        return response

    async def upload(client: httpx.AsyncClient, payload: Payload) -> None:
        files = [("files", (f"{payload.name}.zip", payload.data))]
        response = await timed("upload", client.post("/api/upload", files=files))
        if response is not None and response.status_code == 202:
            body = response.json()
            report.sessions[body["session_id"]] = Session(payload, body)
        else:
            code = None if response is None else response.status_code
            report.rejected.append((payload.name, code, "" if response is None else response.text))

    async def poll(client: httpx.AsyncClient, session_id: str, session: Session) -> None:
        async with polls:
            response = await timed("status", client.get(f"/api/session/{session_id}/status"))
        if response is None or response.status_code != 200:
            return
        status: dict[str, Any] = response.json()
        report.anomalies += _check(session_id, session.last, status)
        session.last = status
        session.polls += 1

    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=timeout) as client:
        uploading = asyncio.gather(*(upload(client, p) for p in uploads))
        while True:
            unfinished = [
                (sid, s)
                for sid, s in list(report.sessions.items())
                if (s.last or {}).get("status") not in FINAL
            ]
            if uploading.done() and not unfinished:
                break
            if time.perf_counter() - started > deadline_seconds:
                report.timed_out = True
                break
            await asyncio.gather(*(poll(client, sid, s) for sid, s in unfinished))
            await asyncio.sleep(poll_interval)
        await uploading
        report.seconds = time.perf_counter() - started
    return report


def describe(report: LoadReport) -> str:
    """The figures in one paragraph (what the test prints)."""
    f = report.figures()
    return (
        f"load: {f['accepted']}/{f['uploads']} uploads accepted, {f['completed']} completed, "
        f"{f['films']} films in {f['seconds']} s ({f['films_per_second']} films/s); "
        f"/status x{f['status_requests']}: p50 {f['status_p50_ms']} ms, "
        f"p95 {f['status_p95_ms']} ms, max {f['status_max_ms']} ms; "
        f"upload→202 p50 {f['upload_p50_ms']} ms, max {f['upload_max_ms']} ms; "
        f"{f['server_errors']} 5xx/timeouts, {f['anomalies']} anomalies; "
        f"TMDB stand-in: {f['tmdb_requests']} requests ({f['tmdb_requests_per_second']}/s, "
        f"limit {report.rate}/s), {f['tmdb_rate_limited']} x 429"
    )


def rows(database: str, report: LoadReport, sessions: int) -> list[dict[str, Any]]:
    """The bench's rows: figure, value, unit, bound and the ratio to it."""
    f = report.figures()
    label = f"{database}: load"

    def row(
        name: str, value: float, unit: str = "", bound: float | None = None, higher: bool = False
    ) -> dict[str, Any]:
        ratio = round(value / bound, 3) if bound else None
        return {
            "figure": f"{label}: {name}",
            "value": value,
            "unit": unit,
            "bound": bound,
            "ratio": ratio,
            "higher_is_better": higher,
        }

    return [
        row(f"uploads accepted (202) of {sessions}", f["accepted"], "", sessions, higher=True),
        row(f"sessions completed of {sessions}", f["completed"], "", sessions, higher=True),
        row("5xx answers or timeouts", f["server_errors"], "", 0),
        row("/status p50 (ms)", f["status_p50_ms"], "ms"),
        row("/status p95 (ms)", f["status_p95_ms"], "ms", BOUND_STATUS_P95_MS),
        row("/status max (ms)", f["status_max_ms"], "ms"),
        row("time to all completed (s)", f["seconds"], "s"),
        row(f"films/s ({f['films']} films)", f["films_per_second"], "films/s"),
        row("TMDB requests/s", f["tmdb_requests_per_second"], "req/s", report.rate, higher=True),
        row("429s received", f["tmdb_rate_limited"], "", 0),
    ]


@contextmanager
def _environ(**values: str) -> Iterator[None]:
    """`app_server` passes our environment on to the app: set a few variables for a while."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dataclass(frozen=True)
class Scenario:
    """One load run. `window` (s): measure that long, then stop (sessions may still be
    running: at TMDB's real 40 req/s the 10,055 films take minutes; the figure is how `/status`
    answers while all of them are under way)."""

    database: str = "postgresql"
    sessions: int = SESSIONS
    database_url: str | None = None  # PostgreSQL, migrated here; default: a fresh database
    api_processes: int = 1
    workers: int = 0  # external worker processes; 0: the jobs run inside the API processes
    rate: int = RATE
    window: float | None = None

    @property
    def title(self) -> str:
        jobs = f"{self.workers} worker process(es)" if self.workers else "jobs inline"
        window = f", first {self.window:g} s" if self.window else ""
        return (
            f"Load: {self.sessions} uploads at once, {self.api_processes} API process(es), "
            f"{jobs} ({self.rate} req/s, ~{LATENCY_MS:g} ms{window})"
        )

    @property
    def name(self) -> str:
        window = f"-{self.window:g}s" if self.window else ""
        return (
            f"load-{self.database}-{self.api_processes}api-{self.workers}workers"
            f"-{self.rate}rps{window}"
        )


def run(scenario: Scenario) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    uploads = payloads(scenario.sessions)
    with (
        tempfile.TemporaryDirectory(prefix="lbx-bench-") as workdir,
        standin(rate_limit=scenario.rate, latency_ms=LATENCY_MS, jitter_ms=JITTER_MS) as tmdb,
    ):
        if scenario.database == "sqlite":
            url = f"sqlite+aiosqlite:///{workdir}/bench.db"
        else:
            url = scenario.database_url or asyncio.run(import_time.fresh_pg_database())
        with (
            _environ(TMDB_RATE_LIMIT=str(scenario.rate)),
            app_server(url, tmdb, workdir, scenario.api_processes, workers=scenario.workers) as (
                app,
                _pid,
            ),
        ):
            deadline = scenario.window or 600.0
            report = asyncio.run(generate_load(app, uploads, deadline_seconds=deadline))
        report.tmdb = httpx.get(f"{tmdb}/__stats", timeout=10).json()
        report.rate = scenario.rate
    detail = {
        "rate": scenario.rate,
        "latency_ms": LATENCY_MS,
        "api_processes": scenario.api_processes,
        "worker_processes": scenario.workers,
        "window_seconds": scenario.window,
        **report.figures(),
        "not_completed": report.not_completed(),
    }
    return rows(scenario.database, report, scenario.sessions), detail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=SESSIONS)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument(
        "--database-url", help="an existing PostgreSQL database (default: a fresh one)"
    )
    parser.add_argument("--api-processes", type=int, default=1, help="uvicorn workers (PG)")
    parser.add_argument(
        "--workers", type=int, default=0, help="external worker processes (PG; 0: inline)"
    )
    parser.add_argument("--rate", type=int, default=RATE, help="TMDB req/s (stand-in and app)")
    parser.add_argument("--window", type=float, help="measure this many seconds, then stop")
    args = parser.parse_args()
    if not EXPORTS.is_dir():
        raise SystemExit(f"no real exports at {EXPORTS}")
    scenario = Scenario(
        args.database,
        args.sessions,
        args.database_url,
        args.api_processes,
        args.workers,
        args.rate,
        args.window,
    )
    table, detail = run(scenario)
    print_table(scenario.title, table)
    if not scenario.window:
        for problem in detail["not_completed"]:
            print(f"not completed: {problem}")
    path = write_results(scenario.name, {"rows": table, "detail": detail})
    print(f"written to {path}")


if __name__ == "__main__":
    main()
