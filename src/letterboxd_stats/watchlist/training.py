"""The taste model trained for a library in the background of the API process, never in a
request: a request that finds no result for the library's current version asks for one
(`TasteTrainer.request`) and answers with what is stored meanwhile. The training itself (CPU,
up to a few seconds) runs in a worker thread; one library at a time per library."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import anyio
import structlog

from letterboxd_stats.db import SessionMaker, session_scope, whole_unit
from letterboxd_stats.logging import short_id
from letterboxd_stats.sessions import repository as sessions_repository
from letterboxd_stats.stats import repository as stats_repository
from letterboxd_stats.stats.rows import Labels, SessionRows
from letterboxd_stats.watchlist import repository
from letterboxd_stats.watchlist.constants import MIN_RATED

log = structlog.get_logger(__name__)
USABLE = ("matched", "needs_review")


def compute(rows: SessionRows) -> tuple[int, dict[str, Any] | None, dict[str, Any]]:
    """(rated films with TMDB data, the accuracy or None below the minimum, the predictions by
    watchlist entry number). Pure and CPU-bound: run in a thread."""
    # Imported here: scikit-learn and SciPy take about a second to import, which a process
    # pays when it first trains rather than at every start (workers, CLI, tests).
    from letterboxd_stats.watchlist.model import train

    rated = [
        (f.tmdb, f.rating)
        for f in rows.films
        if f.tmdb is not None and f.rating is not None and f.match_status in USABLE
    ]
    labels = Labels(f for f, _ in rated)
    model = train(rated, labels)
    if model is None:
        return len(rated), None, {}
    predictions: dict[str, Any] = {}
    for entry in rows.watchlist:
        if entry.tmdb is not None and entry.match_status in USABLE:
            p = model.predict(entry.tmdb)
            predictions[str(entry.entry_no)] = [p.stars, p.low, p.high, list(p.reasons)]
    accuracy = asdict(model.accuracy)
    return len(rated), accuracy, predictions


class TasteTrainer:
    def __init__(self, sessionmaker: SessionMaker) -> None:
        self._sessionmaker = sessionmaker
        self._tasks: dict[uuid.UUID, asyncio.Task[None]] = {}

    def request(self, session_id: uuid.UUID) -> None:
        """Train the library's model soon (in the background); already training: nothing."""
        if session_id not in self._tasks:
            task = asyncio.create_task(self.train(session_id))
            self._tasks[session_id] = task
            task.add_done_callback(lambda _: self._tasks.pop(session_id, None))

    def training(self, session_id: uuid.UUID) -> bool:
        return session_id in self._tasks

    async def wait_idle(self) -> None:
        """Until no library is being trained (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    async def stop(self, patience: float = 10.0) -> None:
        """Let the trainings under way end (a few seconds at most), then cancel what is left:
        a cancelled one stores nothing and is asked for again next time."""
        if self._tasks:
            await asyncio.wait(list(self._tasks.values()), timeout=patience)
        for task in list(self._tasks.values()):
            task.cancel()
        await self.wait_idle()

    async def train(self, session_id: uuid.UUID) -> None:
        """Train the library's model now and store it (the end of an enrichment job awaits
        this: its runner is idle only once the model is stored). Never raises but a
        cancellation: a failure is logged, and the next request asks again."""
        try:
            async with session_scope(self._sessionmaker) as db:
                session = await sessions_repository.get(db, session_id)
                if session is None:
                    return
                stored = await repository.model_state(db, session_id)
                if stored is not None and stored.version == session.updated_at:
                    # this version's model is stored (a job resumed after a restart, in its
                    # last phase): not trained again
                    return
                usable = await repository.rated_with_tmdb(db, session_id)
                # too few to learn from: said so without loading the library
                rows = await stats_repository.load(db, session_id) if usable >= MIN_RATED else None
            version = session.updated_at
            predictions: dict[str, Any]
            if rows is None:
                rated, accuracy, predictions = usable, None, {}
            else:
                rated, accuracy, predictions = await anyio.to_thread.run_sync(compute, rows)
            kept = await whole_unit(
                self._sessionmaker,
                lambda db: repository.store(
                    db, session_id, version, datetime.now(UTC), rated, accuracy, predictions
                ),
            )
            log.info("taste.trained", session=short_id(session_id), rated=rated, stored=kept)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a library deleted meanwhile, the database away: next time
            log.warning("taste.failed", session=short_id(session_id), error=type(exc).__name__)
