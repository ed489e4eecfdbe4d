"""A job stopped while one of its units of work runs (an update or a delete cancels it) lets the
unit end, committed or rolled back, before it stops: a statement cut off halfway could leave
its connection inside a transaction, and on SQLite the write lock with it (an update waited
30 s on that lock, then answered 503)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from letterboxd_stats.db import PatientUnits, whole_unit
from letterboxd_stats.models import TmdbCollection


def _collection(number: int) -> TmdbCollection:
    return TmdbCollection(
        collection_id=number, name=f"C{number}", poster_path=None, parts=[],
        fetched_at=datetime.now(UTC),
    )  # fmt: skip


async def _count(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.scalar(select(func.count()).select_from(TmdbCollection))) or 0)


class HeldUnit:
    """A unit of work that writes a row, then waits for `release()` (the write lock held
    meanwhile on SQLite) and ends with `outcome`: returns it, or raises it if an exception."""

    def __init__(self, outcome: object = None) -> None:
        self.written = asyncio.Event()
        self._go_on = asyncio.Event()
        self._outcome = outcome

    def release(self) -> None:
        self._go_on.set()

    async def __call__(self, db: AsyncSession) -> object:
        db.add(_collection(1))
        await db.flush()  # the write is under way: a transaction holds the write lock
        self.written.set()
        await self._go_on.wait()
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        return self._outcome


async def test_a_job_cancelled_mid_unit_lets_the_unit_commit_then_stops(
    engine: AsyncEngine, sessionmaker: Any
) -> None:
    unit = HeldUnit("stored")
    job = asyncio.create_task(PatientUnits(sessionmaker, patience=5)("test.write", unit))
    await unit.written.wait()
    job.cancel()
    await asyncio.sleep(0.05)
    assert not job.done()  # the job waits for its unit
    unit.release()
    with pytest.raises(asyncio.CancelledError):
        await job
    assert await _count(engine) == 1  # the unit ended whole: committed
    units_after = PatientUnits(sessionmaker, patience=0)  # no waiting on a lock left behind

    async def write_more(db: AsyncSession) -> None:
        db.add(_collection(2))

    await asyncio.wait_for(units_after("test.after", write_more), timeout=5)
    assert await _count(engine) == 2


async def test_a_unit_that_fails_after_the_cancellation_rolls_back(
    engine: AsyncEngine, sessionmaker: Any
) -> None:
    unit = HeldUnit(ValueError("the unit fails"))
    job = asyncio.create_task(PatientUnits(sessionmaker, patience=5)("test.write", unit))
    await unit.written.wait()
    job.cancel()
    unit.release()
    with pytest.raises(asyncio.CancelledError):
        await job
    assert await _count(engine) == 0  # rolled back, and nothing holds the lock
    async with sessionmaker() as db, db.begin():
        db.add(_collection(3))
    assert await _count(engine) == 1


async def test_a_unit_cancelled_twice_still_ends_before_its_caller(
    engine: AsyncEngine, sessionmaker: Any
) -> None:
    """A pool stopping its workers cancels each once more: the unit is still not left running
    behind its caller (it would commit after a new process had taken the job over)."""
    unit = HeldUnit()
    caller = asyncio.create_task(whole_unit(sessionmaker, unit))
    await unit.written.wait()
    caller.cancel()
    await asyncio.sleep(0.01)
    caller.cancel()
    await asyncio.sleep(0.01)
    assert not caller.done()  # still waiting for its unit
    unit.release()
    with pytest.raises(asyncio.CancelledError):
        await caller
    assert await _count(engine) == 1
    assert [t for t in asyncio.all_tasks() if "whole_unit" in repr(t.get_coro())] == []
