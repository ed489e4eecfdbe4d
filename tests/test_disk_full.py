"""A full disk is said, not mistaken for an outage: 507 `DiskFull` to requests, `disk_full` in
the log, `/api/health` 503 while it lasts, and background work waits for space.

Real disk-full errors: SQLite with `PRAGMA max_page_count` at the database's size (SQLITE_FULL),
PostgreSQL raising SQLSTATE 53100 itself (`RAISE ... USING ERRCODE = 'disk_full'`, through
asyncpg and SQLAlchemy as a real one comes), and a write to /dev/full (ENOSPC)."""

from __future__ import annotations

import asyncio
import errno
import os
import sqlite3
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.db import create_engine, disk_full, patiently, unavailable, worth_retrying
from letterboxd_stats.kit.disk import DiskWatch
from letterboxd_stats.kit.migrations import upgrade
from tests.fixtures.apps import AppClient
from tests.fixtures.database import count_rows
from tests.fixtures.exports import FILM, csv_text, make_zip, multipart
from tests.fixtures.tmdb import TMDB_SETTINGS, FakeFilm, FakeTmdb
from tests.fixtures.uploads import wait_completed

DISK_FULL_SQL = (
    "DO $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'"
    " USING ERRCODE = 'disk_full'; END $$"
)
FILMS = 40  # a library of "Film 0" ... "Film 39" (2000), all of them in the fake TMDB
needs_postgresql = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="PostgreSQL only (TEST_DATABASE_URL)",
)


def _cap_at_current_size(dbapi_connection: Any, cap: int | None = None) -> None:
    """This connection may not grow the database file by a single page (SQLITE_FULL), or
    beyond `cap` pages."""
    cursor = dbapi_connection.cursor()
    if cap is None:
        cursor.execute("PRAGMA page_count")
        (cap,) = cursor.fetchone()
    cursor.execute(f"PRAGMA max_page_count = {cap}")
    cursor.close()


class _FullSqliteDisk:
    """While `full`, every connection the engine hands out (SQLAlchemy's `checkout` event)
    finds the database unable to grow; then, room again."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine.sync_engine
        self.full = True
        event.listen(self.engine, "checkout", self._checkout)

    def _checkout(self, dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        _cap_at_current_size(dbapi_connection, None if self.full else 1_000_000_000)

    def remove(self) -> None:
        event.remove(self.engine, "checkout", self._checkout)


def _sqlite_full(path: Path) -> sqlite3.Error:
    """What SQLite raises when the database cannot grow."""
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (body BLOB)")
        _cap_at_current_size(connection)
        try:
            connection.execute("INSERT INTO notes VALUES (randomblob(100000))")
        except sqlite3.Error as exc:
            return exc
    raise AssertionError("the capped database grew")


def _dev_full() -> OSError:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    try:
        with open("/dev/full", "wb", buffering=0) as full:
            full.write(b"x")
    except OSError as exc:
        return exc
    raise AssertionError("/dev/full took a write")


def _wrapped(orig: Exception) -> DBAPIError:
    """As SQLAlchemy's asyncpg dialect hands a driver error on (a generic DBAPIError)."""
    wrapped = DBAPIError("INSERT", {}, orig)
    wrapped.__cause__ = orig
    return wrapped


def test_disk_full_is_recognised_from_every_source(tmp_path: Path) -> None:
    sqlite_full = _sqlite_full(tmp_path / "capped.db")
    assert "database or disk is full" in str(sqlite_full)
    assert disk_full(sqlite_full)
    assert disk_full(OperationalError("INSERT", {}, sqlite_full))  # as SQLAlchemy wraps it
    assert disk_full(_wrapped(asyncpg.exceptions.DiskFullError("could not extend file")))
    no_space = _dev_full()
    assert no_space.errno == errno.ENOSPC
    assert disk_full(no_space)
    wrapped_os = RuntimeError("spooling failed")
    wrapped_os.__cause__ = no_space
    assert disk_full(wrapped_os)


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("SELECT 1", {}, ConnectionRefusedError(111, "refused")),
        IntegrityError("INSERT", {}, ValueError("duplicate key")),
        _wrapped(asyncpg.exceptions.UniqueViolationError("duplicate key")),
        PermissionError(errno.EACCES, "denied"),
        ValueError("a bug"),
    ],
)
def test_other_errors_are_not_disk_full(error: BaseException) -> None:
    assert not disk_full(error)


def test_a_full_postgresql_disk_is_waited_for_not_a_bug() -> None:
    error = _wrapped(asyncpg.exceptions.DiskFullError("could not extend file"))
    assert not unavailable(error)  # not "the database does not answer"
    assert worth_retrying(error)  # but a job waits for space to be freed


