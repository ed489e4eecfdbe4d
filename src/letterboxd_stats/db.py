"""Engine and session factories, and the one place that owns commit/rollback.

* Requests get a session from `get_session` (`SessionDep`): committed when the route returns,
  before the response is sent; rolled back when it raises. It is the only way a request opens
  a transaction.
* Jobs and the CLI use `session_scope(sessionmaker)` with the same rule.
* What must happen only once the work is committed (a job submitted for an imported library)
  is registered with `after_commit(db, callback)`: the unit of work awaits it after the commit;
  a rollback drops it.
Services only `flush()`. One that must wait (on TMDB, on a job) without holding a pooled
connection calls `release_connection(db)` first: it commits what the request did so far; the
next statement takes a connection again.

The database may go away for a while (a PostgreSQL restart): `unavailable(exc)` tells such an
error from a bug, the API answers it with 503, and background work waits it out with
`patiently`. Every pooled connection may be in use for a while (`busy(exc)`: the pool's
timeout): requests answer 503 too, and background work waits the same way. The disk may be
full (`disk_full(exc)`: the database's, or our temporary files'): requests answer 507 saying so,
and background work waits the same way, for space to be freed.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

import structlog
from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, SessionTransaction
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_delay,
    wait_exponential,
)

SessionMaker = async_sessionmaker[AsyncSession]
T = TypeVar("T")
log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class PoolOptions:
    """Connections of one process: `size` kept open, `overflow` more under load, and how long
    a caller waits for one before the pool gives up (`busy`)."""

    size: int = 10
    overflow: int = 10
    timeout: float = 30.0


def create_engine(
    database_url: str, *, echo: bool = False, pool: PoolOptions | None = None
) -> AsyncEngine:
    pool = pool or PoolOptions()
    sizes: dict[str, Any] = {
        "pool_size": pool.size,
        "max_overflow": pool.overflow,
        "pool_timeout": pool.timeout,
    }
    if database_url.startswith("sqlite"):
        in_memory = ":memory:" in database_url or database_url.rstrip("/").endswith(":")
        engine = create_async_engine(
            database_url,
            echo=echo,
            connect_args={"timeout": 30},
            **({} if in_memory else sizes),
        )
        _tune_sqlite(engine)
        return engine
    # PostgreSQL: asyncpg, though the job queue runs on psycopg (`enrich/queue.py`). One driver
    # would not mean one pool (procrastinate keeps its own), and SQLAlchemy on psycopg measured
    # slower here (bench/pg_drivers.py): /status in every round of 5, the 2,614-film import and
    # an uncached /stats in 4 of 5 (figures in the README, Configuration).
    return create_async_engine(database_url, echo=echo, pool_pre_ping=True, **sizes)


def _tune_sqlite(engine: AsyncEngine) -> None:
    """WAL lets the status endpoint read while a job writes; foreign keys are off by default."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if ":memory:" not in str(engine.url):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


def create_sessionmaker(engine: AsyncEngine) -> SessionMaker:
    return async_sessionmaker(
        engine, expire_on_commit=False, autoflush=False, sync_session_class=_HookedSession
    )


AfterCommit = Callable[[], Awaitable[None]]
_WAITING = "after_commit.waiting"  # registered in the transaction in progress
_DUE = "after_commit.due"  # their transaction committed: the unit of work runs them


class _HookedSession(Session):
    """A session whose `after_commit` callbacks follow its (outermost) transactions."""


