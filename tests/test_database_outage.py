"""The database away for a while: the API answers 503 with a message, background work waits.

(A real PostgreSQL restart in the middle of an enrichment is in
tests/integration/test_database_restart.py.)"""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from letterboxd_stats.db import patiently, rolled_back, unavailable
from tests.fixtures.apps import make_settings
from tests.fixtures.exports import make_zip, multipart, small_export
from tests.fixtures.servers import free_port, running_app


def _outage() -> OperationalError:
    return OperationalError("SELECT 1", {}, ConnectionRefusedError(111, "refused"))


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (_outage(), True),
        (ConnectionRefusedError(111, "refused"), True),
        (ConnectionResetError(104, "reset"), True),
        (IntegrityError("INSERT", {}, ValueError("duplicate key")), False),
        (ValueError("a bug"), False),
    ],
)
def test_an_outage_is_told_from_a_bug(error: BaseException, expected: bool) -> None:
    assert unavailable(error) is expected


async def test_work_waits_for_the_database_to_come_back() -> None:
    calls = 0

    async def flaky() -> str:
        nonlocal calls
        calls += 1
        if calls < 4:
            raise _outage()
        return "stored"

    assert await patiently(flaky, patience=30, what="test", max_wait=0.01) == "stored"
    assert calls == 4


async def test_a_bug_is_not_retried() -> None:
    calls = 0

    async def broken() -> None:
        nonlocal calls
        calls += 1
        raise IntegrityError("INSERT", {}, ValueError("duplicate key"))

    with pytest.raises(IntegrityError):
        await patiently(broken, patience=30, what="test", max_wait=0.01)
    assert calls == 1


async def test_an_outage_longer_than_the_patience_is_raised() -> None:
    calls = 0

    async def down() -> None:
        nonlocal calls
        calls += 1
        raise _outage()

    with pytest.raises(OperationalError):
        await patiently(down, patience=0.2, what="test", max_wait=0.01)
    assert calls > 1


@pytest.mark.real_port
async def test_requests_answer_503_with_a_message_while_the_database_is_away() -> None:
    gone = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/nothing-listens-here"
    async with running_app(make_settings(gone)) as base, httpx.AsyncClient(base_url=base) as client:
        some_id = uuid.uuid4()
        answers = [
            await client.get("/api/health"),
            await client.get(f"/api/session/{some_id}/status"),
            await client.get(f"/api/session/{some_id}/stats"),
            await client.post("/api/upload", files=multipart(("e.zip", make_zip(small_export())))),
        ]
    for answer in answers:
        assert answer.status_code == 503, (answer.request.url, answer.text)
        body = answer.json()
        assert body["error"] == "DatabaseUnavailable"
        assert "database" in body["detail"]


class _Shutdown(Exception):
    """What asyncpg raises while PostgreSQL shuts down or starts (SQLSTATE 57P03)."""

    sqlstate = "57P03"


def test_a_server_shutting_down_is_an_outage_however_it_is_wrapped() -> None:
    wrapped = DBAPIError("SELECT 1", {}, Exception("the database system is shutting down"))
    wrapped.__cause__ = _Shutdown("the database system is shutting down")
    assert unavailable(wrapped)
    assert not unavailable(DBAPIError("SELECT 1", {}, Exception("syntax error")))


class _Deadlock(Exception):
    """What asyncpg raises when PostgreSQL breaks a deadlock (SQLSTATE 40P01)."""

    sqlstate = "40P01"


def _deadlock() -> DBAPIError:
    wrapped = DBAPIError("INSERT", {}, Exception("deadlock detected"))
    wrapped.__cause__ = _Deadlock("deadlock detected")
    return wrapped


def test_a_deadlock_is_no_outage_but_a_transaction_to_run_again() -> None:
    assert rolled_back(_deadlock())
    assert not unavailable(_deadlock())  # a request meeting one is not told "come back later"
    assert not rolled_back(_outage())
    assert not rolled_back(IntegrityError("INSERT", {}, ValueError("duplicate key")))


async def test_a_unit_of_work_rolled_back_by_a_deadlock_is_run_again() -> None:
    calls = 0

    async def unlucky() -> str:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise _deadlock()
        return "stored"

    assert await patiently(unlucky, patience=30, what="test", max_wait=0.01) == "stored"
    assert calls == 2
