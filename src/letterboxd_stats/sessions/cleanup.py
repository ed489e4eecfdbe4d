"""Expired sessions are deleted by a periodic task inside the app: a library expires
SESSION_TTL_DAYS after its last activity (`UploadSession.last_active_at`, moved by
`service.note_activity`), whatever the setting was when it was last active; 0 days: never."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy.exc import DBAPIError

from letterboxd_stats.db import SessionMaker, session_scope
from letterboxd_stats.sessions import repository

log = structlog.get_logger(__name__)


async def delete_expired(
    sessionmaker: SessionMaker, ttl: timedelta | None, now: datetime | None = None
) -> int:
    """Delete every session inactive for longer than `ttl` (None: none ever expires), each
    with all its rows. Returns how many."""
    if ttl is None:
        return 0
    async with session_scope(sessionmaker) as db:
        expired = await repository.expired_ids(db, (now or datetime.now(UTC)) - ttl)
    for session_id in expired:
        async with session_scope(sessionmaker) as db:  # one transaction per session
            await repository.delete(db, session_id)
    if expired:
        log.info("sessions.expired_deleted", count=len(expired))
    return len(expired)


def session_ttl(days: int) -> timedelta | None:
    """SESSION_TTL_DAYS as a duration; 0 days: libraries never expire (None)."""
    return timedelta(days=days) if days > 0 else None


class PeriodicCleanup:
    def __init__(
        self, sessionmaker: SessionMaker, interval_seconds: float, ttl: timedelta | None
    ) -> None:
        self._sessionmaker = sessionmaker
        self._interval = interval_seconds
        self._ttl = ttl
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._ttl is not None:  # nothing ever expires: no task
            self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        while True:
            try:
                await delete_expired(self._sessionmaker, self._ttl)
            except (OSError, DBAPIError) as exc:  # the database is away: try again next time
                log.warning("sessions.cleanup_failed", error=type(exc).__name__)
            await asyncio.sleep(self._interval)
