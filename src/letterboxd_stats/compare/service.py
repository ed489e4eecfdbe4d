"""The comparison of two libraries: which libraries the ids name, their rows (repository),
the comparison (pure), kept until either library changes.

`a` is the caller's own library (its session id) or any shared one (a share id); `b` is always
a share id, a friend's: a session id as `b` is answered as an unknown id, so that comparing
never needs another person's owner key. The answer names neither id.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.compare import repository
from letterboxd_stats.compare.compute import compare
from letterboxd_stats.compare.schemas import CompareResponse
from letterboxd_stats.errors import SessionNotFound
from letterboxd_stats.kit.answers import Answers
from letterboxd_stats.sessions import sharing
from letterboxd_stats.sessions.access import SessionAccess
from letterboxd_stats.sessions.service import parse_session_id


async def resolve_pair(db: AsyncSession, a: str, b: str) -> tuple[SessionAccess, SessionAccess]:
    """(a, b) as the path names them; SessionNotFound for an unknown id, and for a session id
    as `b` (the same answer)."""
    first = await _resolve(db, a, "a")
    second = await _resolve(db, b, "b")
    if second.is_owner:
        raise SessionNotFound(_unknown("b"))
    return first, second


async def _resolve(db: AsyncSession, path_id: str, which: str) -> SessionAccess:
    try:
        return await sharing.resolve(db, parse_session_id(path_id))
    except SessionNotFound:
        raise SessionNotFound(_unknown(which)) from None


def _unknown(which: str) -> str:
    return f"no library with the id given as {which}" + (
        " (a friend's library is compared through its share link)" if which == "b" else ""
    )


async def comparison(db: AsyncSession, a: SessionAccess, b: SessionAccess) -> CompareResponse:
    return compare(await repository.load(db, a.session), await repository.load(db, b.session))


async def comparison_json(
    db: AsyncSession, answers: Answers, a: SessionAccess, b: SessionAccess
) -> str:
    """The comparison as JSON, computed once per version of both libraries."""
    key = ("compare", a.session.id, b.session.id)
    version = (a.session.updated_at, b.session.updated_at)
    cached = answers.get(key, version)
    if cached is not None:
        return cached
    answer = (await comparison(db, a, b)).model_dump_json()
    answers.put(key, version, answer)
    return answer
