from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, status

from letterboxd_stats.db import SessionDep
from letterboxd_stats.deps import RunnerDep, SettingsDep
from letterboxd_stats.ingest import service, update
from letterboxd_stats.ingest.schemas import ImportHistory, UpdateAccepted, UploadAccepted
from letterboxd_stats.ingest.upload import FIELD_NAME, read_upload
from letterboxd_stats.kit.responses import error_responses
from letterboxd_stats.sessions.deps import UploadSessionDep

router = APIRouter(prefix="/api", tags=["upload"])

_MULTIPART_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": [FIELD_NAME],
                    "properties": {
                        FIELD_NAME: {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": "The export zip, or any of its CSV files.",
                        }
                    },
                }
            }
        },
    }
}


@router.post(
    "/upload",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=UploadAccepted,
    responses=error_responses(400, 413, 415, 507),
    openapi_extra=_MULTIPART_BODY,
    summary="Upload a Letterboxd export (the zip, or its CSVs)",
)
async def upload(
    request: Request, settings: SettingsDep, db: SessionDep, runner: RunnerDep
) -> UploadAccepted:
    """Parses and stores the whole export, then answers at once; TMDB enrichment runs in the
    background (follow it at `/api/session/{id}/status`). A rejected upload stores nothing.
    The 202 is sent once the library is committed and its job submitted."""
    async with read_upload(request, settings) as files:
        return await service.import_upload(files, settings, db, runner)


@router.post(
    "/session/{session_id}/update",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=UpdateAccepted,
    responses=error_responses(400, 404, 409, 413, 415, 507),
    openapi_extra=_MULTIPART_BODY,
    summary="Update a library with a newer export of the same account",
    tags=["session"],
)
async def update_session(
    request: Request,
    session: UploadSessionDep,
    settings: SettingsDep,
    db: SessionDep,
    runner: RunnerDep,
) -> UpdateAccepted:
    """Replaces the library by a newer export (zip or CSVs, as `/api/upload`), in one
    transaction, and answers with what changed. Kept films keep their TMDB match (a fix by hand
    too); only new films are sent to TMDB (`/status` counts their work). 409 `DifferentAccount`
    when both exports name an account and they differ. A rejected update changes nothing."""
    async with read_upload(request, settings) as files:
        return await update.update_library(files, settings, db, runner, session)


@router.get(
    "/session/{session_id}/history",
    response_model=ImportHistory,
    responses=error_responses(404),
    tags=["session"],
)
async def get_history(session: UploadSessionDep, db: SessionDep) -> ImportHistory:
    """Every import of the library, oldest first: the first upload, then each update with its
    change summary."""
    return await update.import_history(db, session)
