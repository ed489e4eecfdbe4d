"""The upload session a request names: the `{session_id}` of the path parsed and loaded once,
in the request's unit of work. Unknown and malformed ids alike are not found (404)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from letterboxd_stats.db import SessionDep
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
