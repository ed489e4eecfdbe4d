from __future__ import annotations

from fastapi import APIRouter, Response

from letterboxd_stats.compare import service
from letterboxd_stats.compare.schemas import CompareResponse
from letterboxd_stats.db import SessionDep
from letterboxd_stats.deps import AnswersDep
from letterboxd_stats.kit.responses import error_responses

router = APIRouter(prefix="/api/compare", tags=["compare"], responses=error_responses(404))


@router.get("/{a}/{b}", response_model=CompareResponse)
async def get_comparison(a: str, b: str, db: SessionDep, answers: AnswersDep) -> Response:
    """Compare two libraries: `a` is your library's id or a share id, `b` a friend's share id
    (a library's own id as `b` answers 404, as an unknown id does). One key per section, each
    defined in its schema; only what share links show (no review texts, no library ids)."""
    first, second = await service.resolve_pair(db, a, b)
    return Response(
        await service.comparison_json(db, answers, first, second),
        media_type="application/json",
    )
