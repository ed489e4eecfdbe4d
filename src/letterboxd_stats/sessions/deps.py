"""The library a request's path names, and what the request may do with it.

The `{session_id}` of a path is either the session id (its *owner*: everything) or the share id
of its read-only share link (a *viewer*: `sessions.access`). It is parsed and resolved once, in
the request's unit of work. Unknown and malformed ids alike are not found (404), and every
route declares which of the two it takes by the dependency it uses:

* owner-only routes (every write, every export, the review page's lookups, sharing, delete,
  and any route added later that is not explicitly a read): `OwnerSessionDep`, or
  `OwnerSessionIdDep` where the id must not reach the database before a limit is counted. A
  share id is answered there exactly as an unknown id (404 `SessionNotFound`, the same body);
* read routes (the dashboard and the read-only API behind it): `ViewerAccessDep`, or
  `OpenedAccessDep` for what *opens* the library (its statistics, its films, its dashboard).
  They answer a viewer with its share id, never the session id (`SessionAccess.shown_id`).

A library opened is noted for the refresh of its stale TMDB metadata, in the background
(`enrich.refresh`: the request does not wait for it); opened by its owner, it is active again
(it expires SESSION_TTL_DAYS from now: `service.note_activity`); a viewer's visit is not
activity. `tests/sessions/test_access.py` checks that every route under /api/session/{id} and
/session/{id} declares one of these, and answers a share id as its declaration says."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from letterboxd_stats.db import SessionDep
from letterboxd_stats.deps import RefresherDep
from letterboxd_stats.errors import SessionNotFound
from letterboxd_stats.models import UploadSession
from letterboxd_stats.sessions import service, sharing
from letterboxd_stats.sessions.access import SessionAccess
from letterboxd_stats.sessions.service import parse_session_id


async def find_access(session_id: str, db: SessionDep) -> SessionAccess | None:
    """The session and the role its id gives, or None (the web pages answer an HTML page of
    their own)."""
    try:
        return await sharing.resolve(db, parse_session_id(session_id))
    except SessionNotFound:
        return None


FoundAccessDep = Annotated[SessionAccess | None, Depends(find_access)]


async def get_viewer_access(access: FoundAccessDep) -> SessionAccess:
    """A read route: the owner or a viewer."""
    if access is None:
        raise SessionNotFound("no session with this id")
    return access


ViewerAccessDep = Annotated[SessionAccess, Depends(get_viewer_access)]


async def get_owner_session(access: ViewerAccessDep) -> UploadSession:
    """An owner-only route: a share id is not found, as an unknown id is."""
    if not access.is_owner:
        raise SessionNotFound("no session with this id")
    return access.session


OwnerSessionDep = Annotated[UploadSession, Depends(get_owner_session)]


def get_owner_session_id(session_id: str) -> uuid.UUID:
    """An owner-only route that counts a limit before it asks the database (`picking`): the id
    only, not loaded. The route loads it by the session id alone (`service.load`), which never
    resolves a share id: a share id is as unknown there as any other id."""
    return parse_session_id(session_id)


OwnerSessionIdDep = Annotated[uuid.UUID, Depends(get_owner_session_id)]


async def find_owner_session(access: FoundAccessDep) -> UploadSession | None:
    """An owner-only page: None for an unknown id and for a share id alike."""
    return access.session if access is not None and access.is_owner else None


FoundOwnerSessionDep = Annotated[UploadSession | None, Depends(find_owner_session)]


async def opened(access: SessionAccess, refresher: RefresherDep, db: SessionDep) -> None:
    refresher.opened(access.session.id)
    if access.is_owner:
        await service.note_activity(db, access.session)


async def find_opened_access(
    access: FoundAccessDep, refresher: RefresherDep, db: SessionDep
) -> SessionAccess | None:
    """A read page that opens the library (or None)."""
    if access is not None:
        await opened(access, refresher, db)
    return access


async def get_opened_access(
    access: ViewerAccessDep, refresher: RefresherDep, db: SessionDep
) -> SessionAccess:
    """A read route that opens the library."""
    await opened(access, refresher, db)
    return access


OpenedAccessDep = Annotated[SessionAccess, Depends(get_opened_access)]
FoundOpenedAccessDep = Annotated[SessionAccess | None, Depends(find_opened_access)]

# The names routes used before share links, kept owner-only: a route written against them
# (on a branch of its own, say) never lets a share id in.
UploadSessionDep = OwnerSessionDep
SessionIdDep = OwnerSessionIdDep
