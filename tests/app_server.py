"""Run the app on a real loopback port inside an async test (a `uvicorn.Server` task on the
test's event loop, with the app's real lifespan), or as a separate process (for SIGKILL)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import uvicorn

from letterboxd_stats.app import create_app
from letterboxd_stats.config import Settings


def _loopback_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@asynccontextmanager
async def running_app(settings: Settings) -> AsyncIterator[str]:
    """Yield the base URL (`http://127.0.0.1:<port>`) of the app serving with `settings`."""
    sock = _loopback_socket()
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings), log_level="warning", access_log=False, lifespan="on", ws="none"
        )
    )
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("the app stopped before it started")
            await asyncio.sleep(0.005)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


def free_port() -> int:
    with _loopback_socket() as sock:
        return int(sock.getsockname()[1])


async def start_app_process(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """`letterboxd-stats serve` in its own process; returns once /api/health answers."""
    process = subprocess.Popen(
        [sys.executable, "-m", "letterboxd_stats", "serve", f"--port={port}"],
        env=os.environ | env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    async with httpx.AsyncClient() as client:
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError(f"the app exited with {process.returncode}")
            try:
                if (await client.get(f"http://127.0.0.1:{port}/api/health")).status_code == 200:
                    return process
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    process.kill()
    raise RuntimeError("the app did not come up")
