"""SQLAlchemy on asyncpg vs psycopg (the choice in `db.create_engine`): the 2,614-film export's
import (upload to 202, median of 5), /stats computed from the database each time (no answer
cache, median of 20), /status (median of 200), and the peak of connections open on the
database (both pools: SQLAlchemy's and the job queue's); in process (ASGI), drivers alternating,
each round on a fresh database.

    .venv/bin/python -m bench.pg_drivers [ROUNDS]
"""

import asyncio
import statistics
import sys
import time

import asyncpg
import httpx

from bench.import_time import EXPORTS, PG_ADMIN, export_zip
from letterboxd_stats.app import create_app
from letterboxd_stats.config import Settings
from letterboxd_stats.db import create_engine
from letterboxd_stats.kit.migrations import upgrade

EXPORT = EXPORTS / "patrickmjones"
ADMIN = PG_ADMIN
DB = "bench_c_driver"


async def fresh() -> None:
    conn = await asyncpg.connect(ADMIN)
    await conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    await conn.execute(f"CREATE DATABASE {DB}")
    await conn.close()


async def peak_connections(stop: asyncio.Event, out: list[int]) -> None:
    conn = await asyncpg.connect(ADMIN)
    while not stop.is_set():
        out.append(
            await conn.fetchval("SELECT count(*) FROM pg_stat_activity WHERE datname=$1", DB)
        )
        await asyncio.sleep(0.05)
    await conn.close()


def ms(seconds: list[float]) -> float:
    return round(1000 * statistics.median(seconds), 1)


async def one(driver: str, payload: bytes) -> dict[str, float]:
    await fresh()
    url = f"postgresql+{driver}://postgres@127.0.0.1:5432/{DB}"
    engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()
    settings = Settings(
        _env_file=None,
        database_url=url,
        tmdb_api_key=None,
        tmdb_bearer_token=None,
        stats_cache_bytes=0,
        job_workers="inline",
        log_level="error",
    )
    app = create_app(settings)
    stop = asyncio.Event()
    conns: list[int] = []
    watcher = asyncio.create_task(peak_connections(stop, conns))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t", timeout=120
        ) as c,
    ):
        imports = []
        for _ in range(5):
            t = time.perf_counter()
            r = await c.post("/api/upload", files=[("files", ("e.zip", payload))])
            imports.append(time.perf_counter() - t)
            r.raise_for_status()
            sid = r.json()["session_id"]
        await app.state.runner.wait_idle()
        stats = []
        for _ in range(20):
            t = time.perf_counter()
            (await c.get(f"/api/session/{sid}/stats")).raise_for_status()
            stats.append(time.perf_counter() - t)
        status = []
        for _ in range(200):
            t = time.perf_counter()
            (await c.get(f"/api/session/{sid}/status")).raise_for_status()
            status.append(time.perf_counter() - t)
    stop.set()
    await watcher
    return {
        "import_ms": ms(imports),
        "stats_ms": ms(stats),
        "status_ms": ms(status),
        "peak_conns": float(max(conns)),
    }


async def main() -> None:
    payload = export_zip(EXPORT)
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    for i in range(rounds):
        for driver in ("asyncpg", "psycopg") if i % 2 == 0 else ("psycopg", "asyncpg"):
            print(driver, await one(driver, payload), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
