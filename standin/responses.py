"""TMDB's response class and error bodies, as recorded (see shared/data/tmdb-api-samples)."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse


class TMDBResponse(JSONResponse):
    """Compact JSON with TMDB's exact content type (no space before `charset`)."""

    media_type = "application/json;charset=utf-8"


def not_found() -> TMDBResponse:
    return TMDBResponse(
        {
            "success": False,
            "status_code": 34,
            "status_message": "The resource you requested could not be found.",
        },
        status_code=404,
    )


def invalid_key() -> TMDBResponse:
    return TMDBResponse(
        {
            "status_code": 7,
            "status_message": "Invalid API key: You must be granted a valid key.",
            "success": False,
        },
        status_code=401,
    )


def missing_query() -> TMDBResponse:
    return TMDBResponse({"errors": ["query must be provided"]}, status_code=422)


def invalid_page() -> TMDBResponse:
    return TMDBResponse(
        {
            "success": False,
            "status_code": 22,
            "status_message": "Invalid page: Pages start at 1 and max at 500. "
            "They are expected to be an integer.",
        },
        status_code=400,
    )


def rate_limited(count: int, limit: int, retry_after: int) -> TMDBResponse:
    return TMDBResponse(
        {
            "status_code": 25,
            "status_message": f"Your request count ({count}) is over the allowed limit of {limit}.",
        },
        status_code=429,
        headers={"Retry-After": str(max(1, retry_after))},
    )


#: Injected failures: HTTP status -> TMDB status_code and message.
SERVER_ERRORS: dict[int, tuple[int, str]] = {
    502: (43, "Couldn't connect to the backend server."),
    503: (46, "The API is undergoing maintenance. Try again later."),
    504: (24, "Your request to the backend server timed out. Try again."),
}


def server_error(status: int) -> TMDBResponse:
    code, message = SERVER_ERRORS[status]
    body: dict[str, Any] = {"success": False, "status_code": code, "status_message": message}
    return TMDBResponse(body, status_code=status)
