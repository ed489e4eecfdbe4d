"""Upload -> parsed, validated library -> one session, in the caller's unit of work -> the
enrichment job, submitted once that unit of work has committed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from functools import partial

import anyio
import structlog
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile

from letterboxd_stats.config import Settings
from letterboxd_stats.db import after_commit
from letterboxd_stats.enrich.runner import JobRunner
from letterboxd_stats.errors import NoExportFiles
from letterboxd_stats.ingest import repository
from letterboxd_stats.ingest.fields import DateRange
from letterboxd_stats.ingest.library import Library, build_library, export_date, library_counts
from letterboxd_stats.ingest.parse import RowLimits, parse_export
from letterboxd_stats.ingest.records import ParsedExport
from letterboxd_stats.ingest.schemas import UploadAccepted
from letterboxd_stats.ingest.upload import export_files
from letterboxd_stats.logging import short_id

log = structlog.get_logger(__name__)


def read_library(files: list[UploadFile], settings: Settings) -> Library:
    """Parse every uploaded file; raise a `BadUpload` on the first problem. Blocking: CPU-bound
    for large exports, run it in a worker thread."""
    limits = RowLimits(
        per_file=settings.max_csv_rows,
        total=settings.max_upload_rows,
        field_chars=settings.max_csv_field_chars,
    )
    today = datetime.now(UTC).date()
    dates = DateRange.until(settings.min_date, today, settings.max_future_days)
    with export_files(files, settings) as parts:
        export = parse_export(parts.archived, parts.loose, limits, dates)
        if not _has_export_content(export):
            names = ", ".join(f.filename or "upload" for f in files)
            raise NoExportFiles(
                f"{names}: no Letterboxd export files inside (expected watched.csv, diary.csv, "
                "ratings.csv, watchlist.csv… at the top or in one folder)"
            )
        return build_library(export)


def _has_export_content(export: ParsedExport) -> bool:
    return bool(
        export.watched
        or export.ratings
        or export.diary
        or export.likes
        or export.watchlist
        or export.reviews
        or export.lists
        or export.profile
    )


async def import_upload(
    files: list[UploadFile],
    settings: Settings,
    db: AsyncSession,
    runner: JobRunner,
) -> UploadAccepted:
    # Parsed in a worker thread so that the event loop keeps answering other requests. A
    # cancelled request waits for the thread to finish (it is not abandoned) and then writes
    # nothing: the library is only written, in one transaction, once it is complete.
    library = await anyio.to_thread.run_sync(read_library, files, settings)
    session_id = uuid.uuid4()
    session = await repository.insert_library(
        db,
        session_id,
        library,
        now=datetime.now(UTC),
        trace_id=structlog.contextvars.get_contextvars().get("request_id"),
    )
    await repository.add_import(
        db,
        session_id,
        kind="upload",
        now=session.created_at,
        export_date=export_date([f.filename or "" for f in files], library),
        counts=library_counts(library),
        changes=None,
        warnings=list(library.warnings),
    )
    # Only once the import is committed does the job exist (a request: before the 202 is sent).
    after_commit(db, partial(runner.submit, session_id))
    log.info(
        "upload.accepted",
        session=short_id(session_id),
        films=session.total_movies,
        diary=session.diary_count,
        watchlist=session.watchlist_count,
    )
    return UploadAccepted(
        session_id=session_id,
        status=session.status,
        total_movies=session.total_movies,
        watchlist_count=session.watchlist_count,
        ignored_files=library.ignored_files,
        warnings=library.warnings,
        missing_files=library.missing_files,
    )
