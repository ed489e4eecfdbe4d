"""Statistics of a session: load its rows (repository), compute (pure).

A computed answer is kept per (session, year) for as long as the session does not change:
every write that changes what the statistics rest on (film results, a user's match fix, the
watchlist's results, the status) moves the session's `updated_at`, which is the cache's key.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.errors import SessionNotFound
from letterboxd_stats.sessions import repository as sessions_repository
from letterboxd_stats.sessions.service import parse_session_id
from letterboxd_stats.stats import repository
from letterboxd_stats.stats.compute import compute_stats
from letterboxd_stats.stats.schemas import StatsResponse

MIN_YEAR = 1870
MAX_YEAR = 2100
KEEP_ANSWERS = 256

_Key = tuple[uuid.UUID, int | None]
_answers: OrderedDict[_Key, tuple[datetime, str]] = OrderedDict()


async def session_stats(db: AsyncSession, session_id: uuid.UUID, year: int | None) -> StatsResponse:
    """All-time statistics (`year=None`) or the year in review; SessionNotFound if unknown."""
    rows = await repository.load(db, session_id)
    if rows is None:
        raise SessionNotFound("no session with this id")
    return compute_stats(rows, year)


async def stats_json(db: AsyncSession, raw_id: str, year: int | None) -> str:
    """The statistics as JSON, computed once per version of the session."""
    session_id = parse_session_id(raw_id)
    session = await sessions_repository.get(db, session_id)
    if session is None:
        raise SessionNotFound("no session with this id")
    key = (session_id, year)
    cached = _answers.get(key)
    if cached is not None and cached[0] == session.updated_at:
        _answers.move_to_end(key)
        return cached[1]
    answer = (await session_stats(db, session_id, year)).model_dump_json()
    _answers[key] = (session.updated_at, answer)
    while len(_answers) > KEEP_ANSWERS:
        _answers.popitem(last=False)
    return answer
