"""Every error answer is the documented JSON with the usual headers: HTTP errors keep their own
headers (a 405's `Allow`), and an unexpected error is a JSON 500 too."""

from __future__ import annotations

from typing import Any

from tests.conftest import AppClient


async def test_a_method_not_allowed_says_which_are(make_client: Any) -> None:
    client: AppClient = await make_client()
    response = await client.post("/api/health")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.json() == {"error": "MethodNotAllowed", "detail": "Method Not Allowed"}
