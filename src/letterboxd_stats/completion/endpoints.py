from __future__ import annotations

from fastapi import APIRouter

from letterboxd_stats.completion.schemas import CompletionResponse, Hidden, IgnoreRequest
from letterboxd_stats.completion.service import completion, set_hidden
from letterboxd_stats.db import SessionDep
from letterboxd_stats.kit.responses import error_responses
from letterboxd_stats.sessions.deps import OwnerSessionDep, ViewerAccessDep

router = APIRouter(prefix="/api/session", tags=["completion"], responses=error_responses(404))


@router.get("/{session_id}/completion", response_model=CompletionResponse)
async def get_completion(access: ViewerAccessDep, db: SessionDep) -> CompletionResponse:
    """How much of each collection its films belong to, of its most seen directors' and
    actors' films and of its own lists the library holds, with the films missing. Collections
    and filmographies come from the completion phase of the enrichment (`pending` while it
    runs). A share id may ask."""
    return await completion(db, access)


@router.post("/{session_id}/completion/ignore", response_model=list[Hidden])
async def hide(session: OwnerSessionDep, db: SessionDep, body: IgnoreRequest) -> list[Hidden]:
    """Hide a collection or a person from the library's completion (e.g. an actor of many
    cameos); what is hidden now."""
    return await set_hidden(db, session, body, hidden=True)


@router.delete("/{session_id}/completion/ignore", response_model=list[Hidden])
async def unhide(session: OwnerSessionDep, db: SessionDep, body: IgnoreRequest) -> list[Hidden]:
    """Show a hidden collection or person again; what is hidden now."""
    return await set_hidden(db, session, body, hidden=False)
