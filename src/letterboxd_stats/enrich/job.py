"""The enrichment job of one session, as a state machine: begin (the session goes
`enriching`), the library's pending films, `completed` (or `failed`: TMDB refused the key, or a
bug), then the watchlist's films (a second phase, counted apart), then the taste model is trained
(`after`). It takes a session id and opens its own database sessions;
a database that goes away is waited for, and a job stopped unfinished is resumed from the films
still `pending`. The films themselves go through the `pipeline` (match, fetch) and the
`writes` (batched, with the counters).

* Durable: a film's result is written (with the counters, in one transaction) a fraction of a
  second after it is known; a restarted job loads only the films still `pending`.
* Cheap: matches (by normalised title + year) and metadata (by TMDB id) are global caches, so a
  film known from any earlier upload costs no request. Concurrent jobs share in-flight requests.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.db import PatientUnits, SessionMaker, disk_full, worth_retrying
from letterboxd_stats.enrich import repository
from letterboxd_stats.enrich.pipeline import Pipeline
from letterboxd_stats.enrich.writes import Writer
from letterboxd_stats.logging import short_id
from letterboxd_stats.models import SessionStatus
from letterboxd_stats.tmdb.client import DISABLED_NOTICE, TmdbAuthError, TmdbClient

log = structlog.get_logger(__name__)


class Enricher:
    """One per process, for either runner: `run(session_id)` is the whole, resumable job."""

    def __init__(
        self,
        sessionmaker: SessionMaker,
        client: TmdbClient | None,
        *,
        workers: int = 20,
        search_tv: bool = True,
        fix_quorum: int = 0,
        write_batch: int = 50,
        write_interval: float = 0.25,
        db_patience: float = 600.0,
        on_stored: Callable[[int], None] | None = None,  # told how many film results were stored
        after: Callable[[uuid.UUID], Awaitable[None]] | None = None,
    ) -> None:
        """`after`: the job's last step once the library is completed (the taste model is
        trained from what the job stored); it must not raise."""
        self._after = after
        self._in_db = PatientUnits(sessionmaker, patience=db_patience)
        writer = Writer(self._in_db, write_batch, write_interval, on_stored or (lambda _n: None))
        self._pipeline = (
            Pipeline(
                client,
                self._in_db,
                writer,
                workers=workers,
                search_tv=search_tv,
                fix_quorum=fix_quorum,
            )
            if client is not None
            else None
        )

    async def run(self, session_id: uuid.UUID) -> None:
        structlog.contextvars.clear_contextvars()  # a task starts with a copy of its creator's

        async def begin(db: AsyncSession) -> tuple[bool, str] | None:
            session = await repository.get_session(db, session_id)
            if session is None or session.status in (SessionStatus.failed, SessionStatus.cancelled):
                return None
            library_done = session.status is SessionStatus.completed
            if not library_done:
                await repository.set_status(db, session_id, SessionStatus.enriching)
            return library_done, session.trace_id or uuid.uuid4().hex[:16]

        begun = await self._in_db("job.start", begin)
        if begun is None:
            return
        library_done, trace_id = begun
        with structlog.contextvars.bound_contextvars(
            session_id=short_id(session_id), trace_id=trace_id
        ):
            if not library_done:
                library_done = await self._library(session_id)
            if library_done and self._pipeline is not None:
                await self._watchlist(session_id, self._pipeline)
            if library_done and self._after is not None:
                await self._after(session_id)

    async def _watchlist(self, session_id: uuid.UUID, pipeline: Pipeline) -> None:
        """After the library (the session is already `completed`), the watchlist's films."""
        try:
            entries = await self._in_db(
                "watchlist.pending", lambda db: repository.pending_watchlist(db, session_id)
            )
            if not entries:
                return
            log.info("enrich.watchlist", pending=len(entries))
            cached = await pipeline.preload(entries)
            await pipeline.enrich_all(
                session_id, entries, cached, repository.record_watchlist_results, providers=True
            )
        except asyncio.CancelledError:
            raise
        except Exception:  # the library is complete; the watchlist is retried on next start
            log.exception("enrich.watchlist_failed")

    async def _library(self, session_id: uuid.UUID) -> bool:
        """The library's films; True when the session completed."""
        pipeline = self._pipeline
        if pipeline is None:
            log.warning("enrich.disabled")
            await self._finish(session_id, SessionStatus.completed, DISABLED_NOTICE)
            return True
        try:
            films = await self._in_db(
                "films.pending", lambda db: repository.pending_films(db, session_id)
            )
            log.info("enrich.start", pending=len(films))
            cached = await pipeline.preload(films)
            await pipeline.enrich_all(session_id, films, cached, repository.record_results)
        except TmdbAuthError as exc:
            log.error("enrich.auth_failed")
            await self._finish(session_id, SessionStatus.failed, str(exc))
            return False
        except asyncio.CancelledError:
            log.info("enrich.interrupted")  # state is in the database; resumed on next start
            raise
        except Exception as exc:
            if worth_retrying(exc):  # away, busy or full beyond our patience: resumed on next start
                gone = "enrich.disk_full" if disk_full(exc) else "enrich.database_gone"
                log.error(gone, error=type(exc).__name__)
                return False
            log.exception("enrich.failed")
            await self._finish(
                session_id, SessionStatus.failed, f"enrichment stopped: {type(exc).__name__}"
            )
            return False
        await self._finish(session_id, SessionStatus.completed, None)
        log.info("enrich.done")
        return True

    async def _finish(
        self, session_id: uuid.UUID, status: SessionStatus, message: str | None
    ) -> None:
        await self._in_db(
            "job.finish",
            lambda db: repository.set_status(db, session_id, status, error_message=message),
        )
