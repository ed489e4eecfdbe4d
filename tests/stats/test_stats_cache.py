"""A computed /stats answer is reused only while the session is unchanged."""

from __future__ import annotations

import sys
import uuid
from datetime import UTC, datetime
from typing import Any

from letterboxd_stats.db import session_scope
from letterboxd_stats.kit.answers import Answers
from letterboxd_stats.models import UploadSession
from tests.fixtures.apps import AppClient
from tests.fixtures.exports import make_zip, multipart, small_export
from tests.fixtures.tmdb import CATALOGUE, FakeTmdb
from tests.fixtures.uploads import enriched, movies_by_title, wait_completed


async def test_a_match_fix_shows_in_the_next_stats(make_client: Any, sessionmaker: Any) -> None:
    client, session_id, _ = await enriched(make_client, FakeTmdb(CATALOGUE))
    answers: Answers = client.app.state.stats_answers
    assert len(answers) == 0
    first = await client.get(f"/api/session/{session_id}/stats")
    before = first.json()
    async with session_scope(sessionmaker) as db:
        session = await db.get(UploadSession, uuid.UUID(session_id))
        assert session is not None
        version = session.updated_at
    key = (uuid.UUID(session_id), None)
    assert answers.get(key, version) == first.text  # kept for this version of the session
    again = (await client.get(f"/api/session/{session_id}/stats")).json()
    assert again == before
    answers.put(key, version, '{"served": "from the cache"}')
    assert (await client.get(f"/api/session/{session_id}/stats")).json() == {
        "served": "from the cache"
    }  # the next answer for the same version is the kept one, not computed again
    assert before["totals"]["tmdb_based_on"] == 3

    movie_id = (await movies_by_title(client, session_id))["Only In Diary"]["movie_id"]
    fixed = await client.put(
        f"/api/session/{session_id}/movies/{movie_id}/match", json={"tmdb_id": 11645}
    )
    assert fixed.status_code == 200
    after = (await client.get(f"/api/session/{session_id}/stats")).json()
    assert after["totals"]["tmdb_based_on"] == 4
    assert after["coverage"]["films"]["unmatched"] == 0
    assert len(answers) == 1  # the new version's answer replaced the old one
    assert answers.get(key, version) is None


# --- bounded in bytes (issue 13, item 5) ---


def _key(n: int) -> tuple[uuid.UUID, int | None]:
    return (uuid.UUID(int=n), None)


def test_the_answers_never_take_more_than_their_bound() -> None:
    answers = Answers(max_bytes=100_000)
    version = datetime(2024, 1, 1, tzinfo=UTC)
    sizes = [300, 40_000, 5_000, 70_000, 20, 99_000, 1_000, 33_000] * 5
    for n, size in enumerate(sizes):
        answers.put(_key(n), version, "x" * size)
        assert answers.bytes <= answers.max_bytes
        assert answers.get(_key(n), version) == "x" * size  # the newest is always kept
    assert answers.get(_key(0), version) is None  # the oldest went first
    assert answers.bytes >= sys.getsizeof("x" * 1_000) + sys.getsizeof("x" * 33_000)


def test_an_answer_larger_than_the_bound_is_not_kept() -> None:
    answers = Answers(max_bytes=10_000)
    version = datetime(2024, 1, 1, tzinfo=UTC)
    answers.put(_key(1), version, "small")
    answers.put(_key(1), version, "x" * 20_000)  # replaces nothing: the old version goes too
    assert (answers.get(_key(1), version), len(answers), answers.bytes) == (None, 0, 0)
    answers.put(_key(2), version, "small")
    later = datetime(2024, 1, 2, tzinfo=UTC)
    assert answers.get(_key(2), later) is None  # another version of the session
    off = Answers(max_bytes=0)
    off.put(_key(3), version, "")
    assert len(off) == 0


async def test_many_sessions_keep_the_cache_within_stats_cache_bytes(make_client: Any) -> None:
    bound = 12_000  # an answer of small_export takes about 5 KB: two of them fit
    client: AppClient = await make_client(stats_cache_bytes=bound)
    answers: Answers = client.app.state.stats_answers
    first = ""
    for _ in range(8):
        response = await client.post(
            "/api/upload", files=multipart(("e.zip", make_zip(small_export())))
        )
        session_id = response.json()["session_id"]
        await wait_completed(client, session_id)
        stats = await client.get(f"/api/session/{session_id}/stats")
        assert stats.status_code == 200
        assert 4_000 < len(stats.content) < 5_500
        assert answers.bytes <= bound
        first = first or session_id
    assert len(answers) == 2
    again = await client.get(f"/api/session/{first}/stats")  # recomputed, the same
    assert again.json()["session_id"] == first
    assert answers.bytes <= bound
