from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.models import TastePredictions


async def get(db: AsyncSession, session_id: uuid.UUID) -> TastePredictions | None:
    return await db.get(TastePredictions, session_id)


async def store(
    db: AsyncSession,
    session_id: uuid.UUID,
    version: datetime,
    trained_at: datetime,
    rated: int,
    accuracy: dict[str, Any] | None,
    predictions: dict[str, Any],
) -> None:
    """The library's result, replacing the one it had."""
    await db.execute(delete(TastePredictions).where(TastePredictions.session_id == session_id))
    db.add(
        TastePredictions(
            session_id=session_id,
            version=version,
            trained_at=trained_at,
            rated=rated,
            accuracy=accuracy,
            predictions=predictions,
        )
    )
    await db.flush()
