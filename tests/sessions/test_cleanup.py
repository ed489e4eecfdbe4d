"""Expired sessions are deleted with every row of theirs; others are untouched."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.models import UploadSession
from letterboxd_stats.sessions.cleanup import delete_expired
from tests.fixtures.database import count_rows
from tests.fixtures.exports import make_zip, multipart, small_export


async def _expire(engine: AsyncEngine, session_id: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            update(UploadSession)
            .where(UploadSession.id == uuid.UUID(session_id))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )


async def test_delete_expired_removes_only_expired_sessions(
    client: Any, engine: AsyncEngine, sessionmaker: Any
) -> None:
    kept = (
        await client.post("/api/upload", files=multipart(("a.zip", make_zip(small_export()))))
    ).json()
    rows_of_one = await count_rows(engine)
    gone = (
        await client.post("/api/upload", files=multipart(("b.zip", make_zip(small_export()))))
    ).json()
    await client.app.state.runner.wait_idle()
    await _expire(engine, gone["session_id"])

    assert await delete_expired(sessionmaker) == 1
    assert await count_rows(engine) == rows_of_one  # every row of the expired session, no other
    assert (await client.get(f"/api/session/{gone['session_id']}")).status_code == 404
    assert (await client.get(f"/api/session/{kept['session_id']}")).status_code == 200
    assert await delete_expired(sessionmaker) == 0


async def test_the_app_cleans_up_periodically(make_client: Any, engine: AsyncEngine) -> None:
    client = await make_client(cleanup_interval_seconds=0.05)
    upload = (
        await client.post("/api/upload", files=multipart(("a.zip", make_zip(small_export()))))
    ).json()
    await client.app.state.runner.wait_idle()
    await _expire(engine, upload["session_id"])
    for _ in range(200):
        if (await client.get(f"/api/session/{upload['session_id']}")).status_code == 404:
            break
        await asyncio.sleep(0.02)
    assert (await client.get(f"/api/session/{upload['session_id']}")).status_code == 404
    assert sum((await count_rows(engine)).values()) == 0
