"""The read-only share link of a library, and which library (and role) a path id opens.

A library has at most one share link at a time: its id is a second random UUIDv4, stored with
the session (`UploadSession.share_id`). Asking for a link again answers the current one (a
new link is a revoke, then a share); revoking it makes the share id unknown at once."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.errors import SessionNotFound
from letterboxd_stats.models import UploadSession
from letterboxd_stats.sessions import repository
from letterboxd_stats.sessions.access import SessionAccess
from letterboxd_stats.sessions.service import load


async def resolve(db: AsyncSession, path_id: uuid.UUID) -> SessionAccess:
    """The session whose id (its owner) or whose share id (a viewer) this is; 404 if none."""
    session = await repository.get(db, path_id)
    if session is not None:
        return SessionAccess.owner(session)
    shared = await repository.get_by_share_id(db, path_id)
    if shared is not None:
        return SessionAccess.viewer(shared, path_id)
    raise SessionNotFound("no session with this id")


async def share(db: AsyncSession, session: UploadSession) -> tuple[uuid.UUID, bool]:
    """The library's share id, created unless it has one: (share id, created)."""
    if session.share_id is not None:
        return session.share_id, False
    new = uuid.uuid4()
    if await repository.set_share_id(db, session.id, new):
        return new, True
    # another request shared it first (and, at worst, revoked it again): read what it left
    return await share(db, await load(db, session.id, fresh=True))


async def unshare(db: AsyncSession, session: UploadSession) -> None:
    """No share link any more (none: nothing to do): the share id answers 404 from now on."""
    await repository.clear_share_id(db, session.id)
