"""The completion phase of an enrichment job, after the library and the watchlist: the
collections the library's films belong to and the filmographies of its most seen directors and
actors (`compute.TOP_PEOPLE` each), fetched from TMDB through the shared budget into global
caches (a collection once; a person again after `PERSON_MAX_AGE`). Bounded: at most 40 people
plus the collections touched. Exact counters (`extras_done` of `extras_total`), each moved in
the transaction that stores its item; a job stopped halfway resumes with what is not stored."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from functools import partial

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.completion import repository
from letterboxd_stats.completion.compute import TOP_PEOPLE, top_people
from letterboxd_stats.db import SessionMaker, session_scope, whole_unit
from letterboxd_stats.kit.workers import run_all
from letterboxd_stats.logging import short_id
from letterboxd_stats.tmdb.client import TmdbAuthError, TmdbClient, TmdbError, TmdbNotFound
from letterboxd_stats.tmdb.schemas import CollectionDetails, PersonCredits

log = structlog.get_logger(__name__)

PERSON_MAX_AGE = timedelta(days=30)
WORKERS = 8

Item = tuple[str, int]  # ("collection" | "person", TMDB id)


async def wanted(
    sessionmaker: SessionMaker, session_id: uuid.UUID, now: datetime, people: int = TOP_PEOPLE
) -> list[Item]:
    """What the library's completion needs and the caches lack: its collections not stored,
    its top directors' and actors' filmographies not stored or older than PERSON_MAX_AGE."""
    async with session_scope(sessionmaker) as db:
        conn = await db.connection()
        films = await repository.seen_films(conn, session_id)
        collection_ids = sorted({c for *_, c in films if c is not None})
        labelled = [(tags, labels) for _, tags, labels, _ in films]
        person_ids = sorted(
            {
                pid
                for section in ("directors", "actors")
                for pid, *_ in top_people(labelled, section, people)
            }
        )
        known = await repository.collections(conn, collection_ids)
        cached = await repository.people(conn, person_ids)
    fresh = {pid for pid, row in cached.items() if row.fetched_at > now - PERSON_MAX_AGE}
    return [("collection", c) for c in collection_ids if c not in known] + [
        ("person", p) for p in person_ids if p not in fresh
    ]


class CompletionPhase:
    def __init__(
        self,
        sessionmaker: SessionMaker,
        client: TmdbClient | None,
        *,
        people: int = TOP_PEOPLE,
        workers: int = WORKERS,
    ) -> None:
        """`people`: the most seen directors and actors whose filmographies are fetched (each;
        0: none, collections only)."""
        self._sessionmaker = sessionmaker
        self._client = client
        self._people = people
        self._workers = workers

    async def run(self, session_id: uuid.UUID) -> int:
        """Fetch what the library's completion lacks; how many requests it made. Never raises
        but a cancellation (or TMDB refusing the key): an item TMDB fails is counted done and
        left for the next time."""
        client = self._client
        if client is None:
            return 0
        try:
            todo = await wanted(self._sessionmaker, session_id, datetime.now(UTC), self._people)
            await whole_unit(
                self._sessionmaker, lambda db: repository.begin_extras(db, session_id, len(todo))
            )
            if not todo:
                return 0
            log.info("completion.start", session=short_id(session_id), items=len(todo))
            queue: asyncio.Queue[Item] = asyncio.Queue()
            for item in todo:
                queue.put_nowait(item)
            await run_all(
                self._worker(client, session_id, queue)
                for _ in range(min(self._workers, len(todo)))
            )
            log.info("completion.done", session=short_id(session_id), requests=len(todo))
            return len(todo)
        except asyncio.CancelledError:
            raise
        except TmdbAuthError:
            log.error("completion.auth_failed", session=short_id(session_id))
            return 0
        except Exception as exc:  # the database away: resumed with the job
            log.warning("completion.failed", session=short_id(session_id), error=type(exc).__name__)
            return 0

    async def _worker(
        self, client: TmdbClient, session_id: uuid.UUID, queue: asyncio.Queue[Item]
    ) -> None:
        while not queue.empty():
            kind, ref_id = queue.get_nowait()
            collection: CollectionDetails | None = None
            person: PersonCredits | None = None
            try:
                if kind == "collection":
                    collection = await client.collection(ref_id)
                else:
                    person = await client.movie_credits(ref_id)
            except TmdbNotFound:  # gone from TMDB: stored empty, not asked again
                if kind == "collection":
                    collection = CollectionDetails(id=ref_id)
                else:
                    person = PersonCredits(id=ref_id)
            except TmdbAuthError:
                raise
            except TmdbError as exc:
                log.info("completion.item_failed", kind=kind, ref_id=ref_id, reason=str(exc))
            await whole_unit(
                self._sessionmaker,
                partial(_store, session_id, collection, person, datetime.now(UTC)),
            )


async def _store(
    session_id: uuid.UUID,
    collection: CollectionDetails | None,
    person: PersonCredits | None,
    now: datetime,
    db: AsyncSession,
) -> None:
    """What one request taught (nothing when it failed), counted as done."""
    if collection is not None:
        await repository.store_collection(db, collection, now)
    if person is not None:
        await repository.store_person(db, person, now)
    await repository.count_extra(db, session_id)
