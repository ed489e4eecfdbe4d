"""SQL of the enrichment job. Dialect differences (upserts) live here and nowhere else."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.db import upsert_insert
from letterboxd_stats.ingest.uris import film_key
from letterboxd_stats.models import (
    Film,
    MatchFix,
    MatchStatus,
    SessionStatus,
    TmdbMatch,
    TmdbMovie,
    UploadSession,
    WatchlistEntry,
    WatchOffer,
)
from letterboxd_stats.stats.tags import film_labels, pack
from letterboxd_stats.tmdb.decision import MatchDecision, TmdbKind
from letterboxd_stats.tmdb.metadata import MovieRow
from letterboxd_stats.tmdb.offers import offer_rows
from letterboxd_stats.tmdb.schemas import WatchProviders

UNFINISHED = (SessionStatus.uploading, SessionStatus.processing, SessionStatus.enriching)
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class PendingFilm:
    film_no: int
    title: str
    year: int | None
    letterboxd_uri: str | None = None


@dataclass(frozen=True, slots=True)
class FilmResult:
    """How one film (or watchlist entry) of a session was matched."""

    film_no: int
    decision: MatchDecision


@dataclass(frozen=True, slots=True)
class KnownMatch:
    """A decision for the global cache (`tmdb_matches`): every film typed this way gets it."""

    key: str
    title: str
    year: int | None
    decision: MatchDecision
    matched_at: datetime


async def set_status(
    db: AsyncSession,
    session_id: uuid.UUID,
    status: SessionStatus,
    *,
    error_message: str | None = None,
) -> None:
    await db.execute(  # a user's cancel is final: a job never moves a session out of it
        update(UploadSession)
        .where(
            UploadSession.id == session_id,
            UploadSession.status != SessionStatus.cancelled,
        )
        .values(status=status, error_message=error_message, updated_at=datetime.now(UTC))
    )


async def get_session(db: AsyncSession, session_id: uuid.UUID) -> UploadSession | None:
    return await db.get(UploadSession, session_id)


async def unfinished_session_ids(db: AsyncSession) -> list[uuid.UUID]:
    """Sessions whose job has work left: the library, or (once completed) the watchlist or the
    completion phase."""
    watchlist_left = (
        select(WatchlistEntry.session_id)
        .where(WatchlistEntry.match_status == MatchStatus.pending)
        .distinct()
    )
    rows = await db.scalars(
        select(UploadSession.id)
        .where(
            UploadSession.status.in_(UNFINISHED)
            | (
                (UploadSession.status == SessionStatus.completed)
                & (
                    UploadSession.id.in_(watchlist_left)
                    | (UploadSession.extras_done < UploadSession.extras_total)
                )
            )
        )
        .order_by(UploadSession.created_at)
    )
    return list(rows)


async def pending_watchlist(db: AsyncSession, session_id: uuid.UUID) -> list[PendingFilm]:
    rows = await db.execute(
        select(
            WatchlistEntry.entry_no,
            WatchlistEntry.title,
            WatchlistEntry.year,
            WatchlistEntry.letterboxd_uri,
        )
        .where(
            WatchlistEntry.session_id == session_id,
            WatchlistEntry.match_status == MatchStatus.pending,
        )
        .order_by(WatchlistEntry.entry_no)
    )
    return [PendingFilm(*row) for row in rows]


async def record_watchlist_results(
    db: AsyncSession, session_id: uuid.UUID, results: Sequence[FilmResult]
) -> None:
    """Watchlist entries still pending get their outcome (as films do), and the session's
    `watchlist_enriched` counter moves by as many, in the same transaction: exact at every
    moment, and a result written twice (a resumed job) is counted once."""
    results = await _still_pending(db, WatchlistEntry.entry_no, session_id, results)
    if not results:
        return
    table = cast(Table, WatchlistEntry.__table__)
    await db.execute(
        update(table)
        .where(
            table.c.session_id == bindparam("b_session"),
            table.c.entry_no == bindparam("b_entry"),
            table.c.match_status == MatchStatus.pending.value,
        )
        .values(
            match_status=bindparam("b_status"),
            tmdb_id=bindparam("b_tmdb"),
            tmdb_kind=bindparam("b_kind"),
        )
        .execution_options(synchronize_session=False),
        [
            {
                "b_session": session_id,
                "b_entry": r.film_no,
                "b_status": r.decision.status.value,
                "b_tmdb": r.decision.tmdb_id,
                "b_kind": r.decision.kind.value,
            }
            for r in results
        ],
    )
    await db.execute(  # the statistics' cache key (the session changed), and the counter
        update(UploadSession)
        .where(UploadSession.id == session_id)
        .values(
            updated_at=datetime.now(UTC),
            watchlist_enriched=UploadSession.watchlist_enriched + len(results),
        )
    )


async def pending_films(db: AsyncSession, session_id: uuid.UUID) -> list[PendingFilm]:
    rows = await db.execute(
        select(Film.film_no, Film.title, Film.year, Film.letterboxd_uri)
        .where(Film.session_id == session_id, Film.match_status == MatchStatus.pending)
        .order_by(Film.film_no)
    )
    return [PendingFilm(*row) for row in rows]


async def cached_matches(db: AsyncSession, keys: Iterable[str]) -> dict[str, MatchDecision]:
    """The decisions of the global cache for these match keys."""
    found: dict[str, MatchDecision] = {}
    for chunk in _chunks(sorted(set(keys))):
        rows = await db.execute(
            select(
                TmdbMatch.match_key,
                TmdbMatch.tmdb_id,
                TmdbMatch.confidence,
                TmdbMatch.method,
                TmdbMatch.status,
                TmdbMatch.reason,
                TmdbMatch.tmdb_kind,
            ).where(TmdbMatch.match_key.in_(chunk))
        )
        found.update(
            {
                row.match_key: MatchDecision(
                    row.tmdb_id, row.confidence, row.method, row.status, row.reason, row.tmdb_kind
                )
                for row in rows
            }
        )
    return found


async def known_movie_ids(
    db: AsyncSession, ids: Iterable[int], kind: TmdbKind = TmdbKind.movie
) -> set[int]:
    """Which of these ids of one kind (movies', or series') have their metadata stored."""
    found: set[int] = set()
    for chunk in _chunks(sorted(set(ids))):
        found.update(
            await db.scalars(
                select(TmdbMovie.tmdb_id).where(
                    TmdbMovie.kind == kind, TmdbMovie.tmdb_id.in_(chunk)
                )
            )
        )
    return found


async def upsert_movies(db: AsyncSession, rows: Sequence[MovieRow]) -> None:
    """Insert metadata; an existing row is refreshed (a user's override re-fetches it). The
    providers a row holds are stored too (`store_offers`)."""
    if not rows:
        return
    values = [stored_movie(row) for row in rows]
    statement = upsert_insert(db, TmdbMovie)
    keys = ("tmdb_id", "kind")
    columns = {c: statement.excluded[c] for c in values[0] if c not in keys}
    await db.execute(
        statement.on_conflict_do_update(index_elements=list(keys), set_=columns),
        in_key_order(values, *keys),
    )
    await store_offers(
        db,
        [
            (row["kind"], row["tmdb_id"], row["providers"], row["fetched_at"] or datetime.now(UTC))
            for row in rows
            if "providers" in row
        ],
    )


async def store_offers(
    db: AsyncSession, films: Sequence[tuple[TmdbKind, int, WatchProviders, datetime]]
) -> None:
    """Where these films can be watched, as fetched at the time given: their `watch_offers`
    replaced, their `providers_fetched_at` set. Films whose metadata is not stored get none."""
    if not films:
        return
    latest = {(kind, tmdb_id): (providers, at) for kind, tmdb_id, providers, at in films}
    for kind in TmdbKind:
        ids = sorted(tmdb_id for k, tmdb_id in latest if k is kind)
        for chunk in _chunks(ids):
            await db.execute(
                delete(WatchOffer).where(WatchOffer.kind == kind, WatchOffer.tmdb_id.in_(chunk))
            )
    rows = [
        row
        for (kind, tmdb_id), (providers, _) in sorted(latest.items())
        for row in offer_rows(kind, tmdb_id, providers)
    ]
    if rows:
        await db.execute(insert(WatchOffer), rows)
    table = cast(Table, TmdbMovie.__table__)
    await db.execute(
        update(table)
        .where(table.c.kind == bindparam("b_kind"), table.c.tmdb_id == bindparam("b_id"))
        .values(providers_fetched_at=bindparam("b_at"))
        .execution_options(synchronize_session=False),
        [
            {"b_kind": kind.value, "b_id": tmdb_id, "b_at": at}
            for (kind, tmdb_id), (_, at) in sorted(latest.items())
        ],
    )


def stored_movie(row: MovieRow) -> dict[str, Any]:
    """The columns of a `tmdb_movies` row: its MovieData as JSON, and the film's tags and
    labels packed, what the statistics read of it (`stats.tags`)."""
    packed = pack(film_labels(row["data"]))
    return {
        **{column: value for column, value in row.items() if column != "providers"},
        "data": row["data"].model_dump(mode="json"),
        "tags": packed.tags,
        "labels": packed.labels,
    }


async def upsert_matches(db: AsyncSession, matches: Sequence[KnownMatch]) -> None:
    """Store decisions in the global cache; a key already there keeps its first decision."""
    if not matches:
        return
    rows = [
        {
            "match_key": m.key,
            "title": m.title,
            "year": m.year,
            "tmdb_id": m.decision.tmdb_id,
            "tmdb_kind": m.decision.kind,
            "confidence": m.decision.confidence,
            "method": m.decision.method,
            "status": m.decision.status,
            "reason": m.decision.reason,
            "matched_at": m.matched_at,
        }
        for m in matches
    ]
    statement = upsert_insert(db, TmdbMatch)
    await db.execute(
        statement.on_conflict_do_nothing(index_elements=["match_key"]),
        in_key_order(rows, "match_key"),
    )


def in_key_order(rows: Sequence[dict[str, Any]], *key: str) -> list[dict[str, Any]]:
    """One row per key (the last one given; a key of several columns: their values), sorted by
    key. Jobs of several sessions store
    the same films at once; writing rows shared by everyone in one order means two writers
    never each hold a row the other waits for (PostgreSQL would break the deadlock by failing
    one of them)."""

    def value(row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(row[k] for k in key)

    return sorted({value(row): row for row in rows}.values(), key=value)


async def _still_pending(
    db: AsyncSession, number: Any, session_id: uuid.UUID, results: Sequence[FilmResult]
) -> list[FilmResult]:
    """The results whose row (film or watchlist entry: `number` is its number's column) is
    still pending: a result stored already, or a film fixed by hand meanwhile, is left out."""
    if not results:
        return []
    rows = number.class_
    pending = set(
        await db.scalars(
            select(number).where(
                rows.session_id == session_id,
                number.in_([r.film_no for r in results]),
                rows.match_status == MatchStatus.pending,
            )
        )
    )
    return [r for r in results if r.film_no in pending]


async def record_results(
    db: AsyncSession, session_id: uuid.UUID, results: Sequence[FilmResult]
) -> None:
    """Store film results and move the session's counters in the same transaction."""
    # Only films still pending: a user may have fixed one meanwhile; counters stay exact.
    results = await _still_pending(db, Film.film_no, session_id, results)
    if not results:
        return
    table = cast(Table, Film.__table__)
    await db.execute(
        update(table)
        .where(
            table.c.session_id == bindparam("b_session"),
            table.c.film_no == bindparam("b_film"),
            table.c.match_status == MatchStatus.pending.value,
        )
        .values(
            match_status=bindparam("b_status"),
            tmdb_id=bindparam("b_tmdb"),
            tmdb_kind=bindparam("b_kind"),
            match_confidence=bindparam("b_confidence"),
            match_method=bindparam("b_method"),
            match_reason=bindparam("b_reason"),
        )
        .execution_options(synchronize_session=False),
        [
            {
                "b_session": session_id,
                "b_film": r.film_no,
                "b_status": r.decision.status.value,
                "b_tmdb": r.decision.tmdb_id,
                "b_kind": r.decision.kind.value,
                "b_confidence": r.decision.confidence,
                "b_method": r.decision.method,
                "b_reason": r.decision.reason,
            }
            for r in results
        ],
    )
    await _move_counters(db, session_id, {"enriched": len(results), **count_statuses(results)})


def count_statuses(results: Sequence[FilmResult]) -> dict[str, int]:
    """matched includes needs_review (both have a TMDB film); the rest are exclusive."""
    counts = {"matched": 0, "needs_review": 0, "unmatched": 0, "failed": 0}
    for r in results:
        status = r.decision.status
        if status in (MatchStatus.matched, MatchStatus.needs_review):
            counts["matched"] += 1
        if status is not MatchStatus.matched:
            counts[status.value] += 1
    return counts


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


async def choose_film(
    db: AsyncSession,
    session_id: uuid.UUID,
    film_no: int,
    tmdb_id: int,
    kind: TmdbKind = TmdbKind.movie,
) -> bool:
    """A user's choice (a movie, or a series): the film is matched with confidence 1; counters
    follow. False when the session has no such film."""
    film = await db.get(Film, (session_id, film_no), with_for_update=True)
    if film is None:
        return False
    previous = film.match_status
    film.tmdb_id = tmdb_id
    film.tmdb_kind = kind
    await _record_fix(db, session_id, film.letterboxd_uri, (kind, tmdb_id))
    film.match_status = MatchStatus.matched
    film.match_confidence = 1.0
    film.match_method = "user"
    film.match_reason = None
    delta = {"enriched": 0, "matched": 0, "needs_review": 0, "unmatched": 0, "failed": 0}
    if previous is MatchStatus.pending:
        delta["enriched"] += 1
    if previous not in (MatchStatus.matched, MatchStatus.needs_review):
        delta["matched"] += 1
    if previous in (MatchStatus.needs_review, MatchStatus.unmatched, MatchStatus.failed):
        delta[previous.value] -= 1
    await _move_counters(db, session_id, delta)
    await db.flush()
    return True


async def _record_fix(
    db: AsyncSession, session_id: uuid.UUID, uri: str | None, entry: tuple[TmdbKind, int]
) -> None:
    """Remember a library's fix of a Letterboxd film (a film without a link is nobody
    else's: nothing to agree on); its latest fix replaces an earlier one."""
    key = film_key(uri)
    if key is None:
        return
    kind, tmdb_id = entry
    values = {
        "session_id": session_id,
        "film_key": key,
        "tmdb_id": tmdb_id,
        "tmdb_kind": kind,
        "fixed_at": datetime.now(UTC),
    }
    statement = upsert_insert(db, MatchFix).values(values)
    await db.execute(
        statement.on_conflict_do_update(
            index_elements=["session_id", "film_key"],
            set_={c: statement.excluded[c] for c in ("tmdb_id", "tmdb_kind", "fixed_at")},
        )
    )


async def community_matches(
    db: AsyncSession, keys: Iterable[str], quorum: int
) -> dict[str, tuple[TmdbKind, int]]:
    """For these film keys, the TMDB entry that at least `quorum` libraries fixed the film to
    (none when two entries reach it with as many libraries each: no agreement)."""
    if quorum < 2:
        return {}
    votes: dict[str, list[tuple[int, tuple[TmdbKind, int]]]] = {}
    for chunk in _chunks(sorted(set(keys))):
        libraries = func.count(MatchFix.session_id.distinct())
        rows = await db.execute(
            select(MatchFix.film_key, MatchFix.tmdb_kind, MatchFix.tmdb_id, libraries)
            .where(MatchFix.film_key.in_(chunk))
            .group_by(MatchFix.film_key, MatchFix.tmdb_kind, MatchFix.tmdb_id)
            .having(libraries >= quorum)
        )
        for key, kind, tmdb_id, count in rows:
            votes.setdefault(key, []).append((count, (kind, tmdb_id)))
    found: dict[str, tuple[TmdbKind, int]] = {}
    for key, entries in votes.items():
        entries.sort(key=lambda vote: -vote[0])
        if len(entries) == 1 or entries[0][0] > entries[1][0]:
            found[key] = entries[0][1]
    return found


async def _move_counters(db: AsyncSession, session_id: uuid.UUID, delta: dict[str, int]) -> None:
    """Add `delta` (keys: enriched, matched, needs_review, unmatched, failed) to the counters."""
    await db.execute(
        update(UploadSession)
        .where(UploadSession.id == session_id)
        .values(
            enriched_count=UploadSession.enriched_count + delta["enriched"],
            matched_count=UploadSession.matched_count + delta["matched"],
            needs_review_count=UploadSession.needs_review_count + delta["needs_review"],
            unmatched_count=UploadSession.unmatched_count + delta["unmatched"],
            failed_count=UploadSession.failed_count + delta["failed"],
            updated_at=datetime.now(UTC),
        )
    )


# --- the refresh of stale metadata (`enrich.refresh`) ---


Entry = tuple[TmdbKind, int]
"""A TMDB entry: its kind (movie or series) and its id in that kind's space."""


async def stale_movie_ids(
    db: AsyncSession, session_id: uuid.UUID, *, stale_before: datetime, now: datetime
) -> list[Entry]:
    """The TMDB entries (kind, id) of the session's films and watchlist entries whose metadata
    was fetched before `stale_before` and that no process holds (`refresh_claimed_until`),
    oldest first."""
    used = (
        select(Film.tmdb_kind.label("kind"), Film.tmdb_id.label("tmdb_id"))
        .where(Film.session_id == session_id, Film.tmdb_id.is_not(None))
        .union(
            select(WatchlistEntry.tmdb_kind, WatchlistEntry.tmdb_id).where(
                WatchlistEntry.session_id == session_id, WatchlistEntry.tmdb_id.is_not(None)
            )
        )
        .subquery()
    )
    rows = await db.execute(
        select(TmdbMovie.kind, TmdbMovie.tmdb_id)
        .join(used, and_(used.c.tmdb_id == TmdbMovie.tmdb_id, used.c.kind == TmdbMovie.kind))
        .where(TmdbMovie.fetched_at < stale_before, _unclaimed(now))
        .order_by(TmdbMovie.fetched_at, TmdbMovie.tmdb_id, TmdbMovie.kind)
    )
    return [(kind, tmdb_id) for kind, tmdb_id in rows]


def _entry(kind: TmdbKind, tmdb_id: int) -> Any:
    return and_(TmdbMovie.tmdb_id == tmdb_id, TmdbMovie.kind == kind)


def _unclaimed(now: datetime) -> Any:
    claimed = TmdbMovie.refresh_claimed_until
    return claimed.is_(None) | (claimed < now)


async def claim_stale_movie(
    db: AsyncSession, entry: Entry, *, stale_before: datetime, now: datetime, until: datetime
) -> bool:
    """Hold a stale film for a refresh until `until`; False when it is fresh or another process
    holds it. One conditional UPDATE: of two processes claiming at once (PostgreSQL re-reads the
    row once the first one's lock is released), one gets the film."""
    result = await db.execute(
        update(TmdbMovie)
        .where(_entry(*entry), TmdbMovie.fetched_at < stale_before, _unclaimed(now))
        .values(refresh_claimed_until=until)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def mark_movie_fetched(db: AsyncSession, entry: Entry, fetched_at: datetime) -> None:
    """TMDB was asked and had nothing newer (the film is gone from it): its metadata is kept,
    as fresh as if it had been fetched now."""
    await db.execute(
        update(TmdbMovie)
        .where(_entry(*entry))
        .values(fetched_at=fetched_at, refresh_claimed_until=None)
        .execution_options(synchronize_session=False)
    )


_COMPARED = (
    "title",
    "original_title",
    "release_date",
    "runtime",
    "popularity",
    "vote_average",
    "vote_count",
    "poster_path",
    "data",
    "tags",
    "labels",
)


async def store_refreshed_movie(db: AsyncSession, row: MovieRow) -> bool:
    """Store a film's refreshed metadata (`upsert_movies`: data, typed columns, packed tags,
    `fetched_at`) and release its claim. When anything but `fetched_at` changed, every session
    whose films or watchlist use the film gets a new `updated_at` (its cached statistics rest
    on the old metadata); True then."""
    entry = (row["kind"], row["tmdb_id"])
    old = (
        await db.execute(
            select(*(getattr(TmdbMovie, name) for name in _COMPARED)).where(_entry(*entry))
        )
    ).first()
    new = stored_movie(row)
    changed = old is None or any(
        value != new[name] for name, value in zip(_COMPARED, old, strict=True)
    )
    await upsert_movies(db, [row])
    await db.execute(
        update(TmdbMovie)
        .where(_entry(*entry))
        .values(refresh_claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    if changed:
        await touch_sessions_using(db, entry)
    return changed


async def touch_sessions_using(db: AsyncSession, entry: Entry) -> None:
    """A new `updated_at` (the statistics' cache key) for every session that uses the film."""
    kind, tmdb_id = entry
    films = select(Film.session_id).where(Film.tmdb_id == tmdb_id, Film.tmdb_kind == kind)
    watchlist = select(WatchlistEntry.session_id).where(
        WatchlistEntry.tmdb_id == tmdb_id, WatchlistEntry.tmdb_kind == kind
    )
    await db.execute(
        update(UploadSession)
        .where(UploadSession.id.in_(films) | UploadSession.id.in_(watchlist))
        .values(updated_at=datetime.now(UTC))
        .execution_options(synchronize_session=False)
    )
