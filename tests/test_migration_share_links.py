"""Migration 0010: a library's last activity replaces its fixed expiry (an existing library was
last active when it was uploaded), and share links; downgrade puts the expiry back at 30 days
after the last activity."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import command
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.kit.migrations import alembic_config, upgrade
from letterboxd_stats.models import UTCDateTime

COUNTS = ("total_movies", "diary_count", "rating_count", "review_count", "like_count",
          "list_count", "list_entry_count", "watchlist_count", "enriched_count",
          "matched_count", "needs_review_count", "unmatched_count", "failed_count")  # fmt: skip
CREATED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _sessions(*dates: str) -> sa.TableClause:
    return sa.table(
        "upload_sessions",
        sa.column("id", sa.Uuid()),
        sa.column("status"),
        sa.column("ignored_files", sa.JSON),
        *(sa.column(name, UTCDateTime()) for name in dates),
        *(sa.column(name) for name in COUNTS),
    )


async def _to(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: command.downgrade(alembic_config(sync), revision))


async def test_an_old_library_was_last_active_at_its_upload_and_has_no_share_link(
    engine: AsyncEngine,
) -> None:
    await _to(engine, "0009")
    session_id = uuid.uuid4()
    old = _sessions("created_at", "updated_at", "expires_at")
    async with engine.begin() as conn:
        await conn.execute(
            sa.insert(old),
            [{"id": session_id, "status": "completed", "ignored_files": [],
              "created_at": CREATED, "updated_at": CREATED + timedelta(days=2),
              "expires_at": CREATED + timedelta(days=30), **dict.fromkeys(COUNTS, 0)}],
        )  # fmt: skip
    await upgrade(engine)
    new = sa.table("upload_sessions", sa.column("last_active_at", UTCDateTime()),
                   sa.column("share_id", sa.Uuid()))  # fmt: skip
    async with engine.begin() as conn:
        row = (await conn.execute(sa.select(new.c.last_active_at, new.c.share_id))).one()
    assert tuple(row) == (CREATED, None)

    share_id = uuid.uuid4()
    async with engine.begin() as conn:
        await conn.execute(sa.update(new).values(share_id=share_id))
    await _to(engine, "0009")
    try:
        async with engine.begin() as conn:
            expires = (await conn.execute(sa.select(old.c.expires_at))).scalar_one()
            columns = await conn.run_sync(
                lambda sync: {c["name"] for c in sa.inspect(sync).get_columns("upload_sessions")}
            )
        assert expires == CREATED + timedelta(days=30)
        assert "share_id" not in columns
        assert "last_active_at" not in columns
    finally:
        async with engine.begin() as conn:
            await conn.execute(sa.delete(old))
        await upgrade(engine)
