from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Request, Response, status
from fastapi.responses import JSONResponse, PlainTextResponse
from sse_starlette import EventSourceResponse

from letterboxd_stats.db import SessionDep
from letterboxd_stats.deps import (
    ClientDep,
    LimitsDep,
    LookupsDep,
    RunnerDep,
    SessionMakerDep,
    SettingsDep,
)
from letterboxd_stats.kit.responses import error_responses
from letterboxd_stats.sessions import events, picking, service, sharing
from letterboxd_stats.sessions.cleanup import session_ttl
from letterboxd_stats.sessions.deps import (
    OpenedAccessDep,
    OwnerSessionDep,
    OwnerSessionIdDep,
    ViewerAccessDep,
)
from letterboxd_stats.sessions.export import to_csv
from letterboxd_stats.sessions.schemas import (
    MatchChoice,
    Movie,
    MoviePage,
    SessionProgress,
    SessionSummary,
    ShareLink,
    TmdbSearchResults,
)
from letterboxd_stats.tmdb.decision import TmdbKind

router = APIRouter(prefix="/api/session", tags=["session"], responses=error_responses(404))


@router.get("/{session_id}", response_model=SessionSummary)
async def get_session(
    access: ViewerAccessDep, request: Request, settings: SettingsDep
) -> SessionSummary:
    """What the export held: counts of films, viewings, ratings, reviews, lists, watchlist;
    to the owner also when the library expires and its share link. A share id may ask."""
    share_id = access.session.share_id
    share = _share_link(request, share_id) if share_id is not None else None
    return service.summary(access, session_ttl(settings.session_ttl_days), share)


@router.get("/{session_id}/status", response_model=SessionProgress)
async def get_status(access: ViewerAccessDep) -> SessionProgress:
    """Progress of the enrichment: uploading → processing → enriching → completed | failed.
    A share id may ask."""
    return service.progress(access.session, access.shown_id)


@router.get("/{session_id}/movies", response_model=MoviePage)
async def get_movies(
    access: OpenedAccessDep,
    db: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> MoviePage:
    """The library, one item per film, in the order films first appear in the export, with
    when its TMDB metadata was fetched (`fetched_at`). Opening it has the films' metadata older
    than TMDB_REFRESH_DAYS refreshed in the background; by its owner, it is active again (it
    expires SESSION_TTL_DAYS from now). A share id may ask."""
    return await service.movies(db, access.session, limit=limit, offset=offset)


@router.get(
    "/{session_id}/events",
    response_class=EventSourceResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "SSE stream"},
        **error_responses(429, 503),
    },
)
async def get_events(
    access: ViewerAccessDep, sessionmaker: SessionMakerDep, limits: LimitsDep, client: ClientDep
) -> EventSourceResponse:
    """Server-Sent Events: `progress` (the /status body) as counts change, at most twice a
    second, then `end` with the final status (or `{"error", "detail"}` if the session is
    deleted meanwhile). Reconnect to resume; /status serves polling. Streams open at once are
    capped per session and per client: beyond, 429 (poll /status instead). A share id may
    ask (a revoked one ends its stream as a deletion does)."""
    return events.stream(sessionmaker, limits, access, client)


@router.get(
    "/{session_id}/tmdb/search",
    response_model=TmdbSearchResults,
    responses=error_responses(429, 502, 503),
)
async def search_tmdb(
    session_id: OwnerSessionIdDep,
    db: SessionDep,
    lookups: LookupsDep,
    limits: LimitsDep,
    client: ClientDep,
    query: Annotated[str, Query(min_length=1, max_length=200)],
    year: Annotated[int | None, Query(ge=1870, le=2100)] = None,
    kind: Annotated[
        TmdbKind, Query(description="movie (the default), or tv: TMDB's TV series.")
    ] = TmdbKind.movie,
) -> TmdbSearchResults:
    """Search TMDB to pick a film by hand, or a series (`kind=tv`: Letterboxd lists some
    miniseries and specials). A blank query is refused (422). Answers are kept a few minutes;
    lookups by hand are limited per session and per client (429 with `Retry-After`) and use
    their own share of the TMDB budget."""
    return await picking.search(db, lookups, limits, session_id, client, query, year, kind)


