"""Update a library with a newer export of the same account, and the history of its imports.

The new export is parsed and validated as an upload is (`service.read_library`), off the event
loop; nothing is written before it is known good, and an export of another account is refused
(409 `DifferentAccount`). Then the session's job is stopped (it must not write into rows about to
be replaced) and, in the request's one transaction: the session's row locked, the stored library
read, its films paired with the new ones (`pairing`), every row replaced (the kept films under
their old numbers with their match: no TMDB request for them), the counters set from what was
carried over, the import recorded. The job is submitted again once that commits; it enriches the
films left `pending`: the new ones. A crash before the commit leaves the old library as it was.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

import anyio
import structlog
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile

from letterboxd_stats.config import Settings
from letterboxd_stats.db import after_commit, release_connection
from letterboxd_stats.enrich.runner import JobRunner
from letterboxd_stats.errors import DifferentAccount, SessionNotFound
from letterboxd_stats.ingest import repository
from letterboxd_stats.ingest.changes import compare, watchlist_pairing
from letterboxd_stats.ingest.library import Library, export_date, library_counts, renumbered
from letterboxd_stats.ingest.schemas import (
    ChangeSummary,
    ImportHistory,
    ImportItem,
    UpdateAccepted,
)
from letterboxd_stats.ingest.service import read_library
from letterboxd_stats.logging import short_id
from letterboxd_stats.models import UploadSession
from letterboxd_stats.sessions import repository as sessions_repository

log = structlog.get_logger(__name__)


def _check_account(session: UploadSession, library: Library) -> None:
    new = library.profile.username if library.profile else None
    if session.username and new and session.username.casefold() != new.casefold():
        raise DifferentAccount(
            f"profile.csv: this export is of the Letterboxd account {new!r}, the library of "
            f"{session.username!r}. Upload it as a new library instead."
        )


async def update_library(
    files: list[UploadFile],
    settings: Settings,
    db: AsyncSession,
    runner: JobRunner,
    session: UploadSession,
) -> UpdateAccepted:
    library = await anyio.to_thread.run_sync(read_library, files, settings)
    _check_account(session, library)
    new_date = export_date([f.filename or "" for f in files], library)

    # The job must not write into rows about to be replaced: stopped first, holding no
    # connection while it stops; submitted again once the update commits (or if it fails).
    await release_connection(db)
    await runner.cancel(session.id)
    try:
        return await _replace(db, runner, session.id, library, new_date)
    except BaseException:
        await runner.submit(session.id)  # the old library is intact: its job goes on
        raise


async def _replace(
    db: AsyncSession,
    runner: JobRunner,
    session_id: Any,
    library: Library,
    new_date: date | None,
) -> UpdateAccepted:
    session = await repository.lock_session(db, session_id)
    if session is None:
        raise SessionNotFound("no session with this id")
    _check_account(session, library)  # read again under the lock
    previous = await repository.latest_import(db, session_id)
    previous_date = previous.export_date if previous is not None else None
    warnings = list(library.warnings)
    if new_date is not None and previous_date is not None and new_date < previous_date:
        warnings.append(
            f"this export ({new_date.isoformat()}) is older than the library's "
            f"({previous_date.isoformat()}): the library is now the older export's"
        )

    stored = await repository.stored_library(db, session_id)
    changes, films = compare(stored.stored, library)
    next_no = max((f.film_no for f in stored.stored.films), default=0)
    numbers: dict[int, int] = {}
    carried = repository.Carried()
    for j, film in enumerate(library.films):
        i = films.pairs.get(j)
        if i is not None:
            old_no = stored.stored.films[i].film_no
            numbers[film.film_no] = old_no
            carried.films[old_no] = stored.films[old_no]
        else:
            next_no += 1
            numbers[film.film_no] = next_no
    watch = watchlist_pairing(stored.stored.watchlist, library)
    for j, i in watch.pairs.items():
        carried.watchlist[j + 1] = stored.watchlist[i]
    numbered = renumbered(library, numbers)

    now = datetime.now(UTC)
    await repository.replace_library(db, session, numbered, carried, now=now)
    summary = ChangeSummary.model_validate(asdict(changes))
    await repository.add_import(
        db,
        session_id,
        kind="update",
        now=now,
        export_date=new_date,
        counts=library_counts(library),
        changes=summary.model_dump(mode="json"),
        warnings=warnings,
    )
    await sessions_repository.touch(db, session_id, now)  # an update is the owner's activity
    after_commit(db, partial(runner.submit, session_id))
    session = await repository.lock_session(db, session_id)
    assert session is not None
    log.info(
        "update.accepted",
        session=short_id(session_id),
        films=session.total_movies,
        added=changes.films_added,
        removed=changes.films_removed,
        kept=changes.films_kept,
    )
    return UpdateAccepted(
        session_id=session_id,
        status=session.status,
        total_movies=session.total_movies,
        to_enrich=session.total_movies - session.carried_count,
        export_date=new_date,
        previous_export_date=previous_date,
        changes=summary,
        ignored_files=library.ignored_files,
        warnings=warnings,
        missing_files=library.missing_files,
    )


async def import_history(db: AsyncSession, session: UploadSession) -> ImportHistory:
    records = await repository.history(db, session.id)
    return ImportHistory(
        session_id=session.id,
        imports=[
            ImportItem(
                import_no=r.import_no,
                kind=r.kind,
                imported_at=r.imported_at,
                export_date=r.export_date,
                counts=r.counts,
                changes=ChangeSummary.model_validate(r.changes) if r.changes else None,
                warnings=r.warnings,
            )
            for r in records
        ],
    )
