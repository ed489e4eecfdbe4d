"""Run the TMDB stand-in on a real loopback port inside an async test (no threads).

    from letterboxd_stats.standin import StandinConfig
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

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn

from letterboxd_stats.standin import StandinConfig, create_standin_app


@asynccontextmanager
async def running_standin(config: StandinConfig | None = None) -> AsyncIterator[str]:
    """Yield the base URL (`http://127.0.0.1:<port>`, without `/3`) of a running stand-in."""
    app = create_standin_app(config or StandinConfig())
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            ws="none",
            server_header=False,
            timeout_graceful_shutdown=2,
        )
    )
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()  # raises why it failed
                raise RuntimeError("the stand-in stopped before it started")
            await asyncio.sleep(0.005)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()