@router.put(
    "/{session_id}/movies/{movie_id}/match",
    response_model=Movie,
    responses=error_responses(429, 502, 503),
)
async def put_match(
    session_id: OwnerSessionIdDep,
    movie_id: Annotated[int, Path(ge=1, le=1_000_000)],
    choice: Annotated[MatchChoice, Body()],
    db: SessionDep,
    lookups: LookupsDep,
    limits: LimitsDep,
    client: ClientDep,
) -> Movie:
    """Fix a match: the film becomes this TMDB film or series (`kind`; re-fetched), chosen by
    the user (confidence 1). Everything derived from it follows. Counts as a lookup by hand."""
    film_no = movie_id  # the HTTP API's name for a library film's number
    return await picking.choose(
        db, lookups, limits, session_id, client, film_no, choice.tmdb_id, choice.kind
    )


@router.get(
    "/{session_id}/export.csv",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "One row per film"}},
)
async def export_csv(session: OwnerSessionDep, db: SessionDep) -> PlainTextResponse:
    """The enriched library, one row per film (lists joined with '; '). Cells that start
    with =, +, -, @, tab or CR are prefixed with an apostrophe (no spreadsheet formulas)."""
    rows = await service.export_rows(db, session)
    return PlainTextResponse(
        to_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers=_attachment(session.id, "csv"),
    )


@router.get("/{session_id}/export.json")
async def export_json(session: OwnerSessionDep, db: SessionDep) -> JSONResponse:
    """The enriched library, one object per film (the CSV's columns; lists stay lists)."""
    rows = await service.export_rows(db, session)
    return JSONResponse({"films": rows}, headers=_attachment(session.id, "json"))


def _attachment(session_id: uuid.UUID, extension: str) -> dict[str, str]:
    name = f"letterboxd-stats-{str(session_id)[:8]}.{extension}"
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.post("/{session_id}/cancel", response_model=SessionProgress, responses=error_responses(409))
async def cancel_session(
    session: OwnerSessionDep, db: SessionDep, runner: RunnerDep
) -> SessionProgress:
    """Stops the enrichment: no TMDB request for this session after a second or so. The
    status becomes `cancelled`; the films matched so far are kept. 409 once it has ended."""
    return await service.cancel(db, runner, session)


@router.delete("/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_session(session: OwnerSessionDep, db: SessionDep, runner: RunnerDep) -> Response:
    """Stops the session's enrichment, then removes the session and everything of it. The id
    stops working at once."""
    await service.delete(db, runner, session)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{session_id}/share",
    response_model=ShareLink,
    responses={201: {"model": ShareLink, "description": "A new share link"}},
)
async def share_session(
    session: OwnerSessionDep, db: SessionDep, request: Request, response: Response
) -> ShareLink:
    """The library's read-only share link: 201 with a new one, or 200 with the current one
    (one link at a time; for a new link, revoke this one first). Its dashboard and the read-only
    API answer its id; nothing else does (404, as for an unknown id)."""
    share_id, created = await sharing.share(db, session)
    if created:
        response.status_code = status.HTTP_201_CREATED
    return _share_link(request, share_id)


@router.delete("/{session_id}/share", status_code=status.HTTP_204_NO_CONTENT)
async def unshare_session(session: OwnerSessionDep, db: SessionDep) -> Response:
    """Revokes the share link (none: nothing to do): its id answers 404 from now on."""
    await sharing.unshare(db, session)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _share_link(request: Request, share_id: uuid.UUID) -> ShareLink:
    url = request.url_for("session_page", session_id=str(share_id))
    return ShareLink(share_id=share_id, url=str(url))
