"""Run the app on a real loopback port inside an async test (with its real lifespan), or as a
separate process (for SIGKILL, or to read what it prints)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO

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


async def start_app_process(
    env: dict[str, str], port: int, log_file: Path | None = None
) -> subprocess.Popen[bytes]:
    """`letterboxd-stats serve` in its own process; returns once /api/health answers.
    Its stdout and stderr go to `log_file` when given (appended), else nowhere."""
    health = f"http://127.0.0.1:{port}/api/health"
    return await start_process(["serve", f"--port={port}"], env, health, log_file)


REPO = Path(__file__).resolve().parents[1]


async def start_process(
    args: list[str],
    env: dict[str, str],
    ready_url: str,
    log_file: Path | None = None,
    *,
    module: str = "letterboxd_stats",
) -> subprocess.Popen[bytes]:
    """`python -m <module> <args>` in its own process (`letterboxd-stats`, or the stand-in,
    `standin`, which lives beside the tests); returns once `ready_url` answers 200."""
    output: IO[bytes] | int = log_file.open("ab") if log_file else subprocess.DEVNULL
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            env=os.environ | {"PYTHONPATH": str(REPO)} | env,
            stdout=output,
            stderr=output,
        )
    finally:
        if not isinstance(output, int):
            output.close()  # the child holds its own copy
    async with httpx.AsyncClient() as client:
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError(f"`letterboxd-stats {args[0]}` exited with {process.returncode}")
            try:
                if (await client.get(ready_url)).status_code == 200:
                    return process
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    process.kill()
    raise RuntimeError(f"`letterboxd-stats {args[0]}` did not come up")