async def test_work_waits_while_the_sqlite_disk_is_full(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/jobs.db")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE notes (body BLOB)"))
    calls = 0

    async def write() -> str:
        nonlocal calls
        calls += 1
        async with engine.begin() as conn:
            if calls < 3:  # a real SQLITE_FULL, twice
                pages = (await conn.execute(text("PRAGMA page_count"))).scalar_one()
                await conn.execute(text(f"PRAGMA max_page_count = {pages}"))
            else:  # space was freed
                await conn.execute(text("PRAGMA max_page_count = 1000000"))
            await conn.execute(text("INSERT INTO notes VALUES (randomblob(100000))"))
        return "stored"

    try:
        assert await patiently(write, patience=30, what="test", max_wait=0.01) == "stored"
    finally:
        await engine.dispose()
    assert calls == 3


@needs_postgresql
async def test_work_waits_while_the_postgresql_disk_is_full(engine: AsyncEngine) -> None:
    calls = 0

    async def write() -> str:
        nonlocal calls
        calls += 1
        async with engine.begin() as conn:
            if calls < 3:  # PostgreSQL itself raises SQLSTATE 53100, twice
                await conn.execute(text(DISK_FULL_SQL))
        return "stored"

    assert await patiently(write, patience=30, what="test", max_wait=0.01) == "stored"
    assert calls == 3


def _library(films: int = 500) -> bytes:
    """More films than the pages a fresh database has room for in its tables' first pages."""
    rows = [f"2024-01-02,Film {i},2000,https://boxd.it/f{i}" for i in range(films)]
    return make_zip({"watched.csv": csv_text(FILM, rows)})


async def _upload(client: AppClient) -> Any:
    return await client.post("/api/upload", files=multipart(("e.zip", _library())))


def _says_disk_full(response: Any, status: int) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == "DiskFull"
    assert "disk" in body["detail"]
    assert "full" in body["detail"]


async def _fresh_sqlite_database(directory: Path) -> str:
    """A migrated SQLite database of its own, without a free page to reuse (the shared one
    has them): capped at its size, it cannot store more than its first pages hold."""
    path = directory / "full.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("VACUUM")
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def full_sqlite_database(tmp_path: Path) -> str:
    return await _fresh_sqlite_database(tmp_path)


async def _fill_postgresql(engine: AsyncEngine, table: str) -> None:
    """Every insert into `table` meets what PostgreSQL raises on a full disk (53100)."""
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                " RAISE EXCEPTION 'could not extend file: No space left on device'"
                " USING ERRCODE = 'disk_full'; END $$"
            )
        )
        await conn.execute(
            text(
                f"CREATE TRIGGER disk_full BEFORE INSERT ON {table}"
                " FOR EACH ROW EXECUTE FUNCTION disk_full()"
            )
        )


