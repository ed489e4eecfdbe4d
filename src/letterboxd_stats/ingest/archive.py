"""Open an export zip safely: limits on members and expanded size, no unsafe paths."""

from __future__ import annotations

import copy
import io
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from letterboxd_stats.errors import InvalidZip, UnsafeZip, ZipTooLarge
from letterboxd_stats.ingest.sources import ExportFile
from letterboxd_stats.ingest.yielding import yielding

_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)
_DRIVE = re.compile(r"^[A-Za-z]:")
# The most one read asks of a member; zipfile decompresses ahead of a read by at most as much
# (or 4 kB), so a member opened `_SLACK` beyond the budget's limit never reaches its own end
# (and CRC check) before the budget trips.
_MAX_READ = 1024 * 1024
_SLACK = 2 * _MAX_READ + 2


@dataclass(frozen=True, slots=True)
class ZipLimits:
    max_members: int
    max_uncompressed_bytes: int


def open_export_zip(label: str, fileobj: IO[bytes], limits: ZipLimits) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(fileobj)
        infos = archive.infolist()
    except _READ_ERRORS as exc:
        raise InvalidZip(f"{label}: not a readable zip file ({exc})") from None
    if len(infos) > limits.max_members:
        raise ZipTooLarge(
            f"{label}: {len(infos)} members, more than the {limits.max_members} allowed"
        )
    expanded = sum(info.file_size for info in infos)
    if expanded > limits.max_uncompressed_bytes:
        raise ZipTooLarge(
            f"{label}: expands to {expanded:,} bytes, more than the "
            f"{limits.max_uncompressed_bytes:,} allowed"
        )
    return archive


def export_members(
    label: str, archive: zipfile.ZipFile, max_uncompressed_bytes: int | None = None
) -> list[ExportFile]:
    """The zip's files as export files, with one enclosing top-level folder removed. Reading
    them checks each member's real size and CRC against its header, and caps what all of them
    expand to at `max_uncompressed_bytes` (the declared sizes may be forged)."""
    budget = _Budget(label, max_uncompressed_bytes or sum(i.file_size for i in archive.infolist()))
    names: set[str] = set()
    members: list[tuple[str, zipfile.ZipInfo]] = []
    for info in archive.infolist():
        name = info.filename.replace("\\", "/")
        _check_member(label, name, info)
        if name in names:
            raise UnsafeZip(f"{label}: the member {name!r} appears twice")
        names.add(name)
        if not info.is_dir():
            members.append((name, info))

    prefix = _common_folder([n for n, _ in members if not n.startswith("__MACOSX/")])
    return [
        ExportFile(
            path=name.removeprefix(prefix),
            label=f"{label}: {name}",
            open=_member_opener(label, archive, info, budget),
        )
        for name, info in members
    ]


def _check_member(label: str, name: str, info: zipfile.ZipInfo) -> None:
    if name.startswith("/") or _DRIVE.match(name) or ".." in name.split("/"):
        raise UnsafeZip(f"{label}: the member {name!r} has an absolute or '..' path")
    if info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16):
        raise UnsafeZip(f"{label}: the member {name!r} is a symbolic link")
    if info.flag_bits & 0x1:
        raise InvalidZip(f"{label}: the member {name!r} is encrypted")


def _common_folder(names: list[str]) -> str:
    if not names or any("/" not in n for n in names):
        return ""
    first = {n.split("/", 1)[0] for n in names}
    return f"{first.pop()}/" if len(first) == 1 else ""


class _Budget:
    """Bytes the members of one zip may still expand to, counted as they are really read."""

    def __init__(self, label: str, limit: int) -> None:
        self.label = label
        self.limit = limit
        self.left = limit
        self._reached: dict[str, int] = {}  # a member read again (error paths) counts once

    def allowance(self, member: str, offset: int) -> int:
        """Bytes `member`, read up to `offset`, may still read: one more trips the limit."""
        return max(self.left, 0) + max(0, self._reached.get(member, 0) - offset) + 1

    def reach(self, member: str, offset: int) -> None:
        before = self._reached.get(member, 0)
        if offset <= before:
            return
        self._reached[member] = offset
        self.left -= offset - before
        if self.left < 0:
            raise ZipTooLarge(
                f"{self.label}: expands to more than the {self.limit:,} bytes allowed "
                "(its members hold more than their headers say)"
            )


def _member_opener(  # type: ignore[no-untyped-def]
    label: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget
):
    @contextmanager
    def opener() -> Iterator[IO[bytes]]:
        # zipfile stops at the declared size and checks the CRC only of what it read: a header
        # forged to a smaller size (and the CRC of that prefix) would silently truncate the
        # member. Read up to the budget instead; the CRC is then checked on the real data, and
        # the real size is compared with the declared one at the end.
        unbounded = copy.copy(info)
        unbounded.file_size = max(info.file_size, budget.limit) + _SLACK
        try:
            member = archive.open(unbounded)
        except _READ_ERRORS as exc:
            raise InvalidZip(f"{label}: cannot read {info.filename!r} ({exc})") from None
        with member:
            guarded = io.BufferedReader(_Guarded(member, f"{label}: {info.filename}", info, budget))
            yield yielding(guarded)

    return opener


class _Guarded(io.RawIOBase):
    """Turns a corrupt member (bad CRC, truncated data, a size other than its header's) into
    `InvalidZip` while it is read, and counts what it expands to against the zip's budget."""

    def __init__(
        self, member: IO[bytes], label: str, info: zipfile.ZipInfo, budget: _Budget
    ) -> None:
        self._member = member
        self._label = label
        self._declared = info.file_size
        self._budget = budget
        self._read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        # Never past the budget's limit in one read: the limit trips before zipfile's own end.
        want = min(len(buffer), _MAX_READ, self._budget.allowance(self._label, self._read))
        try:
            data = self._member.read(want)
        except _READ_ERRORS as exc:
            raise InvalidZip(f"{self._label}: the zip member is corrupt ({exc})") from None
        self._read += len(data)
        self._budget.reach(self._label, self._read)
        if not data and len(buffer) and self._read != self._declared:
            raise InvalidZip(
                f"{self._label}: the zip member holds {self._read:,} bytes but its header "
                f"says {self._declared:,} (a forged or corrupt zip)"
            )
        buffer[: len(data)] = data
        return len(data)
