"""A library expires SESSION_TTL_DAYS after its last activity (its upload, the owner opening it),
not after its creation; a viewer's visit through the share link is not activity; 0 days: never.
Expired sessions are deleted with every row of theirs; others are untouched."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.models import UploadSession
from letterboxd_stats.sessions.cleanup import delete_expired
from tests.fixtures.database import count_rows
from tests.fixtures.exports import make_zip, multipart, small_export

TTL = timedelta(days=30)


async def _upload(client: Any) -> str:
    response = await client.post(
        "/api/upload", files=multipart(("a.zip", make_zip(small_export())))
    )
    assert response.status_code == 202, response.text
    session_id: str = response.json()["session_id"]
    return session_id


async def _last_active(engine: AsyncEngine, session_id: str, when: datetime | None = None) -> Any:
    """Set the session's last activity (and creation, as long ago) to `when`; read it."""
    async with engine.begin() as conn:
        if when is not None:
            await conn.execute(
                update(UploadSession)
                .where(UploadSession.id == uuid.UUID(session_id))
                .values(last_active_at=when, created_at=when)
            )
        return await conn.scalar(
            select(UploadSession.last_active_at).where(UploadSession.id == uuid.UUID(session_id))
        )


async def test_delete_expired_removes_only_sessions_inactive_for_the_ttl(
    client: Any, engine: AsyncEngine, sessionmaker: Any
) -> None:
    kept = await _upload(client)
    await client.app.state.runner.wait_idle()  # the job's rows too (its taste model's)
    rows_of_one = await count_rows(engine)
    gone = await _upload(client)
    await client.app.state.runner.wait_idle()
    now = datetime.now(UTC)
    await _last_active(engine, gone, now - TTL - timedelta(seconds=1))
    await _last_active(engine, kept, now - TTL + timedelta(minutes=1))  # created as long ago

    assert await delete_expired(sessionmaker, TTL, now) == 1
    assert await count_rows(engine) == rows_of_one  # every row of the expired session, no other
    assert (await client.get(f"/api/session/{gone}")).status_code == 404
    assert (await client.get(f"/api/session/{kept}")).status_code == 200
    assert await delete_expired(sessionmaker, TTL, now) == 0


async def test_no_ttl_deletes_nothing(client: Any, engine: AsyncEngine, sessionmaker: Any) -> None:
    session_id = await _upload(client)
    await _last_active(engine, session_id, datetime(2001, 1, 1, tzinfo=UTC))
    assert await delete_expired(sessionmaker, None) == 0
    assert (await client.get(f"/api/session/{session_id}")).status_code == 200


async def test_the_owner_opening_the_library_makes_it_active_again(
    client: Any, engine: AsyncEngine
) -> None:
    session_id = await _upload(client)
    await client.app.state.runner.wait_idle()
    for path in (
        f"/api/session/{session_id}/stats",
        f"/api/session/{session_id}/movies",
        f"/session/{session_id}",
    ):
        long_ago = datetime.now(UTC) - timedelta(days=20)
        await _last_active(engine, session_id, long_ago)
        before = datetime.now(UTC)
        assert (await client.get(path)).status_code == 200, path
        assert await _last_active(engine, session_id) >= before, path
        summary = (await client.get(f"/api/session/{session_id}")).json()
        assert datetime.fromisoformat(summary["expires_at"]) >= before + TTL, path


async def test_reading_the_status_or_summary_is_not_activity(
    client: Any, engine: AsyncEngine
) -> None:
    session_id = await _upload(client)
    await client.app.state.runner.wait_idle()
    long_ago = datetime.now(UTC) - timedelta(days=20)
    await _last_active(engine, session_id, long_ago)
    for suffix in ("", "/status"):
        assert (await client.get(f"/api/session/{session_id}{suffix}")).status_code == 200
    assert await _last_active(engine, session_id) == long_ago


async def test_an_opening_within_the_hour_writes_nothing(client: Any, engine: AsyncEngine) -> None:
    session_id = await _upload(client)
    await client.app.state.runner.wait_idle()
    recent = datetime.now(UTC) - timedelta(minutes=30)
    await _last_active(engine, session_id, recent)
    assert (await client.get(f"/api/session/{session_id}/stats")).status_code == 200
    assert await _last_active(engine, session_id) == recent


async def test_a_viewers_visit_does_not_extend_the_library(
    client: Any, engine: AsyncEngine
) -> None:
    session_id = await _upload(client)
    await client.app.state.runner.wait_idle()
    share_id = (await client.post(f"/api/session/{session_id}/share")).json()["share_id"]
    long_ago = datetime.now(UTC) - timedelta(days=20)
    await _last_active(engine, session_id, long_ago)
    for path in (
        f"/api/session/{share_id}/stats",
        f"/api/session/{share_id}/movies",
        f"/session/{share_id}",
    ):
        assert (await client.get(path)).status_code == 200, path
    assert await _last_active(engine, session_id) == long_ago


async def test_expiry_is_never_with_a_ttl_of_zero(make_client: Any, engine: AsyncEngine) -> None:
    client = await make_client(session_ttl_days=0, cleanup_interval_seconds=0.05)
    session_id = await _upload(client)
    await client.app.state.runner.wait_idle()
    await _last_active(engine, session_id, datetime(2001, 1, 1, tzinfo=UTC))
    await asyncio.sleep(0.2)  # a cleanup interval would have passed, several times
    summary = (await client.get(f"/api/session/{session_id}")).json()
    assert summary["expires_at"] is None
    assert "Uploads are kept until you delete them." in (await client.get("/")).text


async def test_the_app_cleans_up_periodically(make_client: Any, engine: AsyncEngine) -> None:
    client = await make_client(cleanup_interval_seconds=0.05)
    session_id = await _upload(client)
    await client.app.state.runner.wait_idle()
    await _last_active(engine, session_id, datetime.now(UTC) - TTL - timedelta(seconds=1))
    for _ in range(200):
        if (await client.get(f"/api/session/{session_id}")).status_code == 404:
            break
        await asyncio.sleep(0.02)
    assert (await client.get(f"/api/session/{session_id}")).status_code == 404
    assert sum((await count_rows(engine)).values()) == 0
