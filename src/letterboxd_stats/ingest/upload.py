"""Read a multipart upload with the size limit enforced while the body streams in, and turn
its parts into export files."""

from __future__ import annotations

import posixpath
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import IO

import anyio
from fastapi import Request
from python_multipart.exceptions import MultipartParseError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.types import Message, Receive

from letterboxd_stats.config import Settings
from letterboxd_stats.errors import (
    EmptyUpload,
    MalformedUpload,
    TooManyFiles,
    UnsupportedFile,
    UploadTimeout,
    UploadTooLarge,
)
from letterboxd_stats.ingest.archive import ZipLimits, export_members, open_export_zip
from letterboxd_stats.ingest.sources import ExportFile
from letterboxd_stats.ingest.yielding import yielding

FIELD_NAME = "files"
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"


@dataclass(frozen=True, slots=True)
class UploadParts:
    archived: list[ExportFile]
    loose: list[ExportFile]


def _limited(receive: Receive, limit: int) -> Receive:
    received = 0

    async def limited_receive() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise UploadTooLarge(
                    f"the upload is larger than the {limit:,}-byte limit "
                    f"({limit // (1024 * 1024)} MB)"
                )
        return message

    return limited_receive


@asynccontextmanager
async def read_upload(request: Request, settings: Settings) -> AsyncIterator[list[UploadFile]]:
    """The uploaded files of field `files`, spooled to disk beyond 1 MB; closed on exit."""
    limit = settings.max_upload_bytes
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise UploadTooLarge(
            f"the upload is {int(declared):,} bytes, over the {limit:,}-byte limit"
        )
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise MalformedUpload(
            f"send the export as multipart/form-data in the field '{FIELD_NAME}' "
            f"(got content type {content_type or 'none'!r})"
        )
    limited = Request(request.scope, _limited(request.receive, limit))
    timeout = settings.upload_timeout_seconds
    try:
        with anyio.fail_after(timeout):
            form = await limited.form(
                max_files=settings.max_upload_files, max_fields=100, max_part_size=1024 * 1024
            )
    except TimeoutError:
        raise UploadTimeout(
            f"the upload did not arrive within {timeout:g} s (UPLOAD_TIMEOUT_SECONDS)"
        ) from None
    except (MultiPartException, MultipartParseError) as exc:
        raise MalformedUpload(f"the multipart body could not be read: {exc}") from None
    except HTTPException as exc:
        if "Too many files" in str(exc.detail):
            raise TooManyFiles(
                f"more than {settings.max_upload_files} files in one upload"
            ) from None
        raise MalformedUpload(f"the multipart body could not be read: {exc.detail}") from None
    try:
        files = [
            part
            for part in form.getlist(FIELD_NAME)
            if isinstance(part, UploadFile) and (part.filename or part.size)
        ]
        if not files:
            raise EmptyUpload(
                f"no files in the upload: send the export zip or its CSV files "
                f"in the multipart field '{FIELD_NAME}'"
            )
        yield files
    finally:
        await form.close()


@contextmanager
def export_files(files: list[UploadFile], settings: Settings) -> Iterator[UploadParts]:
    """Sort the uploaded parts into zip members and loose CSVs; zips stay open inside."""
    limits = ZipLimits(settings.max_zip_members, settings.max_uncompressed_bytes)
    archived: list[ExportFile] = []
    loose: list[ExportFile] = []
    with ExitStack() as stack:
        for part in files:
            name = _clean_name(part.filename or "upload")
            head = _peek(part.file, 4)
            lowered = name.lower()
            if head in (_ZIP_MAGIC, _EMPTY_ZIP_MAGIC) or lowered.endswith(".zip"):
                part.file.seek(0)
                archive = stack.enter_context(open_export_zip(name, part.file, limits))
                archived.extend(export_members(name, archive, limits.max_uncompressed_bytes))
            elif lowered.endswith(".csv"):
                loose.append(ExportFile(path=name, label=name, open=_part_opener(part.file)))
            else:
                raise UnsupportedFile(
                    f"{name}: not a zip or CSV file; upload the export zip from Letterboxd "
                    "(Settings → Import & Export → Export your data) or its .csv files"
                )
        yield UploadParts(archived=archived, loose=loose)


def _clean_name(filename: str) -> str:
    """Browsers send a bare name, or a relative path for a folder upload: keep that path."""
    parts = [p for p in filename.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    return posixpath.join(*parts) if parts else "upload"


def _peek(file: IO[bytes], size: int) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def _part_opener(file: IO[bytes]):  # type: ignore[no-untyped-def]
    @contextmanager
    def opener() -> Iterator[IO[bytes]]:
        file.seek(0)
        yield yielding(file)  # the form owns the file and closes it

    return opener
