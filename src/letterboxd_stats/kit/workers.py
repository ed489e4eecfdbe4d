"""A pool of worker coroutines that ends as a whole."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterable
from typing import Any


async def run_all(workers: Iterable[Coroutine[Any, Any, None]]) -> None:
    """Run the workers as tasks until every one has ended. When one fails, or the caller is
    cancelled, the others are cancelled and waited for before the error (or the cancellation)
    propagates: `asyncio.gather` alone returns at the first error and leaves the rest running,
    so a stopped job's workers could still write (a unit of work finishing after a new process
    had taken the job over counted its item twice)."""
    tasks = [asyncio.create_task(worker) for worker in workers]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