@event.listens_for(_HookedSession, "after_commit")
def _committed(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint: the outer transaction may roll back
        return
    session.info.setdefault(_DUE, []).extend(session.info.pop(_WAITING, []))


@event.listens_for(_HookedSession, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # ended without a commit (else `_committed` took them)
        session.info.pop(_WAITING, None)


def after_commit(db: AsyncSession, callback: AfterCommit) -> None:
    """Await `callback` once the transaction in progress has committed: the unit of work
    (`get_session`, `session_scope`) runs it after its commit (a request: before the response
    is sent); if the transaction rolls back, never. Async: not from inside SQLAlchemy's
    (synchronous) commit event, but by the unit of work once the commit has returned."""
    db.sync_session.info.setdefault(_WAITING, []).append(callback)


async def _run_due(db: AsyncSession) -> None:
    while due := db.sync_session.info.pop(_DUE, []):
        for callback in due:
            await callback()


async def release_connection(db: AsyncSession) -> None:
    """Commit what was done so far and give the connection back to the pool, before a wait
    (TMDB, a job stopping) that must not hold one; the next statement checks one out again.
    What was read stays readable, detached: after the wait, a read asks the database again
    (a job may have changed the rows meanwhile)."""
    await db.commit()
    db.expunge_all()


@asynccontextmanager
async def session_scope(sessionmaker: SessionMaker) -> AsyncIterator[AsyncSession]:
    """A unit of work: commit on success, roll back on any error; then the `after_commit`
    callbacks of what was committed."""
    async with sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            await _run_due(session)  # an earlier commit of this unit (`release_connection`)
            raise
        await _run_due(session)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's unit of work (`SessionDep`)."""
    sessionmaker: SessionMaker = request.app.state.sessionmaker
    async with session_scope(sessionmaker) as session:
        yield session


# scope="function": FastAPI (0.121+) leaves the dependency when the route returns, before the
# response is sent (the default for a dependency with yield, "request", leaves it after): an
# answer is only sent once what it reports is committed, and the connection is back in the
# pool while a response (a progress stream) is sent.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The error, then what caused it (a driver's error under SQLAlchemy's wrapper), in turn."""
    seen: BaseException | None = exc
    while seen is not None:
        yield seen
        seen = seen.__cause__ or getattr(seen, "orig", None)


def _sqlstate_in(error: BaseException, classes: tuple[str, ...]) -> bool:
    sqlstate = getattr(error, "sqlstate", None)
    return isinstance(sqlstate, str) and sqlstate.startswith(classes)


def unavailable(exc: BaseException) -> bool:
    """The database cannot be reached (down, restarting, connection lost), as opposed to a
    query that is wrong: the first is worth waiting for, the second is a bug."""
    return any(
        isinstance(seen, ConnectionError | TimeoutError | OperationalError | InterfaceError)
        or (isinstance(seen, DBAPIError) and seen.connection_invalidated)
        # PostgreSQL's classes 08 (connection exception) and 57P (shutting down, starting up)
        or _sqlstate_in(seen, ("08", "57P"))
        for seen in _causes(exc)
    )


def rolled_back(exc: BaseException) -> bool:
    """PostgreSQL rolled the transaction back to break a deadlock or a serialization conflict
    (SQLSTATE class 40): nothing is wrong with it, and running it again is the remedy."""
    return any(_sqlstate_in(seen, ("40",)) for seen in _causes(exc))


def busy(exc: BaseException) -> bool:
    """No pooled connection came free within the pool's timeout: load, not a fault. Worth
    waiting for, like an outage; never a reason to fail a job."""
    return any(isinstance(seen, PoolTimeout) for seen in _causes(exc))


def disk_full(exc: BaseException) -> bool:
    """A write failed for lack of disk space: SQLite's SQLITE_FULL ("database or disk is
    full"), PostgreSQL's SQLSTATE 53100 (disk_full), or ENOSPC / EDQUOT from the system (our
    temporary files). Not a bug, and no outage either: worth waiting for, and worth saying."""
    return any(_out_of_space(seen) for seen in _causes(exc))


def _out_of_space(error: BaseException) -> bool:
    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, errno.EDQUOT)
    if isinstance(error, sqlite3.Error):  # the primary result code, under any extended one
        return (getattr(error, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_FULL
    return _sqlstate_in(error, ("53100",))


def worth_retrying(exc: BaseException) -> bool:
    return unavailable(exc) or busy(exc) or rolled_back(exc) or disk_full(exc)


async def patiently(
    call: Callable[[], Awaitable[T]], *, patience: float, what: str, max_wait: float = 5.0
) -> T:
    """Run `call`, retrying while the database is unavailable, busy (no pooled connection
    free), out of disk space, or rolls it back to break a deadlock (backoff up to `max_wait`
    seconds) for at most `patience` seconds; other errors and a longer outage propagate. `call`
    must be a whole unit of work, safe to run again."""

    def _waiting(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        if error is not None and disk_full(error):
            log.error("disk_full", what=what, attempt=state.attempt_number)
        log.warning(
            "database.waiting",
            what=what,
            attempt=state.attempt_number,
            error=type(error).__name__,
        )

    retrying = AsyncRetrying(
        retry=retry_if_exception(worth_retrying),
        wait=wait_exponential(multiplier=0.2, max=max_wait),
        stop=stop_after_delay(patience),
        before_sleep=_waiting,
        reraise=True,
    )
    async for attempt in retrying:
        with attempt:
            return await call()
    raise AssertionError("unreachable")  # pragma: no cover


async def whole_unit(sessionmaker: SessionMaker, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """`work` in a `session_scope` of its own, run to its end even when the caller is
    cancelled meanwhile (a job stopped by an update or a delete): the unit commits or rolls back,
    then the cancellation takes effect. A statement cut off halfway could leave its connection
    inside a transaction, and on SQLite the write lock with it (an update then waited 30 s on
    that lock and answered 503)."""

    async def unit() -> T:
        async with session_scope(sessionmaker) as db:
            return await work(db)

    attempt = asyncio.ensure_future(unit())
    try:
        return await asyncio.shield(attempt)
    except asyncio.CancelledError:
        while not attempt.done():  # cancelled again meanwhile (a pool stopping its workers)
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait([attempt])
        if not attempt.cancelled():
            attempt.exception()  # seen: the caller is told of the cancellation
        raise


class PatientUnits:
    """A background job's way to the database: each call one unit of work in a
    `session_scope` of its own; while the database is away (a restart), busy or full, wait for
    it (`patiently`) for at most `patience` seconds."""

    def __init__(self, sessionmaker: SessionMaker, *, patience: float) -> None:
        self._sessionmaker = sessionmaker
        self._patience = patience

    async def __call__(self, what: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        async def once() -> T:
            return await whole_unit(self._sessionmaker, work)

        return await patiently(once, patience=self._patience, what=what)


def upsert_insert(db: AsyncSession, model: type[Any]) -> Any:
    """An INSERT of the session's dialect that takes `on_conflict_do_update`/`_do_nothing`
    (PostgreSQL's and SQLite's)."""
    dialect = db.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model)
    if dialect == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"no upsert for {dialect}")
