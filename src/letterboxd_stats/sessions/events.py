"""The progress stream (Server-Sent Events) of a session. A stream holds no database
connection between events: each look at the counters is its own short unit of work. Streams
open at once are capped per session and per client (`limits`).

The stream outlives its request: the request's unit of work (`SessionDep`, which loaded the
session) is committed and closed before the first event is sent, so the stream keeps the
sessionmaker and opens a `session_scope` of its own for each look, a read of a moment,
rather than holding one session (and a pooled connection) for as long as a client listens."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import ExitStack
from typing import Any

import anyio
from sse_starlette import EventSourceResponse
from starlette.types import Receive, Scope, Send

from letterboxd_stats.db import SessionMaker, session_scope, worth_retrying
from letterboxd_stats.errors import SessionNotFound
from letterboxd_stats.models import FINAL_STATUSES
from letterboxd_stats.sessions.access import SessionAccess
from letterboxd_stats.sessions.limits import UserLimits
from letterboxd_stats.sessions.schemas import SessionProgress
from letterboxd_stats.sessions.service import load, progress

PING_SECONDS = 15


def stream(
    sessionmaker: SessionMaker, limits: UserLimits, access: SessionAccess, client: str
) -> EventSourceResponse:
    """429 beyond the caps, before the stream starts (an unknown session is a 404 already).
    A viewer's stream shows its share id, and ends as a deletion does once the link is
    revoked."""
    held = ExitStack()
    held.enter_context(limits.stream(str(access.session.id), client))
    shared = None if access.is_owner else access.shown_id
    events = progress_events(sessionmaker, access.session.id, shared=shared)
    return _HeldEventSource(events, held, ping=PING_SECONDS)


class _HeldEventSource(EventSourceResponse):
    """An event stream that lets go of what it holds (its place under the caps) when it ends,
    however it ends (the last event, the client gone, the server stopping)."""

    def __init__(self, content: AsyncIterator[dict[str, str]], held: ExitStack, **kw: Any):
        self._held = held
        super().__init__(content, **kw)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._held.close()


async def progress_events(
    sessionmaker: SessionMaker,
    session_id: uuid.UUID,
    *,
    shared: uuid.UUID | None = None,
    interval: float = 0.5,
) -> AsyncIterator[dict[str, str]]:
    """Server-sent events: `progress` whenever the counts change (at most every `interval`),
    then one `end` event with the final status; `end` with an error body if the session is
    deleted meanwhile. `shared`: the share id a viewer came with (shown in the events; the
    link revoked is, to the viewer, the session deleted)."""
    last: SessionProgress | None = None
    while True:
        try:
            current = await _look(sessionmaker, session_id, shared)
        except SessionNotFound:
            gone = {"error": "SessionNotFound", "detail": "the session was deleted"}
            yield {"event": "end", "data": json.dumps(gone)}
            return
        except Exception as exc:
            if not worth_retrying(exc):
                raise
            await asyncio.sleep(interval)  # the database is away or busy: the stream waits
            continue
        if current != last:
            yield {"event": "progress", "data": current.model_dump_json()}
            last = current
        if current.status in FINAL_STATUSES:
            yield {"event": "end", "data": current.model_dump_json()}
            return
        await asyncio.sleep(interval)


async def _look(
    sessionmaker: SessionMaker, session_id: uuid.UUID, shared: uuid.UUID | None
) -> SessionProgress:
    """One look at the counters, shielded: a client that goes away meanwhile (the stream is
    cancelled) lets this short read end and its connection go back to the pool cleanly,
    instead of cancelling the connection's rollback halfway."""
    with anyio.CancelScope(shield=True):
        async with session_scope(sessionmaker) as db:
            session = await load(db, session_id)
            if shared is not None and session.share_id != shared:
                raise SessionNotFound("no session with this id")
            current = progress(session, shared)
    return current
