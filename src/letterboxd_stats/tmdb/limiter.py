"""How fast we may call TMDB: one budget of `rate` requests per second.

TMDB counts requests per outgoing IP address, so every process on a host must draw on one
budget. Two limiters, one interface (`await limiter.acquire()` before each request):

* `LocalLimiter`: in-process, for the SQLite default (one process by construction): one token
  every 1/rate s, evenly spaced, no burst.
* `PostgresLimiter`: shared through PostgreSQL by every process using the same database (and
  `name`): a GCRA (virtual scheduling) schedule kept in one row of `rate_limits`, advanced by
  one atomic statement, on the database's clock only (hosts need not agree on the time). A
  caller reserves the next free slot and sleeps until it; callers of one process that ask at
  the same moment reserve their slots together, in one statement.

429 answers with `Retry-After` stay the client's safety net (`tmdb.client`): a limiter keeps us
under the budget we were given, not under whatever TMDB decides today.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, Protocol

from aiolimiter import AsyncLimiter
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.db import patiently

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]

MAX_RESERVATIONS = 5
"""How often a `PostgresLimiter` caller reserves a slot; the last one is taken, late or not."""


class RateLimiter(Protocol):
    async def acquire(self) -> None:
        """Return when the caller may send one request."""


class LocalLimiter:
    """A bucket of one token refilled every 1/rate s: an even pace, no burst at the start that
    a strict per-second window upstream would answer with 429s. One process only."""

    def __init__(self, rate: float) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self._limiter = AsyncLimiter(1, 1.0 / rate)

    async def acquire(self) -> None:
        await self._limiter.acquire()


# GCRA with virtual scheduling. `next_at` is the earliest moment the next request may go
# (earlier than now after an idle spell). A caller reserving `count` slots takes the first at
# `slot = greatest(next_at, now - burst * interval)` and the others one interval apart, moves
# `next_at` to `slot + count * interval` and learns `slot - now` (negative: the slot has come).
# The row lock serialises callers and `clock_timestamp()` is read once it is held, so any k + 1
# consecutive slots span at least (k - burst) * interval, whichever process took them. The
# first caller ever inserts the row; everyone after takes the ON CONFLICT branch. A `next_at`
# more than `horizon` ahead cannot come from callers queueing (it is far more than all of them
# could have reserved): the database's clock stepped back. It is brought back to `horizon`
# rather than stalling every process until the clock catches up.
_RESERVE = text(
    """
    INSERT INTO rate_limits AS r (name, next_at)
    VALUES (
        :name,
        clock_timestamp() - CAST(:tolerance AS interval)
            + CAST(:interval AS interval) * CAST(:count AS float8)
    )
    ON CONFLICT (name) DO UPDATE
    SET next_at = greatest(
        least(r.next_at, clock_timestamp() + CAST(:horizon AS interval)),
        clock_timestamp() - CAST(:tolerance AS interval)
    ) + CAST(:interval AS interval) * CAST(:count AS float8)
    RETURNING CAST(
        extract(
            epoch FROM r.next_at
                - CAST(:interval AS interval) * CAST(:count AS float8)
                - clock_timestamp()
        ) AS float8
    )
    """
)


class PostgresLimiter:
    """At most `rate` requests in any second (`burst` more right after an idle spell), shared
    by every process, on any host, whose limiter has the same `name` in the same database.

    `headroom`: the slots are spaced (1 + headroom) / rate s apart, so that any rate + 1 of them
    span 1 + headroom s. A request leaves a little after its slot (the round trip, the event loop
    waking the task, other work): without headroom, two requests `rate` slots apart would land
    within one second upstream about half the time when the budget is saturated, and a strict
    upstream window answers 429. 0.02 (20 ms; 2% of the pace) absorbs what we measured; the
    in-process limiter loses about as much to its own wake-up delays.

    `horizon` (default: 60 s or 1000 slots, the longer): the longest wait a caller may be
    given, far beyond any real queue; only a database clock that stepped back produces more.

    One statement at a time per limiter, in autocommit: a process holds at most one connection
    for it. Callers queue in order; when no reservation is under way, a caller reserves slots
    for the head of the queue (up to `batch` callers, usually itself and everyone behind it)
    in one statement, so a process's round trips do not cap its rate. A caller cancelled while
    queued gives its place up; one cancelled after its slot was reserved leaves that slot
    unused (the budget is never exceeded, only under-used).

    `late` (default: two intervals): a slot is only worth its time. A caller that wakes more
    than `late` after its slot (its process was busy), or whose reservation came back more than
    `late` after it was sent (the slots it was given may already be behind the database's
    schedule), does not send late: it gives the slot up and reserves again, up to
    `MAX_RESERVATIONS` times. Requests sent late would bunch up with the slots of every other
    process, and a strict upstream window counts them in the same second.

    While the database cannot be reached, `acquire` waits for it as every database job does
    (`db.patiently`, up to `patience` s), then raises its error: the limit is never skipped,
    and the error is a database outage to the caller, not a TMDB one.

    `sleep` and `clock` (default: the running loop's time) are what it waits with and what it
    times slots and answers by: a test injects both, so that a fake sleep moves a fake clock.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        name: str = "tmdb",
        rate: float = 40.0,
        burst: int = 0,
        *,
        headroom: float = 0.02,
        horizon: float | None = None,
        late: float | None = None,
        batch: int = 20,
        patience: float = 600.0,
        sleep: Sleep = asyncio.sleep,
        clock: Clock | None = None,
    ) -> None:
        if engine.dialect.name != "postgresql":
            raise ValueError(f"PostgresLimiter needs PostgreSQL, not {engine.dialect.name}")
        if rate <= 0 or burst < 0 or headroom < 0 or batch < 1:
            raise ValueError("rate and batch must be positive, burst and headroom not negative")
        self.name = name
        self.rate = rate
        self.burst = burst
        self.interval = (1.0 + headroom) / rate
        self.horizon = horizon if horizon is not None else max(60.0, 1000 * self.interval)
        self.late = late if late is not None else 2 * self.interval
        self.given_up = 0  # slots given up because they came, or were taken up, too late
        self._engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._params = {
            "name": name,
            "interval": timedelta(seconds=self.interval),
            "tolerance": timedelta(seconds=burst * self.interval),
            "horizon": timedelta(seconds=self.horizon),
        }
        self.batch = batch
        self._patience = patience
        self._sleep = sleep
        self._clock = clock
        self._queue: deque[asyncio.Future[float]] = deque()  # callers without a slot, in order
        self._round: asyncio.Future[None] | None = None  # a reservation under way: its end
        self._late_rounds = 0  # reservations in a row whose answer came too late
        self._last_slot = -math.inf  # time (our clock) of the last slot handed out

    def _now(self) -> float:
        return self._clock() if self._clock is not None else asyncio.get_running_loop().time()

    async def acquire(self) -> None:
        for reservation in range(1, MAX_RESERVATIONS + 1):
            due = max(await self._slot(), self._now())  # a slot of a burst may be past
            if (wait := due - self._now()) > 0:
                await self._sleep(wait)
            if self._now() - due <= self.late or reservation == MAX_RESERVATIONS:
                return
            self.given_up += 1  # woken too late: this slot is gone, take a fresh one

    async def _slot(self) -> float:
        """A slot of our own (its time on our clock), reserved with the callers queued with us."""
        loop = asyncio.get_running_loop()
        turn: asyncio.Future[float] = loop.create_future()  # resolves to the slot's time
        self._queue.append(turn)
        try:
            while not turn.done():
                if self._round is not None:  # someone is reserving: for us too, perhaps
                    either: set[asyncio.Future[Any]] = {turn, self._round}
                    await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
                    continue
                self._round = loop.create_future()
                try:
                    await self._reserve_for_queue()
                finally:
                    self._round.set_result(None)
                    self._round = None
        finally:
            if not turn.done():  # cancelled, or the reservation failed: leave the queue
                self._queue.remove(turn)
        return turn.result()

    async def _reserve_for_queue(self) -> None:
        """Slots for the callers at the head of the queue (this one first), in one statement."""
        count = min(len(self._queue), self.batch)
        sent = self._now()
        wait = await patiently(
            lambda: self._reserve(count), patience=self._patience, what="tmdb.rate_limit"
        )
        if self._now() - sent > self.late and self._late_rounds < MAX_RESERVATIONS - 1:
            self._late_rounds += 1  # the answer came late: so might these slots; they are
            self.given_up += count  # given up, the queue is served by the next round (a
            return  # database slow for every round is not waited out for ever)
        self._late_rounds = 0
        # Our slots follow each other on the database's schedule; on our clock they are as
        # late as the answer was: never put one closer than an interval to our last one.
        first = max(self._now() + wait, self._last_slot + self.interval)
        for k in range(count):
            if not self._queue:
                break  # callers cancelled meanwhile: their slots go unused
            self._last_slot = first + k * self.interval
            self._queue.popleft().set_result(self._last_slot)

    async def _reserve(self, count: int) -> float:
        """Take the next `count` slots: how long until the first comes (negative: it has)."""
        async with self._engine.connect() as conn:
            params = self._params | {"count": count}
            wait: float = (await conn.execute(_RESERVE, params)).scalar_one()
        return wait
