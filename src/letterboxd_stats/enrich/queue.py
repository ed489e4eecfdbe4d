"""Enrichment jobs through procrastinate, on PostgreSQL: several API and worker processes share
one queue in the database.

* One job per session: `queueing_lock` keeps a single job waiting per session and `lock`
  makes sure two workers never run the same session at once.
* A job is the same resumable `Enricher.run` the in-process runner calls: a retried or
  resumed job only does the films still pending.
* Interrupted jobs come back: a worker stopped by SIGTERM aborts its jobs, which are retried at
  once (on another worker); a worker that died (SIGKILL, lost machine) stops sending
  heartbeats, and the periodic `maintenance` task retries its jobs. The same task re-queues a
  session whose job was lost between the upload's commit and the job's creation.
* Cancel: the job is aborted through procrastinate (LISTEN/NOTIFY, polling as a fallback),
  which cancels its asyncio task.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from dataclasses import dataclass
from typing import NamedTuple

import psycopg
import structlog
from procrastinate import App, PsycopgConnector, RetryDecision
from procrastinate.exceptions import AlreadyEnqueued, ConnectorException
from procrastinate.jobs import Job
from procrastinate.retry import BaseRetryStrategy
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from letterboxd_stats.db import SessionMaker, session_scope
from letterboxd_stats.enrich import repository
from letterboxd_stats.enrich.runner import Job as EnrichJob
from letterboxd_stats.logging import short_id

log = structlog.get_logger(__name__)

ENRICH_TASK = "enrich_session"
MAINTENANCE_TASK = "maintenance"
ACTIVE = ("todo", "doing")


class ActiveJob(NamedTuple):
    id: int
    lock: str  # the session's id
    status: str  # "todo" or "doing"


@dataclass(frozen=True, slots=True)
class QueueOptions:
    inline_workers: bool = True  # a worker inside this (API) process
    concurrency: int = 4  # sessions one worker process enriches at once
    heartbeat_seconds: float = 10.0
    stalled_seconds: float = 30.0  # no heartbeat for this long: the worker is dead
    maintenance_seconds: int = 10  # how often stalled jobs and lost sessions are looked for
    abort_poll_seconds: float = 1.0  # fallback to LISTEN/NOTIFY for cancels
    # fallback to LISTEN/NOTIFY for new jobs: the worker's first fetch and its listener start
    # together, so a job deferred between the two is only found by the next poll
    poll_seconds: float = 1.0
    pool_size: int = 4  # psycopg connections of the queue in one process (see `start`)


def conninfo(database_url: str) -> str:
    """psycopg's form of our SQLAlchemy URL (`postgresql+asyncpg://…` → `postgresql://…`).
    The queue is procrastinate's, on psycopg, its only driver; the rest of the app stays on
    asyncpg, measured faster (see `db.create_engine`): two drivers, a pool each."""
    scheme, rest = database_url.split("://", 1)
    return f"{scheme.split('+', 1)[0]}://{rest}"


class _ResumeInterrupted(BaseRetryStrategy):
    """An interrupted job (its worker stopped, or a database outage longer than the job's
    patience) is queued again: at once when it was cancelled by a shutdown, a little later
    otherwise. The job resumes from the films still pending."""

    def __init__(self, max_attempts: int = 50) -> None:
        self.max_attempts = max_attempts

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if job.attempts >= self.max_attempts:
            return None
        if isinstance(exception, asyncio.CancelledError):
            return RetryDecision(retry_in={"seconds": 0})
        return RetryDecision(retry_in={"seconds": 5})


def build_app() -> App:
    """A procrastinate app on our database (its schema comes with our migrations). Its
    connector gets no connection settings: `QueueRunner.start` opens it on a pool of ours
    (procrastinate then ignores the connector's own pool arguments)."""
    return App(connector=PsycopgConnector())


class QueueRunner:
    """The job runner on procrastinate. With `inline_workers` a worker runs in this process's
    event loop; otherwise this process only queues jobs (`letterboxd-stats worker` runs them).
    """

    def __init__(
        self,
        app: App,
        database_url: str,
        sessionmaker: SessionMaker,
        job: EnrichJob,
        options: QueueOptions,
        *,
        run_worker: bool | None = None,
    ) -> None:
        self.app = app
        self._sessionmaker = sessionmaker
        self._job = job
        self._options = options
        self._run_worker = options.inline_workers if run_worker is None else run_worker
        self._worker: asyncio.Task[None] | None = None
        self._open = False
        self._stopping = False
        self._pool: AsyncConnectionPool | None = None
        self._database_url = database_url
        self._enrich = app.task(name=ENRICH_TASK, retry=_ResumeInterrupted(), pass_context=False)(
            self._enrich_session
        )
        seconds = max(1, min(options.maintenance_seconds, 59))
        app.periodic(cron=f"* * * * * */{seconds}", periodic_id="maintenance")(
            app.task(name=MAINTENANCE_TASK, queueing_lock=MAINTENANCE_TASK)(self._maintenance)
        )

    async def _enrich_session(self, session_id: str) -> None:
        await self._job(uuid.UUID(session_id))

    async def _maintenance(self, timestamp: int) -> None:
        await self.retry_stalled()
        await self.reconcile()

    async def start(self) -> None:
        """Open the queue without waiting for the database (the app starts while it is down
        and answers 503), look for lost sessions, start the inline worker."""
        pool = AsyncConnectionPool(
            conninfo(self._database_url),
            min_size=1,
            max_size=self._options.pool_size,
            timeout=10,
            open=False,
            check=AsyncConnectionPool.check_connection,  # a connection lost meanwhile is replaced
        )
        await pool.open(wait=False)
        await self.app.open_async(pool=pool)
        self._pool = pool
        self._open = True
        try:
            await self.reconcile()
        except (OSError, psycopg.Error, PoolTimeout, ConnectorException) as exc:
            log.warning("enrich.reconcile_skipped", error=type(exc).__name__)
        if self._run_worker:
            self._worker = asyncio.create_task(self.run_worker())

    async def run_worker(self) -> None:
        """A worker in this process until `stop()` (the CLI calls it on SIGTERM/SIGINT). A
        worker that stops by itself (its database connection failed: a PostgreSQL restart) is
        started again; its jobs were put back in the queue or are found stalled and retried."""
        o = self._options
        while not self._stopping:
            try:
                await self.app.run_worker_async(
                    concurrency=o.concurrency,
                    wait=True,
                    listen_notify=True,
                    fetch_job_polling_interval=o.poll_seconds,
                    abort_job_polling_interval=o.abort_poll_seconds,
                    shutdown_graceful_timeout=0,  # abort at once: the job resumes elsewhere
                    update_heartbeat_interval=o.heartbeat_seconds,
                    stalled_worker_timeout=o.stalled_seconds,
                    delete_jobs="successful",
                    install_signal_handlers=False,
                )
            except asyncio.CancelledError:
                if self._stopping:
                    return  # stopped on purpose; procrastinate re-queued the running jobs
                raise
            except Exception as exc:
                log.warning("enrich.worker_failed", error=type(exc).__name__)
            if not self._stopping:
                log.warning("enrich.worker_restarting")
                await asyncio.sleep(2)

    def request_stop(self, worker: asyncio.Task[None]) -> None:
        """Stop the worker running in `worker` (a signal handler's job)."""
        self._stopping = True
        worker.cancel()

    async def stop(self) -> None:
        self._stopping = True
        if self._worker is not None:
            self._worker.cancel()  # procrastinate shuts the worker down: jobs are re-queued
            await asyncio.gather(self._worker, return_exceptions=True)
            self._worker = None
        if self._open:
            self._open = False
            await self.app.close_async()
            if self._pool is not None:
                await self._pool.close()
                self._pool = None

    async def submit(self, session_id: uuid.UUID) -> None:
        key = str(session_id)
        with contextlib.suppress(AlreadyEnqueued):  # a job is already waiting for it
            await self._enrich.configure(lock=key, queueing_lock=key).defer_async(session_id=key)
        log.info("enrich.queued", session=short_id(session_id))

    async def cancel(self, session_id: uuid.UUID) -> None:
        manager = self.app.job_manager
        for job in await manager.list_jobs_async(task=ENRICH_TASK, lock=str(session_id)):
            if job.id is not None and job.status in ACTIVE:
                await manager.cancel_job_by_id_async(job.id, abort=True)

    async def retry_stalled(self) -> list[int]:
        """Jobs of workers that stopped sending heartbeats go back to the queue."""
        manager = self.app.job_manager
        stalled = await manager.get_stalled_jobs(
            seconds_since_heartbeat=self._options.stalled_seconds
        )
        retried: list[int] = []
        for job in stalled:
            assert job.id is not None
            await manager.retry_job(job)
            retried.append(job.id)
            log.warning("enrich.stalled_job_retried", job=job.id, lock=_short(job.lock))
        await manager.prune_stalled_workers(self._options.stalled_seconds)
        return retried

    async def reconcile(self) -> list[uuid.UUID]:
        """Sessions with work left and no job (lost between the upload's commit and the
        job's creation, or queued on a database that was restored) are queued again."""
        async with session_scope(self._sessionmaker) as db:
            unfinished = await repository.unfinished_session_ids(db)
        if not unfinished:
            return []
        queued = {job.lock for job in await self._active()}
        lost = [s for s in unfinished if str(s) not in queued]
        for session_id in lost:
            log.warning("enrich.requeued", session=short_id(session_id))
            await self.submit(session_id)
        return lost

    async def _active(self) -> list[ActiveJob]:
        """Every enrichment job waiting or running, through procrastinate's job manager. It
        filters on one status a call: `todo` is listed first, then `doing`, so that a job moving
        from one to the other meanwhile is seen (twice: it counts once, as `doing`), never
        missed. (Listing every status would read the failed and cancelled jobs kept too.)"""
        manager = self.app.job_manager
        active: dict[int, ActiveJob] = {}
        for status in ACTIVE:
            for job in await manager.list_jobs_async(task=ENRICH_TASK, status=status):
                if job.id is not None:
                    active[job.id] = ActiveJob(job.id, job.lock or "", status)
        return list(active.values())

    async def active_jobs(self) -> dict[str, int]:
        """Enrichment jobs waiting and running, across every process (for metrics)."""
        statuses = [job.status for job in await self._active()]
        return {status: statuses.count(status) for status in ACTIVE}

    async def wait_idle(self, poll: float = 0.05) -> None:
        """Until no enrichment job is waiting or running (tests and the CLI use it)."""
        while self._open and await self._active():
            await asyncio.sleep(poll)


def _short(lock: str | None) -> str:
    return lock[:8] if lock else "-"
