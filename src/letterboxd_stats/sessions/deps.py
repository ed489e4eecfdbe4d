"""The upload session a request names: the `{session_id}` of the path parsed and loaded once,
in the request's unit of work. Unknown and malformed ids alike are not found (404). A library
*opened* (its statistics, its films, its dashboard) is also noted for the refresh of its stale
TMDB metadata, in the background (`enrich.refresh`): the request does not wait for it."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from letterboxd_stats.db import SessionDep
from letterboxd_stats.deps import RefresherDep
from letterboxd_stats.errors import SessionNotFound
from letterboxd_stats.models import UploadSession
from letterboxd_stats.sessions.service import load, parse_session_id


def get_session_id(session_id: str) -> uuid.UUID:
    """The id only, not loaded: for lookups, which are counted against their limits before
    the database is asked (`picking`)."""
    return parse_session_id(session_id)


async def find_upload_session(session_id: str, db: SessionDep) -> UploadSession | None:
    """The session, or None (the web pages answer an HTML page of their own)."""
    try:
        return await load(db, parse_session_id(session_id))
    except SessionNotFound:
        return None


async def get_upload_session(
    session: Annotated[UploadSession | None, Depends(find_upload_session)],
) -> UploadSession:
    if session is None:
        raise SessionNotFound("no session with this id")
    return session


SessionIdDep = Annotated[uuid.UUID, Depends(get_session_id)]
FoundSessionDep = Annotated[UploadSession | None, Depends(find_upload_session)]
UploadSessionDep = Annotated[UploadSession, Depends(get_upload_session)]


async def find_opened_session(
    session: FoundSessionDep,
    refresher: RefresherDep,
) -> UploadSession | None:
    """The session (or None), noted as opened: its stale metadata is refreshed soon."""
    if session is not None:
        refresher.opened(session.id)
    return session


async def get_opened_session(session: UploadSessionDep, refresher: RefresherDep) -> UploadSession:
    refresher.opened(session.id)
    return session


OpenedSessionDep = Annotated[UploadSession, Depends(get_opened_session)]
FoundOpenedSessionDep = Annotated[UploadSession | None, Depends(find_opened_session)]
