"""The stand-in on a real loopback port (tests/fixtures/servers.py), as other tests use it."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.fixtures.servers import running_standin
from tests.fixtures.standin import AUTH, tiny

pytestmark = pytest.mark.real_port


async def test_serves_over_a_real_port() -> None:
    async with (
        running_standin(tiny()) as base_url,
        httpx.AsyncClient(base_url=f"{base_url}/3") as client,
    ):
        search = await client.get("search/movie", params={"query": "Solaris", **AUTH})
        details = await client.get("movie/1", params={"append_to_response": "credits"})
        stats = (await client.get(f"{base_url}/__stats")).json()
    assert base_url.startswith("http://127.0.0.1:")
    assert search.status_code == 200
    assert [r["id"] for r in search.json()["results"]] == [2, 1]
    assert search.headers["server"] == "openresty"
    assert details.status_code == 401  # no key
    assert stats["by_status"] == {"200": 1, "401": 1}


async def test_a_short_client_timeout_sees_an_injected_hang() -> None:
    config = tiny(timeout_rate=1.0, hang_seconds=60)
    async with running_standin(config) as base_url, httpx.AsyncClient() as client:
        with pytest.raises(httpx.TimeoutException):
            await client.get(f"{base_url}/3/movie/1", params=AUTH, timeout=0.2)
        stats: dict[str, int] = {}
        for _ in range(200):  # the server notices the client leaving, then stops counting it
            stats = (await client.get(f"{base_url}/__stats")).json()
            if stats["in_flight"] == 0:
                break
            await asyncio.sleep(0.01)
    assert stats["injected_timeouts"] == 1
    assert stats["in_flight"] == 0
    assert stats["client_disconnects"] == 1
