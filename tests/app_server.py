"""Run the app on a real loopback port inside an async test (with its real lifespan), or as a
separate process (for SIGKILL)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from letterboxd_stats.app import create_app
from letterboxd_stats.config import Settings
from tests.loopback import loopback_socket, serving


@asynccontextmanager
async def running_app(settings: Settings) -> AsyncIterator[str]:
    """Yield the base URL (`http://127.0.0.1:<port>`) of the app serving with `settings`."""
    async with serving(create_app(settings), lifespan="on") as base_url:
        yield base_url


def free_port() -> int:
    with loopback_socket() as sock:
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
