from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.models import TastePredictions, UploadSession


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
) -> bool:
    """The library's result, replacing an older one; False (nothing stored) when the library
    is gone (deleted while its model was trained) or has a result of a newer version (trained
    in another process meanwhile)."""
    if await db.scalar(select(UploadSession.id).where(UploadSession.id == session_id)) is None:
        return False
    stored = await db.scalar(
        select(TastePredictions.version).where(TastePredictions.session_id == session_id)
    )
    if stored is not None and stored > version:
        return False
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
    return True
