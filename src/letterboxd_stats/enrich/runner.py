"""The job runner interface, and the in-process runner of the embedded (SQLite) default: one
background task per session inside the app's event loop.

Durable state lives in the database: on start the runner picks up every session that had not
finished (after a crash or restart), so nothing is lost with the process. On PostgreSQL the
same jobs go through procrastinate (`enrich/queue.py`); nothing else knows which one runs.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

import structlog
from sqlalchemy.exc import DBAPIError

from letterboxd_stats.db import SessionMaker, session_scope
from letterboxd_stats.enrich import repository
from letterboxd_stats.logging import short_id

log = structlog.get_logger(__name__)

Job = Callable[[uuid.UUID], Coroutine[Any, Any, None]]


class JobRunner(Protocol):
    async def submit(self, session_id: uuid.UUID) -> None:
        """Enrich this session (once its import is committed); a no-op when queued already."""

    async def cancel(self, session_id: uuid.UUID) -> None:
        """Stop the session's job now (its status is already `cancelled`)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def active_jobs(self) -> dict[str, int]:
        """Jobs waiting (`todo`) and running (`doing`)."""

    async def wait_idle(self) -> None:
        """Until no job is waiting or running."""


class InProcessRunner:
    def __init__(self, sessionmaker: SessionMaker, job: Job) -> None:
        self._sessionmaker = sessionmaker
        self._job = job
        self._tasks: dict[uuid.UUID, asyncio.Task[None]] = {}

    async def submit(self, session_id: uuid.UUID) -> None:
        self._submit(session_id)

    async def cancel(self, session_id: uuid.UUID) -> None:
        task = self._tasks.get(session_id)
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def active_jobs(self) -> dict[str, int]:
        return {"todo": 0, "doing": len(self._tasks)}

    def _submit(self, session_id: uuid.UUID) -> None:
        if session_id in self._tasks:
            return
        task = asyncio.create_task(self._job(session_id))
        self._tasks[session_id] = task
        task.add_done_callback(lambda done: self._ended(session_id, done))

    def _ended(self, session_id: uuid.UUID, task: asyncio.Task[None]) -> None:
        self._tasks.pop(session_id, None)
        if not task.cancelled() and (error := task.exception()) is not None:
            # the job logs its own failures; this is what escaped it (e.g. the database gone
            # for longer than its patience): the session is resumed on the next start
            log.error("enrich.job_ended", session=short_id(session_id), error=type(error).__name__)

    async def start(self) -> None:
        try:
            async with session_scope(self._sessionmaker) as db:
                unfinished = await repository.unfinished_session_ids(db)
        except (OSError, DBAPIError) as exc:
            # The app still starts (health answers 503); unfinished jobs wait for a restart.
            log.warning("enrich.resume_skipped", error=type(exc).__name__)
            return
        for session_id in unfinished:
            log.info("enrich.resume", session=short_id(session_id))
            self._submit(session_id)

    async def stop(self) -> None:
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()

    async def wait_idle(self) -> None:
        """Wait until every submitted job has ended (tests and the CLI use it)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)