async def _free_postgresql(engine: AsyncEngine, table: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(text(f"DROP TRIGGER disk_full ON {table}"))
        await conn.execute(text("DROP FUNCTION disk_full()"))


async def test_an_upload_onto_a_full_sqlite_disk_is_507_and_health_says_so(
    make_client: Any, full_sqlite_database: str, capfd: pytest.CaptureFixture[str]
) -> None:
    client: AppClient = await make_client(database_url=full_sqlite_database, disk_min_free_bytes=0)
    assert (await client.get("/api/health")).status_code == 200
    app_engine: AsyncEngine = client.app.state.engine
    disk = _FullSqliteDisk(app_engine)
    try:
        answer = await _upload(client)
    finally:
        disk.remove()

    _says_disk_full(answer, 507)
    assert "nothing was stored" in answer.json()["detail"]
    assert answer.headers["x-request-id"]
    assert (await count_rows(app_engine))["upload_sessions"] == 0
    health = await client.get("/api/health")
    _says_disk_full(health, 503)
    logged = capfd.readouterr().err
    assert "disk_full" in logged
    assert "database.unavailable" not in logged  # not mistaken for an outage


@needs_postgresql
async def test_an_upload_onto_a_full_postgresql_disk_is_507_and_health_says_so(
    make_client: Any, engine: AsyncEngine
) -> None:
    client: AppClient = await make_client(disk_min_free_bytes=0)
    await _fill_postgresql(engine, "upload_sessions")
    try:
        answer = await _upload(client)
    finally:
        await _free_postgresql(engine, "upload_sessions")
    _says_disk_full(answer, 507)
    assert (await count_rows(engine))["upload_sessions"] == 0
    _says_disk_full(await client.get("/api/health"), 503)


async def test_an_upload_temporary_file_on_a_full_disk_is_507(make_client: Any) -> None:
    client: AppClient = await make_client(disk_min_free_bytes=0)

    @client.app.post("/test/spool")
    async def spool() -> None:  # what an upload's temporary file meets on a full disk
        with open("/dev/full", "wb", buffering=0) as full:
            full.write(b"x" * 1024)

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    _says_disk_full(await client.post("/test/spool"), 507)
    _says_disk_full(await client.get("/api/health"), 503)


async def test_health_says_when_free_space_is_under_the_minimum(make_client: Any) -> None:
    client: AppClient = await make_client(disk_min_free_bytes=2**62)
    health = await client.get("/api/health")
    _says_disk_full(health, 503)
    assert "temporary files" in health.json()["detail"]
    assert "DISK_MIN_FREE_BYTES" in health.json()["detail"]
    assert "/tmp" not in health.json()["detail"]  # what, not where


def test_a_disk_full_is_reported_for_the_hold_then_forgotten() -> None:
    now = 1000.0
    watch = DiskWatch({}, min_free_bytes=0, hold_seconds=300, clock=lambda: now)
    assert watch.problem() is None
    watch.seen_full()
    now += 299
    assert "full" in (watch.problem() or "")
    now += 2
    assert watch.problem() is None


class _DiskFullSeen:
    """Counts the disk-full errors the app's engine meets (SQLAlchemy's `handle_error` event)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        event.listen(engine.sync_engine, "handle_error", self._seen)

    def _seen(self, context: Any) -> None:
        if disk_full(context.original_exception):
            self.count += 1

    async def at_least(self, count: int) -> None:
        for _ in range(3000):  # up to a minute: a queue worker may pick the job up late
            if self.count >= count:
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"{self.count} disk-full errors seen, not {count}")


async def test_a_job_waits_while_the_disk_is_full_then_completes(
    make_client: Any, engine: AsyncEngine, tmp_path: Path
) -> None:
    """The job's writes meet a full disk (a real one on either database) after the upload was
    stored: the session stays `enriching`, and completes once space is freed."""
    sqlite = engine.dialect.name == "sqlite"
    url = await _fresh_sqlite_database(tmp_path) if sqlite else None
    films = [FakeFilm(1000 + i, f"Film {i}", 2000) for i in range(FILMS)]
    fake = FakeTmdb(films, hold_after=0)  # the job waits on TMDB until `release`
    client: AppClient = await make_client(
        tmdb_transport=fake.transport(),
        **TMDB_SETTINGS,
        disk_min_free_bytes=0,
        **({"database_url": url} if url else {}),
    )
    upload = await client.post("/api/upload", files=multipart(("e.zip", _library(FILMS))))
    assert upload.status_code == 202, upload.text
    session_id = upload.json()["session_id"]
    app_engine: AsyncEngine = client.app.state.engine
    seen = _DiskFullSeen(app_engine)
    disk = _FullSqliteDisk(app_engine) if sqlite else None
    if disk is None:
        await _fill_postgresql(engine, "tmdb_movies")
    try:
        fake.release.set()
        await seen.at_least(2)  # the job's writes failed, twice at least
        status = (await client.get(f"/api/session/{session_id}/status")).json()
        assert status["status"] == "enriching", status
    finally:  # space is freed
        if disk is not None:
            disk.full = False
        else:
            await _free_postgresql(engine, "tmdb_movies")
    status = await wait_completed(client, session_id, timeout=30)
    if disk is not None:
        disk.remove()
    assert status["status"] == "completed", status
    assert status["enriched_count"] == status["total_movies"] == FILMS


async def test_a_disk_full_longer_than_the_patience_leaves_the_session_unfinished(
    make_client: Any, engine: AsyncEngine, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Past `DATABASE_PATIENCE_SECONDS` the job stops, saying why; its session is not failed
    (it is resumed on the next start)."""
    sqlite = engine.dialect.name == "sqlite"
    url = await _fresh_sqlite_database(tmp_path) if sqlite else None
    films = [FakeFilm(1000 + i, f"Film {i}", 2000) for i in range(FILMS)]
    fake = FakeTmdb(films, hold_after=0)
    client: AppClient = await make_client(
        tmdb_transport=fake.transport(),
        **TMDB_SETTINGS,
        disk_min_free_bytes=0,
        database_patience_seconds=0.5,
        **({"database_url": url} if url else {}),
    )
    upload = await client.post("/api/upload", files=multipart(("e.zip", _library(FILMS))))
    session_id = upload.json()["session_id"]
    app_engine: AsyncEngine = client.app.state.engine
    disk = _FullSqliteDisk(app_engine) if sqlite else None
    if disk is None:
        await _fill_postgresql(engine, "tmdb_movies")
    logged = ""
    try:
        fake.release.set()
        for _ in range(3000):
            logged += capfd.readouterr().err
            if "enrich.disk_full" in logged:
                break
            await asyncio.sleep(0.02)
        else:
            raise AssertionError("the job did not stop on the full disk")
        await asyncio.wait_for(client.app.state.runner.wait_idle(), timeout=10)
    finally:
        if disk is not None:
            disk.remove()
        else:
            await _free_postgresql(engine, "tmdb_movies")
    logged += capfd.readouterr().err
    assert "enrich.failed" not in logged
    status = (await client.get(f"/api/session/{session_id}/status")).json()
    assert status["status"] == "enriching", status
    assert status["error_message"] is None


async def test_the_upload_documents_its_507(client: AppClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    responses = schema["paths"]["/api/upload"]["post"]["responses"]
    assert "disk is full" in responses["507"]["description"]
