"""An update killed (SIGKILL) in the middle: after a restart the library is the old one intact
or the new one complete, never a mix. The app runs as its own process; a large update (tens of
thousands of rows, seconds of writing) is killed at moments spread over its run."""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.models import DiaryEntry, Film, ImportRecord, UploadSession
from tests.fixtures.exports import DIARY, FILM, csv_text, make_zip
from tests.fixtures.servers import free_port, start_app_process

OLD_FILMS, NEW_FILMS = 6000, 9000
# when the kill lands, as a share of how long the same update takes unharmed
SHARES = (0.05, 0.3, 0.6, 0.8, 0.9, 1.0, 1.1, 1.5, 2.0, 3.0)


def _export(films: int, prefix: str) -> bytes:
    watched = [f"2024-01-01,{prefix} {n:05d},{1950 + n % 70},https://boxd.it/{prefix}{n}"
               for n in range(films)]  # fmt: skip
    diary = [f"2024-01-02,{prefix} {n:05d},{1950 + n % 70},https://boxd.it/e{prefix}{n},4,,,"
             f"2024-01-01" for n in range(films)]  # fmt: skip
    return make_zip({"watched.csv": csv_text(FILM, watched), "diary.csv": csv_text(DIARY, diary)})


async def _library(engine: AsyncEngine, session_id: str) -> dict[str, Any]:
    """What the database holds for the session: its counters, its rows, their titles' prefixes."""
    async with engine.connect() as conn:
        session = (
            await conn.execute(
                select(UploadSession.total_movies, UploadSession.diary_count).where(
                    UploadSession.id == _uuid(session_id)
                )
            )
        ).one()
        films = (
            await conn.execute(
                select(func.count()).select_from(Film).where(Film.session_id == _uuid(session_id))
            )
        ).scalar_one()
        diary = (
            await conn.execute(
                select(func.count())
                .select_from(DiaryEntry)
                .where(DiaryEntry.session_id == _uuid(session_id))
            )
        ).scalar_one()
        prefixes = set(
            (
                await conn.scalars(
                    select(func.substr(Film.title, 1, 3))
                    .where(Film.session_id == _uuid(session_id))
                    .distinct()
                )
            ).all()
        )
        imports = (
            await conn.execute(
                select(func.count())
                .select_from(ImportRecord)
                .where(ImportRecord.session_id == _uuid(session_id))
            )
        ).scalar_one()
    return {
        "counters": tuple(session),
        "films": films,
        "diary": diary,
        "prefixes": prefixes,
        "imports": imports,
    }


def _uuid(raw: str) -> uuid.UUID:
    return uuid.UUID(raw)


@pytest.mark.process
@pytest.mark.slow
async def test_an_update_killed_midway_leaves_the_old_library_or_the_new_never_a_mix(
    database_url: str, engine: AsyncEngine
) -> None:
    port = free_port()
    env = {"DATABASE_URL": database_url, "TMDB_API_KEY": "", "LOG_LEVEL": "warning"}
    base = f"http://127.0.0.1:{port}"
    old, new = _export(OLD_FILMS, "Old"), _export(NEW_FILMS, "New")
    process = await start_app_process(env, port)
    outcomes: list[str] = []
    try:
        async with httpx.AsyncClient(base_url=base, timeout=120) as client:
            upload = await client.post("/api/upload", files=[("files", ("old.zip", old))])
            assert upload.status_code == 202, upload.text
            session_id = upload.json()["session_id"]
            assert (await _library(engine, session_id))["films"] == OLD_FILMS
            started = asyncio.get_running_loop().time()
            timed = await client.post(
                f"/api/session/{session_id}/update", files=[("files", ("new.zip", new))]
            )
            assert timed.status_code == 202, timed.text
            took = asyncio.get_running_loop().time() - started
        delays = [share * took for share in SHARES]
        for delay in delays:
            # back to the old library first (an update that is let finish), then killed midway
            async with httpx.AsyncClient(base_url=base, timeout=120) as client:
                back = await client.post(
                    f"/api/session/{session_id}/update", files=[("files", ("old.zip", old))]
                )
                assert back.status_code == 202, back.text
            before = await _library(engine, session_id)
            assert before["films"] == OLD_FILMS
            assert before["prefixes"] == {"Old"}

            async def send() -> None:
                async with httpx.AsyncClient(base_url=base, timeout=120) as client:
                    await client.post(
                        f"/api/session/{session_id}/update",
                        files=[("files", ("new.zip", new))],
                    )

            sending = asyncio.create_task(send())
            await asyncio.sleep(delay)
            os.kill(process.pid, signal.SIGKILL)
            await asyncio.to_thread(process.wait, 10)
            await asyncio.gather(sending, return_exceptions=True)
            process = await start_app_process(env, port)

            after = await _library(engine, session_id)
            if after["prefixes"] == {"Old"}:
                outcomes.append("old")
                assert after == before
            else:
                outcomes.append("new")
                assert after["prefixes"] == {"New"}
                assert after["films"] == after["counters"][0] == NEW_FILMS
                assert after["diary"] == after["counters"][1] == NEW_FILMS
                assert after["imports"] == before["imports"] + 1
        print(f"update {took:.2f} s; outcomes:", list(zip(delays, outcomes, strict=True)))
        assert "old" in outcomes  # kills before the commit
        assert "new" in outcomes  # and after
    finally:
        process.kill()
        process.wait(timeout=10)
