"""The rate limiters. `LocalLimiter` on any database; `PostgresLimiter` on PostgreSQL, shared by
independent engines (what separate processes have) and by two real OS processes.

The assertions are properties that follow from the rate, not benchmarks: a lower bound on the
time N grants take, and an upper bound on the grants any one second holds.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import json
import socket
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.db import create_engine, unavailable
from letterboxd_stats.resources import tmdb_client
from letterboxd_stats.tmdb.client import ClientOptions, TmdbClient
from letterboxd_stats.tmdb.limiter import (
    MAX_RESERVATIONS,
    LocalLimiter,
    PostgresLimiter,
    RateLimiter,
)
from tests.fixtures.apps import make_settings
from tests.fixtures.clocks import FakeClock

RATE = 40.0  # TMDB's budget, the default


def busiest_second(grants: list[float]) -> int:
    """The most grants in any window [t, t + 1 s) (the busiest one starts at a grant)."""
    times = sorted(grants)
    return max(bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times))


async def hammer(limiters: list[RateLimiter], tasks_each: int, total: int) -> list[float]:
    """`total` acquires by `tasks_each` tasks on every limiter, all at once: grant times."""
    grants: list[float] = []
    left = [total]

    async def task(limiter: RateLimiter) -> None:
        while left[0] > 0:
            left[0] -= 1
            await limiter.acquire()
            grants.append(time.perf_counter())

    await asyncio.gather(*(task(limiter) for limiter in limiters for _ in range(tasks_each)))
    assert len(grants) == total
    return grants


def reservations(engine: AsyncEngine) -> list[str]:
    """The limiter's statements on `engine`, as they are sent (a list that fills itself)."""
    statements: list[str] = []

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def count(*args: Any) -> None:
        if "rate_limits" in args[2]:
            statements.append(args[2])

    return statements


# --- any database ---


async def test_local_limiter_paces_evenly() -> None:
    # aiolimiter paces by the event loop's clock: a high rate keeps the real wait short (0.1 s).
    rate, total = 500.0, 60
    grants = await hammer([LocalLimiter(rate)], tasks_each=10, total=total)
    assert max(grants) - min(grants) >= (total - 1) / rate  # one token per 1/rate s, no burst
    assert busiest_second(grants) <= rate


class CountingLimiter:
    def __init__(self) -> None:
        self.acquired = 0

    async def acquire(self) -> None:
        self.acquired += 1


async def test_the_client_acquires_once_per_request_sent() -> None:
    answers = iter([httpx.Response(503), httpx.Response(200, json={"id": 603, "title": "M"})])
    http = httpx.AsyncClient(transport=httpx.MockTransport(lambda _request: next(answers)))
    limiter = CountingLimiter()
    options = ClientOptions(base_url="https://tmdb.test/3", api_key="k", bearer_token=None)

    async def no_sleep(_seconds: float) -> None:
        return None

    client = TmdbClient(http, options, limiter=limiter, sleep=no_sleep)
    assert (await client.movie(603)).id == 603
    assert limiter.acquired == client.requests_sent == 2  # the retry paid for its slot too
    await http.aclose()


async def test_a_client_given_no_limiter_keeps_the_pace_of_its_rate_limit() -> None:
    """Without a limiter of its own the client still paces requests at `rate_limit`: N
    requests take at least (N - 1) / rate, a lower bound whatever the machine's load."""
    rate, count = 20.0, 11
    options = ClientOptions(
        base_url="https://tmdb.test/3", api_key="k", bearer_token=None, rate_limit=rate
    )
    answer = httpx.Response(200, json={"id": 603, "title": "M"})
    async with httpx.AsyncClient(transport=httpx.MockTransport(lambda _request: answer)) as http:
        client = TmdbClient(http, options)
        started = time.monotonic()
        for _ in range(count):
            await client.movie(603)
        elapsed = time.monotonic() - started
    assert client.requests_sent == count
    assert elapsed >= 0.9 * (count - 1) / rate, f"{count} requests in {elapsed:.3f} s"


async def test_the_service_shares_the_budget_on_postgresql_only(
    engine: AsyncEngine, database_url: str
) -> None:
    settings = make_settings(database_url, tmdb_api_key="k", tmdb_rate_limit=12.0)
    async with httpx.AsyncClient() as http:
        client = tmdb_client(settings, http, engine)
    assert client is not None
    expected = LocalLimiter if settings.is_sqlite else PostgresLimiter
    assert isinstance(client.limiter, expected)
    assert client.limiter.rate == 12.0


async def test_an_unreachable_database_is_waited_for_then_raised() -> None:
    """The limit is never skipped: no database, no slot, and the error says so."""
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    nowhere = create_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{port}/nothing")
    limiter = PostgresLimiter(nowhere, patience=0.2)
    started = time.monotonic()
    try:
        with pytest.raises(Exception) as raised:  # noqa: PT011 (the driver's own error)
            await limiter.acquire()
    finally:
        await nowhere.dispose()
    assert unavailable(raised.value), repr(raised.value)
    assert time.monotonic() - started >= 0.2  # it waited for the database first


