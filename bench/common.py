"""Shared pieces of the benchmarks: free ports, processes for the app and the TMDB stand-in,
exports made from real catalogue titles, and the results table."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "bench" / "results"
STANDIN_KEY = "bench-key"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def _cli() -> list[str]:
    return [sys.executable, "-m", "letterboxd_stats"]


@contextmanager
def standin(
    *,
    rate_limit: int = 40,
    latency_ms: float = 80,
    jitter_ms: float = 20,
    real_world: bool = False,
) -> Iterator[str]:
    """The TMDB stand-in with the real catalogue (and synthesised films for the rest);
    `real_world`: its search answers hold what real TMDB's do beside each film."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "standin",
        f"--port={port}",
        f"--api-key={STANDIN_KEY}",
        f"--rate-limit={rate_limit}",
        f"--latency-ms={latency_ms}",
        f"--jitter-ms={jitter_ms}",
        "--max-connections=20",
        "--synthesise",
        "--real-world" if real_world else "--no-real-world",
    ]
    if SHARED.is_dir():
        command.append(f"--data-dir={SHARED}")
    process = subprocess.Popen(command, cwd=ROOT)  # the stand-in lives beside bench/
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/__stats")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def app_server(
    database_url: str,
    tmdb_base: str | None,
    workdir: str,
    processes: int = 1,
    *,
    workers: int = 0,
    worker_concurrency: int = 4,
    settings: dict[str, str] | None = None,
) -> Iterator[tuple[str, int]]:
    """The app on a real port (`processes` API processes); yields its base URL and pid.
    `workers` > 0 (PostgreSQL): the jobs run in that many `letterboxd-stats worker` processes
    (`JOB_WORKERS=external`, as in compose.yaml) instead of inside the API processes.
    `settings`: more environment variables of the app (its settings)."""
    env = os.environ | {"DATABASE_URL": database_url, "LOG_LEVEL": "error"} | (settings or {})
    if tmdb_base is not None:
        env |= {"TMDB_BASE_URL": f"{tmdb_base}/3", "TMDB_API_KEY": STANDIN_KEY}
    if workers:
        env |= {"JOB_WORKERS": "external"}
    if not database_url.startswith("sqlite"):
        subprocess.run([*_cli(), "migrate"], env=env, check=True, cwd=workdir, capture_output=True)
    port = free_port()
    running = [
        subprocess.Popen(
            [*_cli(), "serve", f"--port={port}", f"--workers={processes}"], env=env, cwd=workdir
        )
    ]
    running += [
        subprocess.Popen(
            [*_cli(), "worker", f"--concurrency={worker_concurrency}"], env=env, cwd=workdir
        )
        for _ in range(workers)
    ]
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/api/health")
        if workers:
            time.sleep(1.0)  # the workers register
        yield base, running[0].pid
    finally:
        for process in running:
            process.terminate()
        for process in running:
            process.wait(timeout=30)


def catalogue_titles(count: int, *, skip: int = 0) -> list[tuple[str, int]]:
    """Real (title, year) pairs from the TMDB 5000 file, in a fixed order; synthetic ones
    when the data is absent (the stand-in then synthesises every film)."""
    path = SHARED / "tmdb5000" / "tmdb_5000_movies.csv"
    films: list[tuple[str, int]] = []
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["release_date"][:4].isdigit():
                    films.append((row["title"], int(row["release_date"][:4])))
        films = sorted(set(films))
    while len(films) < skip + count:
        films.append((f"Bench Film {len(films)}", 1950 + len(films) % 70))
    return films[skip : skip + count]


def export_zip(films: Sequence[tuple[str, int]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Date", "Name", "Year", "Letterboxd URI"])
    for n, (title, year) in enumerate(films):
        writer.writerow(["2024-01-01", title, year, f"https://boxd.it/b{n}"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("watched.csv", out.getvalue())
    return buffer.getvalue()


def print_table(title: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n{title}")
    print(f"{'figure':<52}{'value':>12}{'bound':>10}{'ratio':>8}")
    for row in rows:
        bound = row.get("bound")
        ratio = row.get("ratio")
        print(
            f"{row['figure']:<52}{row['value']!s:>12}{'' if bound is None else bound!s:>10}"
            f"{'' if ratio is None else ratio!s:>8}"
        )


def write_results(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, default=str))
    return path


def read_export_csv(folder: Path, name: str) -> tuple[list[str], list[dict[str, str]]]:
    """A CSV of an extracted export: its header and rows ([], [] when the export lacks it)."""
    path = folder / name
    if not path.exists():
        return [], []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def upload_settled(
    client: httpx.Client, payload: bytes, *, filename: str, timeout: float = 1800
) -> tuple[str, dict[str, Any]]:
    """Upload an export zip; its session id and last /status once the job is entirely done:
    the films, the watchlist and the completion phase."""
    upload = client.post("/api/upload", files=[("files", (filename, payload))])
    upload.raise_for_status()
    session_id = str(upload.json()["session_id"])
    deadline = time.monotonic() + timeout
    while True:
        status: dict[str, Any] = client.get(f"/api/session/{session_id}/status").json()
        if status["status"] == "failed":
            raise RuntimeError(f"session {session_id} failed: {status['error_message']}")
        if (
            status["status"] == "completed"
            and status["watchlist_enriched"] == status["watchlist_total"]
            and status["extras_done"] == status["extras_total"]
        ):
            return session_id, status
        if time.monotonic() > deadline:
            raise RuntimeError(f"session {session_id} did not finish: {status}")
        time.sleep(0.5)


def timed_get(client: httpx.Client, path: str) -> float:
    """Milliseconds of one GET that must succeed."""
    started = time.perf_counter()
    client.get(path).raise_for_status()
    return (time.perf_counter() - started) * 1000


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def figure_row(
    figure: str, value: float | int, unit: str, bound: float | None = None
) -> dict[str, Any]:
    """One row of a results table: a figure, its unit, and its ratio to the bound if any."""
    value = round(value, 1) if isinstance(value, float) else value
    return {
        "figure": figure,
        "value": value,
        "unit": unit,
        "bound": bound,
        "ratio": None if bound is None else round(value / bound, 3),
    }
