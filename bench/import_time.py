"""Upload-to-202 time of every real export, against the app on a real port, on SQLite and on
PostgreSQL. Prints a table and writes bench/results/import.json.

    make bench-import                      # both databases, 5 uploads per export
    .venv/bin/python -m bench.import_time --repeat 10 --database sqlite
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
EXPORTS = ROOT.parent / "shared" / "data" / "letterboxd-exports"
RESULTS = ROOT / "bench" / "results"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = os.environ.get("BENCH_PG_DB", "letterboxd_bench")  # one per concurrent bench run
BOUND_SECONDS = 1.0  # the 2,604-film export should import in under 1 s


def export_zip(folder: Path) -> bytes:
    original = sorted(folder.glob("*.zip"))
    if original:
        return original[0].read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*.csv")):
            archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def fresh_pg_database(name: str = PG_BENCH_DB) -> str:
    conn = await asyncpg.connect(PG_ADMIN)
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await conn.execute(f"CREATE DATABASE {name}")
    finally:
        await conn.close()
    # BENCH_PG_DRIVER=psycopg: SQLAlchemy on psycopg instead (the driver comparison of db.py)
    driver = os.environ.get("BENCH_PG_DRIVER", "asyncpg")
    return f"postgresql+{driver}://postgres@127.0.0.1:5432/{name}"


def start_server(database_url: str, port: int, workdir: str) -> subprocess.Popen[bytes]:
    env = os.environ | {"DATABASE_URL": database_url, "LOG_LEVEL": "warning"}
    cli = [sys.executable, "-m", "letterboxd_stats"]
    if not database_url.startswith("sqlite"):
        subprocess.run([*cli, "migrate"], env=env, check=True, cwd=workdir, capture_output=True)
    return subprocess.Popen([*cli, "serve", "--port", str(port)], env=env, cwd=workdir)


def wait_healthy(base: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the app did not become healthy")


def measure(base: str, repeat: int) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    with httpx.Client(base_url=base, timeout=60) as client:
        for folder in sorted(p for p in EXPORTS.iterdir() if p.is_dir()):
            payload = export_zip(folder)
            times = []
            films = 0
            for _ in range(repeat):
                started = time.perf_counter()
                response = client.post("/api/upload", files=[("files", ("e.zip", payload))])
                times.append(time.perf_counter() - started)
                response.raise_for_status()
                films = response.json()["total_movies"]
                client.delete(f"/api/session/{response.json()['session_id']}")
            median = statistics.median(times)
            rows.append(
                {
                    "export": folder.name,
                    "films": films,
                    "bytes": len(payload),
                    "median_s": round(median, 4),
                    "min_s": round(min(times), 4),
                    "films_per_s": round(films / median),
                    "ratio_to_bound": round(median / BOUND_SECONDS, 3),
                }
            )
    return rows


def run(database: str, repeat: int) -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory(prefix="lbx-bench-") as workdir:
        if database == "sqlite":
            url = f"sqlite+aiosqlite:///{workdir}/bench.db"
        else:
            url = asyncio.run(fresh_pg_database())
        port = free_port()
        server = start_server(url, port, workdir)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_healthy(base)
            return [{"database": database, **row} for row in measure(base, repeat)]
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    if not EXPORTS.is_dir():
        raise SystemExit(f"no real exports at {EXPORTS}")
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    results = [row for db in databases for row in run(db, args.repeat)]

    print(
        f"{'database':<11}{'export':<16}{'films':>6}{'median s':>10}{'min s':>8}"
        f"{'films/s':>9}{'÷ 1 s':>7}"
    )
    for r in results:
        print(
            f"{r['database']:<11}{r['export']:<16}{r['films']:>6}{r['median_s']:>10}"
            f"{r['min_s']:>8}{r['films_per_s']:>9}{r['ratio_to_bound']:>7}"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "import.json"
    out.write_text(
        json.dumps({"repeat": args.repeat, "cpus": os.cpu_count(), "rows": results}, indent=2)
    )
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