async def test_an_unreachable_database_fails_every_queued_caller() -> None:
    """Callers queued behind a failed reservation try in turn, and each gets the error."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    nowhere = create_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{port}/nothing")
    limiter = PostgresLimiter(nowhere, patience=0.1)
    try:
        outcomes = await asyncio.wait_for(
            asyncio.gather(*(limiter.acquire() for _ in range(3)), return_exceptions=True),
            timeout=30,
        )
    finally:
        await nowhere.dispose()
    assert all(isinstance(o, Exception) and unavailable(o) for o in outcomes), outcomes
    assert not limiter._queue


async def test_postgres_limiter_refuses_other_databases() -> None:
    sqlite = create_engine("sqlite+aiosqlite:///:memory:")
    with pytest.raises(ValueError, match="PostgreSQL"):
        PostgresLimiter(sqlite)
    await sqlite.dispose()


# --- PostgreSQL ---


@pytest.fixture
def pg_url(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip(
            "PostgresLimiter shares its budget through PostgreSQL; "
            "run with TEST_DATABASE_URL=postgresql+asyncpg://…"
        )
    return database_url


@pytest.fixture
def limit_name() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


@pytest.fixture
async def new_engine(pg_url: str) -> AsyncIterator[Callable[[], AsyncEngine]]:
    """Engines of their own, with their own pools: as separate processes would have."""
    engines: list[AsyncEngine] = []

    def factory() -> AsyncEngine:
        engines.append(create_engine(pg_url))
        return engines[-1]

    yield factory
    for engine in engines:
        await engine.dispose()


@pytest.mark.parametrize("burst", [0, 2])
async def test_burst_then_one_slot_per_interval(
    new_engine: Callable[[], AsyncEngine], limit_name: str, burst: int
) -> None:
    """The schedule itself, on the database's clock: asked at once, the first burst + 1 callers
    go now, the next ones k intervals later (sleeps recorded, not slept; a slow rate, so that
    "at once" holds on a busy machine too)."""
    sleeps: list[float] = []

    async def record(seconds: float) -> None:
        sleeps.append(seconds)

    limiter = PostgresLimiter(new_engine(), limit_name, 2.0, burst, sleep=record)
    started = time.monotonic()
    for _ in range(burst + 1 + 5):
        await limiter.acquire()
    elapsed = time.monotonic() - started
    assert len(sleeps) == 5  # the first burst + 1 did not wait
    for k, slept in enumerate(sleeps, start=1):
        assert k * limiter.interval - elapsed <= slept <= k * limiter.interval
    assert limiter.interval >= 1 / 2.0


async def test_a_database_clock_stepped_back_stalls_no_one(
    new_engine: Callable[[], AsyncEngine], limit_name: str
) -> None:
    sleeps: list[float] = []

    async def record(seconds: float) -> None:
        sleeps.append(seconds)

    engine = new_engine()
    limiter = PostgresLimiter(engine, limit_name, RATE, sleep=record)
    async with engine.begin() as conn:  # as if the clock had been a day ahead
        await conn.execute(
            text("INSERT INTO rate_limits VALUES (:name, clock_timestamp() + interval '1 day')"),
            {"name": limit_name},
        )
    await limiter.acquire()
    assert 0 < sleeps[0] <= limiter.horizon < 3600


async def test_callers_asking_at_once_share_a_round_trip(
    new_engine: Callable[[], AsyncEngine], limit_name: str
) -> None:
    """50 callers of one process at once: a few statements reserve every slot, one interval
    apart, each slot to one caller (sleeps recorded, not slept, on a clock that stands still)."""
    engine = new_engine()
    statements = reservations(engine)

    slots: list[float] = []
    clock = FakeClock()  # still: no round's answer looks late, however loaded the machine

    async def record(seconds: float) -> None:
        slots.append(clock() + seconds)

    limiter = PostgresLimiter(engine, limit_name, RATE, sleep=record, clock=clock, batch=20)
    await asyncio.gather(*(limiter.acquire() for _ in range(50)))
    assert 3 <= len(statements) <= 5  # 20 + 20 + 10, and a straggler or two at most
    assert len(slots) == 49  # the first slot was now: no sleep
    gaps = [b - a for a, b in itertools.pairwise(sorted(slots))]
    assert min(gaps) >= limiter.interval * 0.99  # float rounding only
    assert not limiter._queue


async def test_a_caller_cancelled_in_the_queue_strands_no_one(
    new_engine: Callable[[], AsyncEngine], limit_name: str
) -> None:
    limiter = PostgresLimiter(new_engine(), limit_name, 200.0, batch=2)
    callers = [asyncio.create_task(limiter.acquire()) for _ in range(12)]
    await asyncio.sleep(0)  # all queued, the first one reserving
    for caller in callers[3::3]:
        caller.cancel()
    done, pending = await asyncio.wait(callers, timeout=10)
    assert not pending
    assert sum(c.cancelled() for c in callers) == 3
    assert all(c.exception() is None for c in done if not c.cancelled())
    assert not limiter._queue


async def test_a_caller_woken_late_takes_a_fresh_slot(
    new_engine: Callable[[], AsyncEngine], limit_name: str
) -> None:
    """A process busy when a slot came (here: the first sleep overshoots by 0.3 s, on a fake
    clock) does not send late, where it would bunch up with other processes' slots: it
    reserves again."""
    engine = new_engine()
    statements = reservations(engine)
    clock = FakeClock()

    async def oversleep(seconds: float) -> None:
        await clock.sleep(seconds)
        if len(clock.sleeps) == 1:
            clock.advance(0.3)

    limiter = PostgresLimiter(engine, limit_name, RATE, sleep=oversleep, clock=clock)
    await limiter.acquire()  # now: no sleep
    await limiter.acquire()  # one interval later, woken 0.3 s after it: given up, taken anew
    assert limiter.given_up == 1
    assert len(statements) == 3


async def test_slots_whose_reservation_came_back_late_are_given_up(
    new_engine: Callable[[], AsyncEngine], limit_name: str
) -> None:
    """A reservation answered late (the process stalled after the statement: a listener moves
    the fake clock 0.2 s on) may hand out slots already behind the shared schedule: they go
    unused, and a slow database is not waited out for ever (the last round's slots are taken)."""
    engine = new_engine()
    clock = FakeClock()
    stalls = [0.2, 0.2]

    @event.listens_for(engine.sync_engine, "after_cursor_execute")
    def stall(*args: Any) -> None:
        if "rate_limits" in args[2] and stalls:
            clock.advance(stalls.pop())

    statements = reservations(engine)

    limiter = PostgresLimiter(engine, limit_name, RATE, sleep=clock.sleep, clock=clock)
    await asyncio.gather(limiter.acquire(), limiter.acquire())
    assert len(statements) == 3  # two late rounds, then one on time for both callers
    assert limiter.given_up >= 2
    assert not limiter._queue

    statements.clear()
    given_up = limiter.given_up
    stalls.extend([0.2] * 10)  # a database slow for every round
    await limiter.acquire()
    assert len(statements) == MAX_RESERVATIONS  # the last round's slot is taken, late or not
    assert limiter.given_up == given_up + MAX_RESERVATIONS - 1


@pytest.mark.parametrize("burst", [0, 2])
async def test_independent_engines_share_one_budget(
    new_engine: Callable[[], AsyncEngine], limit_name: str, burst: int
) -> None:
    total = 45
    limiters: list[RateLimiter] = [
        PostgresLimiter(new_engine(), limit_name, RATE, burst) for _ in range(3)
    ]
    grants = await hammer(limiters, tasks_each=4, total=total)
    assert max(grants) - min(grants) >= (total - burst - 1) / RATE
    assert busiest_second(grants) <= RATE + burst


CHILD = """
import asyncio, json, sys, time
from letterboxd_stats.db import create_engine
from letterboxd_stats.tmdb.limiter import PostgresLimiter

async def main(url, name, rate, count, tasks):
    engine = create_engine(url)
    limiter = PostgresLimiter(engine, name, rate)
    async with engine.connect():
        pass
    print("ready", flush=True)
    sys.stdin.readline()  # both processes start together
    grants, left = [], [count]

    async def task():
        while left[0] > 0:
            left[0] -= 1
            await limiter.acquire()
            grants.append(time.time())

    await asyncio.gather(*(task() for _ in range(tasks)))
    await engine.dispose()
    print(json.dumps(grants), flush=True)

url, name, rate, count, tasks = sys.argv[1:]
asyncio.run(main(url, name, float(rate), int(count), int(tasks)))
"""


async def test_two_processes_share_one_budget(pg_url: str, limit_name: str) -> None:
    each = 22
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            CHILD,
            pg_url,
            limit_name,
            str(RATE),
            str(each),
            "3",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    try:
        for process in processes:
            assert process.stdout is not None
            ready = await asyncio.wait_for(process.stdout.readline(), timeout=30)
            if ready != b"ready\n":
                _, stderr = await process.communicate()
                raise AssertionError(stderr.decode())
        outputs = await asyncio.wait_for(
            asyncio.gather(*(p.communicate(b"go\n") for p in processes)), timeout=30
        )
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
                await process.wait()
    for process, (_, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr.decode()
    first, second = (json.loads(stdout) for stdout, _ in outputs)
    grants = first + second
    assert len(grants) == 2 * each
    assert min(max(first), max(second)) - max(min(first), min(second)) > 0.5  # both at once
    assert max(grants) - min(grants) >= (len(grants) - 1) / RATE
    assert busiest_second(grants) <= RATE
