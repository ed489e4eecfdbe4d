"""Reading an upload in a worker thread without starving the event loop.

A thread parsing a large file holds the GIL almost all the time, and it lets go of it only
briefly (for a read from the spooled upload, or zlib inflating a chunk): each such release
resets the event loop thread's wait for the GIL, which can then wait for most of a second.
Sleeping for a moment every `EVERY_BYTES` read hands the GIL over for certain: the event loop
answers within a few milliseconds, for a cost of ~1 ms per 256 kB.
"""

from __future__ import annotations

import io
import time
from typing import IO

EVERY_BYTES = 256 * 1024
PAUSE_SECONDS = 0.001


class YieldingReader(io.RawIOBase):
    """`file`, read through; a short sleep every `EVERY_BYTES`."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file
        self._since_pause = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._file.read(len(buffer))
        buffer[: len(data)] = data
        self._since_pause += len(data)
        if self._since_pause >= EVERY_BYTES:
            self._since_pause = 0
            time.sleep(PAUSE_SECONDS)
        return len(data)


def yielding(file: IO[bytes]) -> IO[bytes]:
    return io.BufferedReader(YieldingReader(file))
