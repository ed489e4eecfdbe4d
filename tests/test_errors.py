"""Every error answer is the documented JSON with the usual headers: HTTP errors keep their own
headers (a 405's `Allow`), and an unexpected error is a JSON 500 too."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from letterboxd_stats.app import create_app
from letterboxd_stats.deps import SessionMakerDep
from tests.fixtures.apps import AppClient, make_settings
from tests.fixtures.loopback import serving


async def test_a_method_not_allowed_says_which_are(make_client: Any) -> None:
    client: AppClient = await make_client()
    response = await client.post("/api/health")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.json() == {"error": "MethodNotAllowed", "detail": "Method Not Allowed"}


SECRET = "s3cr3t-in-the-message"


def _app_with_failing_routes(database_url: str) -> FastAPI:
    """The real app, plus test-only routes: one with a bug, one sending a query the database
    rejects (a real driver error, and no outage)."""
    app = create_app(make_settings(database_url))

    @app.get("/test/bug")
    async def bug() -> None:
        raise RuntimeError(f"a bug, with {SECRET}")

    @app.get("/test/bad-query")
    async def bad_query(sessionmaker: SessionMakerDep) -> None:
        async with sessionmaker() as db:
            await db.execute(text("CREATE TEMPORARY TABLE scratch (note TEXT NOT NULL)"))
            await db.execute(text("INSERT INTO scratch VALUES (NULL)"))  # IntegrityError

    return app


@pytest.mark.real_port  # served on a port: httpx's ASGI transport would raise the error
async def test_an_unexpected_error_is_a_json_500_with_the_usual_headers(
    database_url: str, capfd: pytest.CaptureFixture[str]
) -> None:
    app = _app_with_failing_routes(database_url)
    async with serving(app, lifespan="on") as base, httpx.AsyncClient(base_url=base) as client:
        answers = [await client.get("/test/bug"), await client.get("/test/bad-query")]
        after = await client.get("/api/health")  # the same connection, still open
    for answer in answers:
        assert answer.status_code == 500, answer.text
        assert answer.headers["content-type"] == "application/json"
        body = answer.json()
        assert body["error"] == "Internal"
        request_id = answer.headers["x-request-id"]
        assert request_id in body["detail"]
        assert SECRET not in answer.text
        assert "Traceback" not in answer.text
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "default-src 'self'" in answer.headers["content-security-policy"]
        assert answer.headers.get("connection", "keep-alive") != "close"
    assert after.status_code == 200
    logged = capfd.readouterr().err
    assert "request.failed" in logged
    assert "Traceback" in logged  # the operator gets the whole story
