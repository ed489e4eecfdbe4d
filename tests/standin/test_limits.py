"""Rate limit, connection cap, injected errors and timeouts, latency: all counted in /__stats.
Time comes from a fake clock or from ordering, never from measuring wall-clock time."""

from __future__ import annotations

import asyncio

import httpx

from tests.fixtures.standin import AUTH, client_for, tiny


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def _get_movie(client: httpx.AsyncClient) -> httpx.Response:
    return await client.get("/3/movie/1", params=AUTH)


async def test_rate_limit_answers_429_with_retry_after() -> None:
    clock = FakeClock()
    async with client_for(tiny(rate_limit=3, clock=clock)) as client:
        allowed = [await _get_movie(client) for _ in range(3)]
        refused = await _get_movie(client)
        refused_again = await _get_movie(client)
        clock.now += 0.5
        still_refused = await _get_movie(client)
        clock.now += 0.6  # the first three are now more than a second old
        allowed_again = await _get_movie(client)
        stats = (await client.get("/__stats")).json()
    assert [r.status_code for r in allowed] == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.json() == {
        "status_code": 25,
        "status_message": "Your request count (4) is over the allowed limit of 3.",
    }
    assert list(refused.json()) == ["status_code", "status_message"]
    assert refused.headers["retry-after"] == "1"
    assert refused.headers["content-type"] == "application/json;charset=utf-8"
    assert refused_again.json()["status_message"].startswith("Your request count (5)")
    assert still_refused.status_code == 429
    assert int(still_refused.headers["retry-after"]) >= 1
    assert allowed_again.status_code == 200
    assert stats["rate_limited"] == 3
    assert stats["by_status"] == {"200": 4, "429": 3}


async def test_rate_limit_zero_is_unlimited() -> None:
    async with client_for(tiny(rate_limit=0, clock=FakeClock())) as client:
        statuses = {(await _get_movie(client)).status_code for _ in range(100)}
    assert statuses == {200}


async def test_reset_clears_the_rate_window() -> None:
    async with client_for(tiny(rate_limit=1, clock=FakeClock())) as client:
        first = await _get_movie(client)
        refused = await _get_movie(client)
        await client.post("/__reset")
        after_reset = await _get_movie(client)
    assert (first.status_code, refused.status_code, after_reset.status_code) == (200, 429, 200)


async def test_requests_beyond_max_connections_get_429() -> None:
    # Every request sleeps 300 ms inside the stand-in, so all 8 are in flight together.
    config = tiny(max_connections=3, latency_ms=300)
    async with client_for(config) as client:
        responses = await asyncio.gather(*(_get_movie(client) for _ in range(8)))
        stats = (await client.get("/__stats")).json()
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 3 + [429] * 5
    for response in responses:
        if response.status_code == 429:
            assert response.headers["retry-after"] == "1"
            assert response.json()["status_code"] == 25
    assert stats["connection_limited"] == 5
    assert stats["rate_limited"] == 5
    assert 4 <= stats["max_concurrent_seen"] <= 8  # refused ones count while they are refused
    assert stats["in_flight"] == 0


async def test_injected_errors_are_tmdb_5xx_and_counted() -> None:
    async with client_for(tiny(error_rate=1.0)) as client:
        responses = [await _get_movie(client) for _ in range(20)]
        stats = (await client.get("/__stats")).json()
    expected = {502: 43, 503: 46, 504: 24}
    for response in responses:
        body = response.json()
        assert response.status_code in expected
        assert body["status_code"] == expected[response.status_code]
        assert body["success"] is False
    assert stats["injected_errors"] == 20
    assert sum(stats["by_status"].values()) == 20


async def test_injected_faults_follow_the_seed() -> None:
    async def statuses(seed: int) -> list[int]:
        async with client_for(tiny(error_rate=0.5, seed=seed)) as client:
            return [(await _get_movie(client)).status_code for _ in range(30)]

    first = await statuses(7)
    assert first == await statuses(7)
    assert 200 in first
    assert any(status >= 500 for status in first)


async def test_injected_timeout_hangs_then_504() -> None:
    async with client_for(tiny(timeout_rate=1.0, hang_seconds=0.01)) as client:
        response = await _get_movie(client)
        stats = (await client.get("/__stats")).json()
    assert response.status_code == 504
    assert response.json()["status_code"] == 24
    assert stats["injected_timeouts"] == 1
    assert stats["injected_errors"] == 0
    assert stats["by_status"] == {"504": 1}


async def test_stats_and_reset_need_no_auth_and_are_not_limited() -> None:
    async with client_for(tiny(rate_limit=1, clock=FakeClock(), error_rate=1.0)) as client:
        responses = [await client.get("/__stats") for _ in range(5)]
        reset = await client.post("/__reset")
    assert {r.status_code for r in responses} == {200}
    assert reset.status_code == 200
    assert responses[-1].json()["requests_total"] == 0


def test_the_peak_of_arrivals_in_any_second_is_counted() -> None:
    from standin.state import Stats

    times = iter([0.0, 0.1, 0.5, 0.9, 1.05, 1.2, 3.0])
    stats = Stats(clock=lambda: next(times))
    for _ in range(7):
        stats.begin("search")
    assert stats.snapshot(0)["peak_requests_per_second"] == 4
    assert stats.snapshot(0)["peak_requests_per_5_seconds"] == 7


def test_the_peak_of_arrivals_in_any_five_seconds_is_counted() -> None:
    from standin.state import Stats

    times = iter([0.0, 1.0, 2.0, 3.0, 4.0, 4.99, 5.0, 9.99, 10.0])
    stats = Stats(clock=lambda: next(times))
    for _ in range(9):
        stats.begin("search")
    # six arrivals in [0, 4.99]; at 5.0 the one at 0.0 has left the window: six again
    assert stats.snapshot(0)["peak_requests_per_5_seconds"] == 6
    stats.reset()
    assert stats.snapshot(0)["peak_requests_per_5_seconds"] == 0
