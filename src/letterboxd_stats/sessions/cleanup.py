"""Expired sessions (past `expires_at`) are deleted by a periodic task inside the app."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime

import structlog
from sqlalchemy.exc import DBAPIError

from letterboxd_stats.db import SessionMaker, session_scope
from letterboxd_stats.sessions import repository

log = structlog.get_logger(__name__)


async def delete_expired(sessionmaker: SessionMaker, now: datetime | None = None) -> int:
    """Delete every session past its `expires_at`, each with all its rows. Returns how many."""
    async with session_scope(sessionmaker) as db:
        expired = await repository.expired_ids(db, now or datetime.now(UTC))
    for session_id in expired:
        async with session_scope(sessionmaker) as db:  # one transaction per session
            await repository.delete(db, session_id)
    if expired:
        log.info("sessions.expired_deleted", count=len(expired))
    return len(expired)


class PeriodicCleanup:
    def __init__(self, sessionmaker: SessionMaker, interval_seconds: float) -> None:
        self._sessionmaker = sessionmaker
        self._interval = interval_seconds
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        while True:
            try:
                await delete_expired(self._sessionmaker)
            except (OSError, DBAPIError) as exc:  # the database is away: try again next time
                log.warning("sessions.cleanup_failed", error=type(exc).__name__)
            await asyncio.sleep(self._interval)
