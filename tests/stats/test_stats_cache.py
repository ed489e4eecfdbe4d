"""A computed /stats answer is reused only while the session is unchanged."""

from __future__ import annotations

from typing import Any

from tests.enrich.test_job import CATALOGUE, _enriched, _movies
from tests.fake_tmdb import FakeTmdb


async def test_a_match_fix_shows_in_the_next_stats(make_client: Any) -> None:
    client, session_id, _ = await _enriched(make_client, FakeTmdb(CATALOGUE))
    before = (await client.get(f"/api/session/{session_id}/stats")).json()
    again = (await client.get(f"/api/session/{session_id}/stats")).json()
    assert again == before
    assert before["totals"]["tmdb_based_on"] == 3

    movie_id = (await _movies(client, session_id))["Only In Diary"]["movie_id"]
    fixed = await client.put(
        f"/api/session/{session_id}/movies/{movie_id}/match", json={"tmdb_id": 11645}
    )
    assert fixed.status_code == 200
    after = (await client.get(f"/api/session/{session_id}/stats")).json()
    assert after["totals"]["tmdb_based_on"] == 4
    assert after["coverage"]["films"]["unmatched"] == 0
