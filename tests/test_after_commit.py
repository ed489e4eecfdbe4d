"""`db.after_commit`: a callback runs once its transaction has committed (what it was told of is
in the database for everyone), and never when the transaction rolls back."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from letterboxd_stats.db import after_commit, release_connection, session_scope
from letterboxd_stats.models import SessionStatus, UploadSession

COUNTS = (
    "total_movies",
    "diary_count",
    "rating_count",
    "review_count",
    "like_count",
    "list_count",
    "list_entry_count",
    "watchlist_count",
)


def _session_row() -> UploadSession:
    now = datetime.now(UTC)
    return UploadSession(
        id=uuid.uuid4(),
        status=SessionStatus.processing,
        created_at=now,
        updated_at=now,
        last_active_at=now,
        ignored_files=[],
        **dict.fromkeys(COUNTS, 0),
    )


class Seen:
    """A callback that records whether its row was committed (read on another connection)."""

    def __init__(self, engine: AsyncEngine, row_id: uuid.UUID | None) -> None:
        self.engine = engine
        self.row_id = row_id
        self.calls: list[bool] = []

    async def __call__(self) -> None:
        async with self.engine.connect() as conn:
            found = await conn.scalar(
                select(UploadSession.id).where(UploadSession.id == self.row_id)
            )
        self.calls.append(found is not None)


async def _insert(db: AsyncSession) -> uuid.UUID:
    row = _session_row()
    db.add(row)
    await db.flush()
    return row.id


async def test_a_callback_runs_after_its_transaction_committed(
    engine: AsyncEngine, sessionmaker: Any
) -> None:
    async with session_scope(sessionmaker) as db:
        seen = Seen(engine, await _insert(db))
        after_commit(db, seen)
        assert seen.calls == []  # not before the commit
    assert seen.calls == [True]  # once, and the row was there for another connection


async def _failing_unit(sessionmaker: Any, work: Callable[[AsyncSession], Awaitable[None]]) -> None:
    """`work` in a unit of work, then an error: the unit ends rolling back."""

    async def unit() -> None:
        async with session_scope(sessionmaker) as db:
            await work(db)
            raise RuntimeError("the route failed")

    with pytest.raises(RuntimeError, match="the route failed"):
        await unit()


async def test_a_callback_never_runs_when_the_transaction_rolls_back(
    engine: AsyncEngine, sessionmaker: Any
) -> None:
    seen = Seen(engine, None)

    async def work(db: AsyncSession) -> None:
        seen.row_id = await _insert(db)
        after_commit(db, seen)

    await _failing_unit(sessionmaker, work)
    assert seen.calls == []


async def test_a_rolled_back_transaction_drops_its_callbacks_for_good(
    engine: AsyncEngine, sessionmaker: Any
) -> None:
    async with session_scope(sessionmaker) as db:
        dropped = Seen(engine, await _insert(db))
        after_commit(db, dropped)
        await db.rollback()
        kept = Seen(engine, await _insert(db))
        after_commit(db, kept)
    assert dropped.calls == []  # not carried into the next transaction, which committed
    assert kept.calls == [True]


async def test_a_callback_of_a_released_transaction_runs_even_if_the_unit_fails_later(
    engine: AsyncEngine, sessionmaker: Any
) -> None:
    seen = Seen(engine, None)

    async def work(db: AsyncSession) -> None:
        seen.row_id = await _insert(db)
        after_commit(db, seen)
        await release_connection(db)  # committed here

    await _failing_unit(sessionmaker, work)
    assert seen.calls == [True]


async def test_a_released_savepoint_is_not_a_commit(engine: AsyncEngine, sessionmaker: Any) -> None:
    seen = Seen(engine, None)

    async def work(db: AsyncSession) -> None:
        async with db.begin_nested():  # released; the outer transaction then rolls back
            seen.row_id = await _insert(db)
            after_commit(db, seen)

    await _failing_unit(sessionmaker, work)
    assert seen.calls == []
