"""The upload's job is submitted through the request's unit of work (`db.after_commit`): only
once the library is committed, before the 202 is sent, and never for an upload rolled back."""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.enrich.runner import JobRunner
from tests.fixtures.apps import AppClient
from tests.fixtures.database import count_rows
from tests.fixtures.exports import make_zip, multipart, small_export


class RecordingRunner:
    """The app's runner, noting for each submission whether the session was committed then
    (counted on a connection of its own)."""

    def __init__(self, runner: JobRunner, engine: AsyncEngine) -> None:
        self.runner = runner
        self.engine = engine
        self.submitted: list[tuple[uuid.UUID, int]] = []

    def __getattr__(self, name: str) -> Any:  # wait_idle, the metrics' counts: the runner's
        return getattr(self.runner, name)

    async def submit(self, session_id: uuid.UUID) -> None:
        committed = (await count_rows(self.engine))["upload_sessions"]
        self.submitted.append((session_id, committed))
        await self.runner.submit(session_id)


def _record(client: AppClient) -> RecordingRunner:
    recorder = RecordingRunner(client.app.state.runner, client.app.state.engine)
    client.app.state.runner = recorder  # what `get_runner` answers
    return recorder


async def _upload(client: AppClient) -> Any:
    return await client.post("/api/upload", files=multipart(("e.zip", make_zip(small_export()))))


async def test_the_202_comes_once_the_library_is_committed_and_its_job_submitted(
    client: AppClient,
) -> None:
    recorder = _record(client)
    response = await _upload(client)
    assert response.status_code == 202, response.text
    session_id = uuid.UUID(response.json()["session_id"])
    assert recorder.submitted == [(session_id, 1)]  # submitted before the answer, after commit


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="PostgreSQL only: a constraint trigger deferred to COMMIT",
)
async def test_an_upload_whose_commit_fails_submits_no_job(
    client: AppClient, engine: AsyncEngine
) -> None:
    recorder = _record(client)
    async with engine.begin() as conn:  # every insert succeeds; the COMMIT meets a full disk
        await conn.execute(
            text(
                "CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                " RAISE EXCEPTION 'could not extend file: No space left on device'"
                " USING ERRCODE = 'disk_full'; END $$"
            )
        )
        await conn.execute(
            text(
                "CREATE CONSTRAINT TRIGGER disk_full AFTER INSERT ON upload_sessions"
                " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION disk_full()"
            )
        )
    try:
        response = await _upload(client)
    finally:
        async with engine.begin() as conn:
            await conn.execute(text("DROP TRIGGER disk_full ON upload_sessions"))
            await conn.execute(text("DROP FUNCTION disk_full()"))
    assert response.status_code == 507, response.text
    assert recorder.submitted == []
    assert (await count_rows(engine))["upload_sessions"] == 0
