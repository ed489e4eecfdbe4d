"""The enrichment job of one session. It takes an id and opens its own database sessions.

TMDB matching and metadata arrive with the TMDB issue; until then the job walks the status
machine (processing -> enriching -> completed) without enriching anything.
"""

from __future__ import annotations

import uuid

import structlog

from letterboxd_stats.db import SessionMaker, session_scope
from letterboxd_stats.enrich import repository
from letterboxd_stats.logging import short_id
from letterboxd_stats.models import SessionStatus

log = structlog.get_logger(__name__)


async def run_enrichment(sessionmaker: SessionMaker, session_id: uuid.UUID) -> None:
    structlog.contextvars.clear_contextvars()  # a task starts with a copy of the request's context
    with structlog.contextvars.bound_contextvars(
        session=short_id(session_id), trace_id=uuid.uuid4().hex[:16]
    ):
        log.info("enrich.start")
        try:
            async with session_scope(sessionmaker) as db:
                await repository.set_status(db, session_id, SessionStatus.enriching)
            async with session_scope(sessionmaker) as db:
                await repository.set_status(db, session_id, SessionStatus.completed)
        except Exception as exc:
            log.exception("enrich.failed")
            async with session_scope(sessionmaker) as db:
                await repository.set_status(
                    db,
                    session_id,
                    SessionStatus.failed,
                    error_message=f"enrichment stopped: {type(exc).__name__}",
                )
            return
        log.info("enrich.done")
