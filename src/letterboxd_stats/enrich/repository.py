from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.models import SessionStatus, UploadSession

UNFINISHED = (SessionStatus.uploading, SessionStatus.processing, SessionStatus.enriching)


async def set_status(
    db: AsyncSession,
    session_id: uuid.UUID,
    status: SessionStatus,
    *,
    error_message: str | None = None,
) -> None:
    await db.execute(
        update(UploadSession)
        .where(UploadSession.id == session_id)
        .values(status=status, error_message=error_message, updated_at=datetime.now(UTC))
    )


async def unfinished_session_ids(db: AsyncSession) -> list[uuid.UUID]:
    rows = await db.scalars(
        select(UploadSession.id)
        .where(UploadSession.status.in_(UNFINISHED))
        .order_by(UploadSession.created_at)
    )
    return list(rows)
