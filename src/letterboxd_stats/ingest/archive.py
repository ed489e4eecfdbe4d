"""Open an export zip safely: limits on members and expanded size, no unsafe paths."""

from __future__ import annotations

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

_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)
_DRIVE = re.compile(r"^[A-Za-z]:")


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


def export_members(label: str, archive: zipfile.ZipFile) -> list[ExportFile]:
    """The zip's files as export files, with one enclosing top-level folder removed."""
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
            open=_member_opener(label, archive, info),
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


def _member_opener(label: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo):  # type: ignore[no-untyped-def]
    @contextmanager
    def opener() -> Iterator[IO[bytes]]:
        try:
            member = archive.open(info)
        except _READ_ERRORS as exc:
            raise InvalidZip(f"{label}: cannot read {info.filename!r} ({exc})") from None
        with member:
            yield io.BufferedReader(_Guarded(member, f"{label}: {info.filename}"))

    return opener


class _Guarded(io.RawIOBase):
    """Turns a corrupt member (bad CRC, truncated data) into `InvalidZip` while it is read."""

    def __init__(self, member: IO[bytes], label: str) -> None:
        self._member = member
        self._label = label

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self._member.read(len(buffer))
        except _READ_ERRORS as exc:
            raise InvalidZip(f"{self._label}: the zip member is corrupt ({exc})") from None
        buffer[: len(data)] = data
        return len(data)
