"""A library's completion from what the caches hold (the phase fetched it): collections,
filmographies of its most seen people, its own lists; minus what its owner hid."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.completion import compute, repository
from letterboxd_stats.completion.compute import ListEntryRow, Progress, ranked
from letterboxd_stats.completion.schemas import (
    MISSING_SHOWN,
    CompletionItem,
    CompletionResponse,
    Hidden,
    IgnoreRequest,
    MissingFilm,
    People,
)
from letterboxd_stats.models import UploadSession
from letterboxd_stats.sessions.access import SessionAccess
from letterboxd_stats.tmdb.matching import normalise_title


async def completion(db: AsyncSession, access: SessionAccess) -> CompletionResponse:
    session = access.session
    today = datetime.now(UTC).date()
    conn = await db.connection()
    films = await repository.seen_films(conn, session.id)
    seen = {tmdb_id for tmdb_id, *_ in films}
    watchlist = await repository.watchlist_ids(conn, session.id)
    hidden = await repository.ignored(conn, session.id)

    touched = sorted({c for *_, c in films if c is not None})
    cached = await repository.collections(conn, touched)
    collections = [
        compute.collection_progress(c, row.name, row.poster_path, row.parts, seen, watchlist, today)
        for c, row in cached.items()
        if ("collection", c) not in hidden
    ]
    labelled = [(tags, labels) for _, tags, labels, _ in films]
    directors = compute.top_people(labelled, "directors")
    actors = compute.top_people(labelled, "actors")
    people = await repository.people(conn, sorted({p for p, *_ in directors + actors}))
    by_role: dict[str, list[Progress]] = {"director": [], "actor": []}
    for role, top in (("director", directors), ("actor", actors)):
        for person_id, name, image, _ in top:
            row = people.get(person_id)
            if row is None or ("person", person_id) in hidden:
                continue
            counted = (
                compute.counted_directed(row.directed, seen, today)
                if role == "director"
                else compute.counted_acted(row.acted, seen, today)
            )
            by_role[role].append(
                compute.person_progress(
                    role, person_id, name, image, counted, seen, watchlist, today
                )
            )
    lists = await _lists(db, session)
    return CompletionResponse(
        collections=[_item(p) for p in ranked(collections)],
        people=People(
            directors=[_item(p) for p in ranked(by_role["director"])],
            actors=[_item(p) for p in ranked(by_role["actor"])],
        ),
        lists=[_item(p) for p in ranked(lists)],
        hidden=[Hidden(kind=kind, id=ref_id) for kind, ref_id in sorted(hidden)],
        pending=(session.extras_done or 0) < (session.extras_total or 0),
    )


async def _lists(db: AsyncSession, session: UploadSession) -> list[Progress]:
    conn = await db.connection()
    library = {
        (normalise_title(t), y) for t, y in await repository.library_titles(conn, session.id)
    }
    listed = {
        (normalise_title(t), y) for t, y in await repository.watchlist_titles(conn, session.id)
    }
    entries: dict[int, tuple[str, list[ListEntryRow]]] = {}
    for list_no, name, position, title, year, film_no in await repository.list_entries(
        conn, session.id
    ):
        key = (normalise_title(title), year)
        row = ListEntryRow(
            position, title, year, film_no is not None or key in library, key in listed
        )
        entries.setdefault(list_no, (name, []))[1].append(row)
    return [compute.list_progress(no, name, rows) for no, (name, rows) in entries.items()]


def _item(p: Progress) -> CompletionItem:
    return CompletionItem(
        kind=p.kind,
        id=p.ref_id,
        name=p.name,
        image=p.image,
        seen=p.seen,
        total=p.total,
        percent=round(100 * p.share, 1),
        missing_count=len(p.missing),
        missing=[
            MissingFilm(
                tmdb_id=m.tmdb_id,
                title=m.title,
                year=m.year,
                poster_path=m.poster_path,
                released=m.released,
                on_watchlist=m.on_watchlist,
                position=m.position,
            )
            for m in p.missing[:MISSING_SHOWN]
        ],
    )


async def set_hidden(
    db: AsyncSession, session: UploadSession, request: IgnoreRequest, hidden: bool
) -> list[Hidden]:
    await repository.set_ignored(db, session.id, request.kind, request.id, hidden)
    return [
        Hidden(kind=kind, id=ref_id)
        for kind, ref_id in sorted(await repository.ignored(await db.connection(), session.id))
    ]
