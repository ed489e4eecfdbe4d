"""The enrichment repository's counter arithmetic, on the database itself (SQLite and
PostgreSQL), each test in a transaction rolled back at its end: what `record_results`,
`record_watchlist_results` and `choose_film` move, and by exactly how much."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from letterboxd_stats.enrich.repository import (
    FilmResult,
    choose_film,
    record_results,
    record_watchlist_results,
)
from letterboxd_stats.models import (
    Film,
    MatchStatus,
    SessionStatus,
    UploadSession,
    WatchlistEntry,
)
from letterboxd_stats.tmdb.decision import MatchDecision
from tests.fixtures.database import rolled_back

COUNTERS = ("enriched", "matched", "needs_review", "unmatched", "failed")
LONG_AGO = datetime(2024, 1, 1, tzinfo=UTC)
FILMS = 6


async def new_session(db: AsyncSession, films: int = FILMS, watchlist: int = 0) -> uuid.UUID:
    """A session being enriched: `films` pending films, `watchlist` pending entries."""
    session_id = uuid.uuid4()
    db.add(
        UploadSession(
            id=session_id,
            status=SessionStatus.enriching,
            error_message=None,
            created_at=LONG_AGO,
            updated_at=LONG_AGO,
            last_active_at=LONG_AGO + timedelta(days=3650),
            username=None,
            ignored_files=[],
            trace_id=None,
            total_movies=films,
            diary_count=0,
            rating_count=0,
            review_count=0,
            like_count=0,
            list_count=0,
            list_entry_count=0,
            watchlist_count=watchlist,
            **{f"{name}_count": 0 for name in COUNTERS},
        )
    )
    await db.flush()  # the session first: the films' foreign key
    db.add_all(
        Film(
            session_id=session_id,
            film_no=n,
            title=f"Film {n}",
            year=2000,
            letterboxd_uri=f"https://boxd.it/f{n}",
            watched=True,
            liked=False,
            match_status=MatchStatus.pending,
        )
        for n in range(1, films + 1)
    )
    db.add_all(
        WatchlistEntry(
            session_id=session_id,
            entry_no=n,
            added_on=date(2024, 1, 1),
            title=f"Wish {n}",
            year=2001,
            match_status=MatchStatus.pending,
        )
        for n in range(1, watchlist + 1)
    )
    await db.flush()
    return session_id


async def counters(db: AsyncSession, session_id: uuid.UUID) -> dict[str, int]:
    columns = [getattr(UploadSession, f"{name}_count") for name in COUNTERS]
    row = (await db.execute(select(*columns).where(UploadSession.id == session_id))).one()
    return dict(zip(COUNTERS, row, strict=True))


async def statuses(db: AsyncSession, session_id: uuid.UUID) -> dict[int, MatchStatus]:
    rows = await db.execute(
        select(Film.film_no, Film.match_status).where(Film.session_id == session_id)
    )
    return {row.film_no: row.match_status for row in rows}


def result(film_no: int, status: MatchStatus, tmdb_id: int | None = None) -> FilmResult:
    confidence = 0.9 if tmdb_id is not None else None
    method = "primary_release_year" if tmdb_id is not None else None
    reason = None if status in (MatchStatus.matched, MatchStatus.needs_review) else "no result"
    return FilmResult(film_no, MatchDecision(tmdb_id, confidence, method, status, reason))


BATCH = [
    result(1, MatchStatus.matched, 101),
    result(2, MatchStatus.matched, 102),
    result(3, MatchStatus.needs_review, 103),
    result(4, MatchStatus.unmatched),
    result(5, MatchStatus.failed),
]
AFTER_BATCH = {"enriched": 5, "matched": 3, "needs_review": 1, "unmatched": 1, "failed": 1}


def consistent(counts: dict[str, int]) -> bool:
    """The invariant: every enriched film is in exactly one final count (needs_review is a
    kind of matched)."""
    finals = counts["matched"] + counts["unmatched"] + counts["failed"]
    return finals == counts["enriched"] and counts["needs_review"] <= counts["matched"]


async def test_record_results_moves_each_counter_by_its_films(db: AsyncSession) -> None:
    session_id = await new_session(db)
    await record_results(db, session_id, BATCH)
    counts = await counters(db, session_id)
    assert counts == AFTER_BATCH  # matched counts needs_review's film too
    assert consistent(counts)
    assert await statuses(db, session_id) == {
        1: MatchStatus.matched,
        2: MatchStatus.matched,
        3: MatchStatus.needs_review,
        4: MatchStatus.unmatched,
        5: MatchStatus.failed,
        6: MatchStatus.pending,
    }
    film = await db.get(Film, (session_id, 3))
    assert film is not None
    await db.refresh(film)
    assert (film.tmdb_id, film.match_confidence, film.match_method) == (
        103,
        0.9,
        "primary_release_year",
    )


async def test_recording_films_already_stored_again_counts_nothing(db: AsyncSession) -> None:
    """A batch written twice (a job retried after its commit), or a result for a film a user
    fixed meanwhile: only films still pending are written and counted."""
    session_id = await new_session(db)
    await record_results(db, session_id, BATCH)
    await record_results(db, session_id, BATCH)
    assert await counters(db, session_id) == AFTER_BATCH

    changed_minds = [result(1, MatchStatus.failed), result(4, MatchStatus.matched, 104)]
    await record_results(db, session_id, [*changed_minds, result(6, MatchStatus.unmatched)])
    counts = await counters(db, session_id)
    assert counts == AFTER_BATCH | {"enriched": 6, "unmatched": 2}  # film 6 only
    assert consistent(counts)
    assert (await statuses(db, session_id))[1] is MatchStatus.matched  # not overwritten


async def test_record_results_of_nothing_moves_nothing(db: AsyncSession) -> None:
    session_id = await new_session(db)
    await record_results(db, session_id, [])
    assert await counters(db, session_id) == dict.fromkeys(COUNTERS, 0)


async def test_record_results_leave_other_sessions_alone(db: AsyncSession) -> None:
    session_id, other = await new_session(db), await new_session(db)
    await record_results(db, session_id, BATCH)
    assert await counters(db, other) == dict.fromkeys(COUNTERS, 0)
    assert set((await statuses(db, other)).values()) == {MatchStatus.pending}


async def test_watchlist_results_move_no_progress_counter(db: AsyncSession) -> None:
    """Watchlist entries are not the library: their outcome is stored, the counters stay, and
    the session's updated_at (the statistics' cache key) moves."""
    session_id = await new_session(db, watchlist=2)
    await record_results(db, session_id, BATCH)
    await record_watchlist_results(
        db, session_id, [result(1, MatchStatus.matched, 201), result(2, MatchStatus.unmatched)]
    )
    assert await counters(db, session_id) == AFTER_BATCH
    rows = await db.execute(
        select(WatchlistEntry.entry_no, WatchlistEntry.match_status, WatchlistEntry.tmdb_id)
        .where(WatchlistEntry.session_id == session_id)
        .order_by(WatchlistEntry.entry_no)
    )
    assert [tuple(row) for row in rows] == [
        (1, MatchStatus.matched, 201),
        (2, MatchStatus.unmatched, None),
    ]
    updated = await db.scalar(
        select(UploadSession.updated_at).where(UploadSession.id == session_id)
    )
    assert updated is not None
    assert updated > LONG_AGO


async def _watchlist_enriched(db: AsyncSession, session_id: Any) -> int | None:
    return await db.scalar(
        select(UploadSession.watchlist_enriched).where(UploadSession.id == session_id)
    )


async def test_the_watchlist_phase_counts_each_entry_once(db: AsyncSession) -> None:
    """`watchlist_enriched` moves with the entries it counts; a result written again (a resumed
    job, a second process) counts nothing."""
    session_id = await new_session(db, watchlist=3)
    assert await _watchlist_enriched(db, session_id) == 0
    first = [result(1, MatchStatus.matched, 201), result(2, MatchStatus.unmatched)]
    await record_watchlist_results(db, session_id, first)
    assert await _watchlist_enriched(db, session_id) == 2
    await record_watchlist_results(db, session_id, [*first, result(3, MatchStatus.failed)])
    assert await _watchlist_enriched(db, session_id) == 3
    await record_watchlist_results(db, session_id, [])
    assert await _watchlist_enriched(db, session_id) == 3


# The counters' move when a user picks a TMDB film for a film in each state.
CHOICES = {
    "pending": (7, {"enriched": 1, "matched": 1}),
    "matched": (1, {}),
    "needs_review": (3, {"needs_review": -1}),
    "unmatched": (4, {"matched": 1, "unmatched": -1}),
    "failed": (5, {"matched": 1, "failed": -1}),
}


@pytest.mark.parametrize("previous", list(CHOICES))
async def test_choose_film_moves_the_counters_from_its_state(
    db: AsyncSession, previous: str
) -> None:
    session_id = await new_session(db, films=7)
    await record_results(db, session_id, BATCH)  # film 6 and 7 stay pending
    before = await counters(db, session_id)
    film_no, delta = CHOICES[previous]
    assert (await statuses(db, session_id))[film_no].value == previous

    assert await choose_film(db, session_id, film_no, 999) is True
    after = await counters(db, session_id)
    assert after == {name: before[name] + delta.get(name, 0) for name in COUNTERS}
    assert consistent(after)
    film = await db.get(Film, (session_id, film_no))
    assert film is not None
    assert (film.match_status, film.tmdb_id, film.match_method) == (
        MatchStatus.matched,
        999,
        "user",
    )
    assert (film.match_confidence, film.match_reason) == (1.0, None)

    assert await choose_film(db, session_id, film_no, 998) is True  # chosen again: no move
    assert await counters(db, session_id) == after


async def test_choose_film_of_an_unknown_film_changes_nothing(db: AsyncSession) -> None:
    session_id = await new_session(db)
    await record_results(db, session_id, BATCH)
    assert await choose_film(db, session_id, 99, 999) is False
    assert await choose_film(db, uuid.uuid4(), 1, 999) is False
    assert await counters(db, session_id) == AFTER_BATCH


async def test_a_film_chosen_then_recorded_by_the_job_is_counted_once(db: AsyncSession) -> None:
    """A user fixes a pending film while the job is still at it; the job's result for it
    comes after and is not counted again."""
    session_id = await new_session(db)
    assert await choose_film(db, session_id, 6, 999) is True
    await record_results(db, session_id, [*BATCH, result(6, MatchStatus.unmatched)])
    counts = await counters(db, session_id)
    assert counts == AFTER_BATCH | {"enriched": 6, "matched": 4}
    assert consistent(counts)


async def test_what_a_rolled_back_session_commits_is_gone(savepoint_engine: AsyncEngine) -> None:
    """The fixture's promise: even a commit of the code under test is undone at the end."""
    async with rolled_back(savepoint_engine) as db:
        session_id = await new_session(db)
        await db.commit()
        await record_results(db, session_id, BATCH)
        await db.commit()
        assert (await counters(db, session_id))["enriched"] == 5  # visible inside
    async with savepoint_engine.connect() as conn:
        found = await conn.scalar(
            select(func.count()).select_from(UploadSession).where(UploadSession.id == session_id)
        )
        films = await conn.scalar(
            select(func.count()).select_from(Film).where(Film.session_id == session_id)
        )
    assert (found, films) == (0, 0)
