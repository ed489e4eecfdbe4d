"""Fresh metadata: TMDB's data changes (vote averages move; new films get their runtimes and
credits later), and TMDB allows caching it for up to six months. When a library is opened (its
statistics, its films, its dashboard), the films it uses whose metadata is older than
`TMDB_REFRESH_DAYS` are queued, and one background task per process (`MetadataRefresher`,
started in the app's lifespan) fetches them again and stores them with the same writer as the
enrichment job (`tmdb.metadata.movie_row`, `enrich.repository.upsert_movies`: the data, the
typed columns, the packed tags, `fetched_at`). The request that opened the library only notes
its id: it never waits for the database or TMDB on the refresh's behalf.

How the refresh stays out of enrichment's way, and within its budget:

* **It yields to enrichment.** Before each film it asks the job runner whether any enrichment
  job is waiting or running (`JobRunner.active_jobs`: this process's tasks on SQLite, the
  queue of every process on PostgreSQL) and, while one is, waits and asks again. A job thus has
  the whole TMDB budget, as it would without the refresh: a job that starts while a film is
  being fetched shares it with that one request (and its retries), never with the queue. Asking
  the runner rather than watching a limiter for idleness: the runner knows every job of the
  deployment, while a process's limiter (even the shared one) cannot tell a job that is about to
  ask from one that is done, nor another process's job waiting for its slot.
* **Its own pace**, `TMDB_REFRESH_PER_MINUTE`: one request every 60/N s, evenly spaced, not a
  bucket with a burst (N requests the moment a library is opened would take N/40 s of the whole
  budget at once): `Pace` in the one process of SQLite, a `PostgresLimiter` of its own
  (`tmdb-refresh`) shared by every process on PostgreSQL. Every request the refresh sends
  waits for a slot of this pace, its retries too, then for a slot of the process's (or the
  deployment's) budget like any other request, through the one `TmdbClient` (so one 429 pauses
  the refresh too): the refresher's task marks its context (`_REFRESHING`), and the client's
  limiter, wrapped in `RefreshPaced` by the composition root, reads the mark. The retries
  happen inside the client: a pace taken once per film would let a failing film's retries (up
  to `TMDB_MAX_ATTEMPTS`) through uncounted.
* **Once per film, whichever process.** A film is claimed before it is asked for
  (`tmdb_movies.refresh_claimed_until`, one conditional UPDATE: of two processes claiming it at
  once, one gets it); a film claimed by another process, or refreshed meanwhile, is skipped.
  Within a process the queue holds each film once, and a library opened again within
  `recheck` seconds is not looked at again.
* **Failures.** 404: the film is gone from TMDB; its metadata is kept and marked fetched now, so
  it is not asked for again at every open. 5xx, timeouts, bad bodies (after the client's
  retries), any other refusal: the film is left for later (its claim lapses after `claim`, an
  hour; the next open after that queues it again). A rejected key drops the queue (every film
  would be refused). Each is logged with the film's id and the client's reason, which never
  holds the URL or the key. The database away, busy or full is waited for (`PatientUnits`), then
  logged; the task carries on with the next film, never ends by itself.
* **The statistics' cache.** A film whose stored metadata changed moves the `updated_at` of
  every session whose films or watchlist use it, in the transaction that stores it
  (`enrich.repository.store_refreshed_movie`): `updated_at` is the key of the cached `/stats`
  answers, which are then computed again.
"""

from __future__ import annotations

import asyncio
import math
import time
import uuid
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta

import structlog
from cachetools import TTLCache

from letterboxd_stats.db import PatientUnits, SessionMaker, worth_retrying
from letterboxd_stats.enrich import repository
from letterboxd_stats.enrich.repository import Entry
from letterboxd_stats.enrich.runner import JobRunner
from letterboxd_stats.logging import short_id
from letterboxd_stats.tmdb.client import TmdbAuthError, TmdbClient, TmdbError, TmdbNotFound
from letterboxd_stats.tmdb.decision import TmdbKind
from letterboxd_stats.tmdb.limiter import RateLimiter
from letterboxd_stats.tmdb.metadata import movie_row, tv_row

log = structlog.get_logger(__name__)

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]
Now = Callable[[], datetime]

CLAIM = timedelta(hours=1)
"""How long a process holds a film it refreshes; a failed refresh leaves the film this long."""
MAX_QUEUED = 100_000
"""Films waiting in one process's queue at most; more are found again at a later open."""

