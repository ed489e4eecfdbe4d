"""Run the TMDB stand-in on a real loopback port inside an async test (no threads).

    from standin import StandinConfig
    from tests.standin_server import running_standin

    async def test_something() -> None:
        async with running_standin(StandinConfig(rate_limit=0)) as base_url:
            # base_url is "http://127.0.0.1:<port>"; TMDB's base is f"{base_url}/3",
            # the counters are at f"{base_url}/__stats".
            ...

The server is a `uvicorn.Server` task on the test's event loop, bound to a socket on a free
port opened here (no race for the port); leaving the block stops it and waits for it.

Talk to it only with an async client (`httpx.AsyncClient`): a sync call (`httpx.get`,
`httpx.Client`) blocks the very event loop the server runs on, so it hangs until it times out.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from standin import StandinConfig, create_standin_app
from tests.loopback import serving


@asynccontextmanager
async def running_standin(config: StandinConfig | None = None) -> AsyncIterator[str]:
    """Yield the base URL (`http://127.0.0.1:<port>`, without `/3`) of a running stand-in."""
    async with serving(create_standin_app(config or StandinConfig()), lifespan="off") as base:
        yield base
