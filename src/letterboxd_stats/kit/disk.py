"""Is the server's disk full? `DiskWatch` says so while a write failed for lack of space
within the last `hold_seconds`, or while a directory we write to (the SQLite database's, the
temporary files' of uploads) has less than `min_free_bytes` free. `/api/health` asks it."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import make_url

from letterboxd_stats.config import Settings


class DiskWatch:
    def __init__(
        self,
        directories: dict[str, Path],
        *,
        min_free_bytes: int,
        hold_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`directories`: what each is (said in the answer; its path is not) -> its path."""
        self.directories = directories
        self.min_free_bytes = min_free_bytes
        self.hold_seconds = hold_seconds
        self._clock = clock
        self._full_at: float | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> DiskWatch:
        directories = {"temporary files": Path(tempfile.gettempdir())}
        database = make_url(settings.database_url).database if settings.is_sqlite else None
        if database and database != ":memory:" and not database.startswith("file:"):
            directories["the database"] = Path(database).resolve().parent
        return cls(
            directories,
            min_free_bytes=settings.disk_min_free_bytes,
            hold_seconds=settings.disk_full_hold_seconds,
        )

    def seen_full(self) -> None:
        """A write just failed for lack of disk space."""
        self._full_at = self._clock()

    def problem(self) -> str | None:
        """Why the disk counts as full now, or None."""
        if self._full_at is not None:
            ago = self._clock() - self._full_at
            if ago < self.hold_seconds:
                return f"the disk was full {ago:.0f} s ago: a write failed for lack of space"
        if self.min_free_bytes <= 0:
            return None
        for what, directory in self.directories.items():
            try:
                free = shutil.disk_usage(directory).free
            except OSError:  # gone or unreadable: the database check says what is wrong
                continue
            if free < self.min_free_bytes:
                return (
                    f"the disk of {what} is nearly full: {free:,} bytes free, under the "
                    f"{self.min_free_bytes:,}-byte minimum (DISK_MIN_FREE_BYTES)"
                )
        return None