_REFRESHING: ContextVar[bool] = ContextVar("tmdb_refreshing", default=False)
"""True in the refresher's task: the requests it sends take a slot of the refresh's pace."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Pace:
    """At most `per_minute` requests in any minute, evenly spaced: a slot every 60/per_minute
    s, no burst. `clock` and `sleep` are what it times and waits with (a test injects both)."""

    def __init__(
        self, per_minute: int, *, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> None:
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.interval = 60.0 / per_minute
        self._clock = clock
        self._sleep = sleep
        self._next = -math.inf
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            if (wait := self._next - self._clock()) > 0:
                await self._sleep(wait)
            self._next = max(self._clock(), self._next) + self.interval


class RefreshPaced:
    """The TMDB client's limiter (`RateLimiter`), with the refresh's pace (another one) in front
    of it for the requests sent from the refresher's task (every attempt, retries included);
    other requests (the enrichment jobs', the users') go straight to `limiter`, unpaced."""

    def __init__(self, limiter: RateLimiter, pace: RateLimiter) -> None:
        self.limiter = limiter
        self.pace = pace

    async def acquire(self) -> None:
        if _REFRESHING.get():
            await self.pace.acquire()
        await self.limiter.acquire()


class MetadataRefresher:
    """One per API process: `opened(session_id)` when a library is opened; `start()` and
    `stop()` in the app's lifespan. Off (every call a no-op) without a TMDB client or with
    `enabled=False` (`TMDB_REFRESH_PER_MINUTE=0`). The client's limiter should be `RefreshPaced`
    (`resources.tmdb_client`): the refresh's pace is taken there.

    `idle_poll`: how often the runner is asked again while enrichment runs; `recheck`: a library
    opened again within this many seconds is not looked at again; `claim`: how long a film being
    refreshed is held (a failed refresh leaves it that long). `sleep` and `clock` (the recheck's
    monotonic time) and `now` (the wall clock of `fetched_at` and the claims) are injectable.
    """

    def __init__(
        self,
        sessionmaker: SessionMaker,
        client: TmdbClient | None,
        runner: JobRunner,
        *,
        max_age: timedelta,
        enabled: bool = True,
        db_patience: float = 600.0,
        idle_poll: float = 2.0,
        recheck: float = 600.0,
        claim: timedelta = CLAIM,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.monotonic,
        now: Now = _utc_now,
    ) -> None:
        self._in_db = PatientUnits(sessionmaker, patience=db_patience)
        self._client = client if enabled else None
        self._runner = runner
        self._max_age = max_age
        self._idle_poll = idle_poll
        self._claim = claim
        self._sleep = sleep
        self._now = now
        self._checked: TTLCache[uuid.UUID, bool] = TTLCache(10_000, recheck, timer=clock)
        self._sessions: dict[uuid.UUID, None] = {}  # opened, not looked at yet (in order)
        self._films: dict[Entry, None] = {}  # TMDB entries to refresh (in order, each once)
        self._wake = asyncio.Event()  # work has come
        self._idle = asyncio.Event()  # nothing queued, nothing under way
        self._idle.set()
        self._task: asyncio.Task[None] | None = None
        self.refreshed = 0  # films stored afresh by this process

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self) -> None:
        if self._client is not None and self._task is None:
            self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Stop the task; a film being refreshed stays claimed until its claim lapses."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
            self._idle.set()

    def opened(self, session_id: uuid.UUID) -> None:
        """A library was opened: its stale films are queued (soon, in the background). Never
        waits, never fails: a request calls it."""
        if self._task is None or session_id in self._checked or session_id in self._sessions:
            return
        self._checked[session_id] = True
        self._sessions[session_id] = None
        self._idle.clear()
        self._wake.set()

    async def wait_idle(self) -> None:
        """Until nothing is queued or being refreshed (tests use it)."""
        await self._idle.wait()

    async def _run(self) -> None:
        _REFRESHING.set(True)  # this task's context only: its requests take the pace's slots
        while True:
            if not self._sessions and not self._films:
                self._idle.set()
                self._wake.clear()
                await self._wake.wait()
            try:
                await self._yield_to_enrichment()
                await self._step()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database gone beyond our patience, or a bug
                if worth_retrying(exc):
                    log.warning("refresh.database_gone", error=type(exc).__name__)
                else:
                    log.exception("refresh.error", error=type(exc).__name__)
                await self._sleep(self._idle_poll)

    async def _yield_to_enrichment(self) -> None:
        waited = False
        while any((await self._runner.active_jobs()).values()):
            if not waited:
                log.debug("refresh.yielding")
                waited = True
            await self._sleep(self._idle_poll)

    async def _step(self) -> None:
        """Look at one opened library, or else refresh one film."""
        if self._sessions:
            session_id = next(iter(self._sessions))
            del self._sessions[session_id]
            await self._look_at(session_id)
            return
        entry = next(iter(self._films))
        del self._films[entry]
        await self._refresh(entry)

    async def _look_at(self, session_id: uuid.UUID) -> None:
        now = self._now()
        stale = await self._in_db(
            "refresh.stale",
            lambda db: repository.stale_movie_ids(
                db, session_id, stale_before=now - self._max_age, now=now
            ),
        )
        new = [entry for entry in stale if entry not in self._films]
        for entry in new[: max(0, MAX_QUEUED - len(self._films))]:
            self._films[entry] = None
        if new:
            log.info("refresh.queued", session=short_id(session_id), films=len(new))

    async def _refresh(self, entry: Entry) -> None:
        """Fetch one film (or series) again and store it, if it is still stale and no one else
        has it."""
        kind, tmdb_id = entry
        client = self._client
        if client is None:
            return
        now = self._now()
        claimed = await self._in_db(
            "refresh.claim",
            lambda db: repository.claim_stale_movie(
                db, entry, stale_before=now - self._max_age, now=now, until=now + self._claim
            ),
        )
        if not claimed:
            return  # refreshed meanwhile, or another process has it
        try:
            if kind is TmdbKind.tv:
                row = tv_row(await client.tv(tmdb_id), self._now())
            else:
                row = movie_row(await client.movie(tmdb_id), self._now())
        except TmdbNotFound:
            # kept as it is; not asked again soon
            log.info("refresh.gone", kind=kind.value, tmdb_id=tmdb_id)
            fetched = self._now()
            await self._in_db(
                "refresh.gone", lambda db: repository.mark_movie_fetched(db, entry, fetched)
            )
            return
        except TmdbAuthError as exc:
            log.error("refresh.auth_failed", kind=kind.value, tmdb_id=tmdb_id, reason=str(exc))
            self._films.clear()  # every other film would be refused too
            return
        except TmdbError as exc:  # left for later: the claim lapses
            log.warning("refresh.failed", kind=kind.value, tmdb_id=tmdb_id, reason=str(exc))
            return
        changed = await self._in_db(
            "refresh.store", lambda db: repository.store_refreshed_movie(db, row)
        )
        self.refreshed += 1
        log.debug("refresh.stored", kind=kind.value, tmdb_id=tmdb_id, changed=changed)
