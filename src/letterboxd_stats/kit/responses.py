"""The error body every endpoint documents, and its OpenAPI `responses=` entries."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

_DESCRIPTIONS = {
    400: "The input was rejected; `detail` says what, in which file and on which line.",
    404: "No such session (unknown or malformed id).",
    413: "The upload is over a size limit.",
    409: "A conflict: the session's enrichment has already ended (cancel), or the update's "
    "export is another account's (`DifferentAccount`).",
    415: "Not a zip or CSV file.",
    422: "A parameter or the body is invalid; `detail` says which.",
    429: "Too many requests from this session or client; `Retry-After` says when to ask again.",
    502: "TMDB could not be asked (it kept failing or rejected our key).",
    503: "The database does not answer, or is busy (`Retry-After`); health: or the disk is full.",
    507: "The server's disk is full: nothing was stored.",
}


class ErrorBody(BaseModel):
    error: str
    detail: str


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """Errors are JSON whatever the route's own media type (a CSV route's 404 too). Every route
    can meet a malformed request (400) or invalid parameters (422); declaring 422 here replaces
    FastAPI's default validation-error schema with ours."""
    body = {"schema": {"$ref": "#/components/schemas/ErrorBody"}}
    return {
        code: {
            "model": ErrorBody,
            "description": _DESCRIPTIONS[code],
            "content": {"application/json": body},
        }
        for code in dict.fromkeys((*codes, 400, 422))
    }
