"""`UploadSessionDep`: every route under /api/session/{id} answers an unknown or malformed id
with the same 404, and the web pages with their own 404 page."""

from __future__ import annotations

import pytest

from tests.fixtures.apps import AppClient

UNKNOWN = ("00000000-0000-4000-8000-000000000000", "not-a-uuid", "A" * 36)
ROUTES = (
    ("GET", ""),
    ("GET", "/status"),
    ("GET", "/movies"),
    ("GET", "/events"),
    ("GET", "/stats"),
    ("GET", "/export.csv"),
    ("GET", "/export.json"),
    ("GET", "/tmdb/search?query=alien"),
    ("PUT", "/movies/1/match"),
    ("POST", "/cancel"),
    ("POST", "/share"),
    ("DELETE", "/share"),
    ("DELETE", ""),
)


@pytest.mark.parametrize("session_id", UNKNOWN)
async def test_every_session_route_answers_an_unknown_id_404(
    client: AppClient, session_id: str
) -> None:
    for method, suffix in ROUTES:
        body = {"tmdb_id": 1} if method == "PUT" else None
        response = await client.request(method, f"/api/session/{session_id}{suffix}", json=body)
        assert response.status_code == 404, (method, suffix, response.text)
        assert response.json() == {
            "error": "SessionNotFound",
            "detail": "no session with this id",
        }, (method, suffix)


@pytest.mark.parametrize("session_id", UNKNOWN)
async def test_the_pages_of_an_unknown_session_are_the_html_404(
    client: AppClient, session_id: str
) -> None:
    for suffix in ("", "/review", "/data"):
        response = await client.get(f"/session/{session_id}{suffix}")
        assert response.status_code == 404, suffix
        assert response.headers["content-type"].startswith("text/html")
