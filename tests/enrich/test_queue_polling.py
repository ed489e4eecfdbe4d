"""PostgreSQL: a new job reaches an idle worker by LISTEN/NOTIFY, and by polling when the
notification was missed. A worker's first fetch and its listener start together, so a job
queued between the two (an upload right after the app started) is only found by the poll:
CI once waited the 10 s of the old poll (the maintenance interval) for such a job."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.fixtures.apps import AppClient
from tests.fixtures.exports import FILM, csv_text, make_zip, multipart
from tests.fixtures.tmdb import TMDB_SETTINGS, FakeFilm, FakeTmdb
from tests.fixtures.uploads import wait_completed

NOTIFY_TRIGGER = "procrastinate_jobs_notify_queue_job_inserted_v1"


@pytest.fixture
async def no_notifications(engine: AsyncEngine) -> AsyncIterator[None]:
    """Jobs queued without their NOTIFY, as if every worker's listener missed it (this worker's
    database only; put back after the test)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("the job queue (procrastinate) runs on PostgreSQL only")
    async with engine.begin() as conn:
        await conn.execute(text(f"ALTER TABLE procrastinate_jobs DISABLE TRIGGER {NOTIFY_TRIGGER}"))
    try:
        yield
    finally:
        async with engine.begin() as conn:
            await conn.execute(
                text(f"ALTER TABLE procrastinate_jobs ENABLE TRIGGER {NOTIFY_TRIGGER}")
            )


async def test_a_job_whose_notification_was_missed_is_found_by_polling(
    make_client: Any, no_notifications: None
) -> None:
    fake = FakeTmdb([FakeFilm(593, "Solaris", 1972, popularity=20)])
    client: AppClient = await make_client(
        tmdb_transport=fake.transport(),
        job_poll_seconds=0.5,
        job_maintenance_seconds=59,  # the maintenance task does not find it either
        **TMDB_SETTINGS,
    )
    await asyncio.sleep(0.3)  # the worker's first fetch is over: only polling is left
    upload = await client.post(
        "/api/upload",
        files=multipart(
            ("e.zip", make_zip({"watched.csv": csv_text(FILM, ["2024-01-01,Solaris,1972,"])}))
        ),
    )
    assert upload.status_code == 202, upload.text
    status = await wait_completed(client, upload.json()["session_id"], timeout=4.0)
    assert status["status"] == "completed"
    assert fake.requests["search"] >= 1
