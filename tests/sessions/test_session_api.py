from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.fixtures.apps import AppClient
from tests.fixtures.database import count_rows
from tests.fixtures.exports import make_zip, multipart, small_export


async def test_delete_removes_every_row_of_the_session(
    client: AppClient, engine: AsyncEngine
) -> None:
    keep = await client.post("/api/upload", files=multipart(("keep.zip", make_zip(small_export()))))
    await client.app.state.runner.wait_idle()  # the job's rows too (its taste model's)
    rows_of_one = await count_rows(engine)
    drop = await client.post("/api/upload", files=multipart(("drop.zip", make_zip(small_export()))))
    session_id = drop.json()["session_id"]
    await client.app.state.runner.wait_idle()
    assert (await count_rows(engine))["session_films"] == 2 * rows_of_one["session_films"]

    response = await client.delete(f"/api/session/{session_id}")
    assert response.status_code == 204
    assert await count_rows(engine) == rows_of_one
    for suffix in ("", "/status", "/movies"):
        assert (await client.get(f"/api/session/{session_id}{suffix}")).status_code == 404
    assert (await client.get(f"/api/session/{keep.json()['session_id']}")).status_code == 200


async def test_summary_fields(client: httpx.AsyncClient) -> None:
    upload = (
        await client.post("/api/upload", files=multipart(("e.zip", make_zip(small_export()))))
    ).json()
    summary = (await client.get(f"/api/session/{upload['session_id']}")).json()
    assert summary["session_id"] == upload["session_id"]
    assert summary["created_at"].endswith(("+00:00", "Z"))
    assert summary["expires_at"] > summary["created_at"]
    assert summary["ignored_files"] == upload["ignored_files"]


async def test_health(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["x-request-id"]


async def test_no_endpoint_lists_sessions(client: httpx.AsyncClient) -> None:
    await client.post("/api/upload", files=multipart(("e.zip", make_zip(small_export()))))
    for path in ("/api/session", "/api/session/", "/api/sessions"):
        response = await client.get(path)
        assert response.status_code in (404, 405)
        assert "session_id" not in response.text


async def test_health_is_503_when_the_database_does_not_answer(make_client: Any) -> None:
    client = await make_client(database_url="sqlite+aiosqlite:////nonexistent-dir/none.db")
    response = await client.get("/api/health")
    assert response.status_code == 503
    assert response.json()["error"] == "DatabaseUnavailable"


async def test_security_headers_on_every_response(client: httpx.AsyncClient) -> None:
    for path in ("/api/health", "/api/session/not-an-id", "/openapi.json"):
        headers = (await client.get(path)).headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp
        assert "img-src 'self' data: https://image.tmdb.org" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


async def test_session_ids_never_reach_the_logs_in_full(
    client: httpx.AsyncClient, capfd: pytest.CaptureFixture[str]
) -> None:
    upload = await client.post("/api/upload", files=multipart(("e.zip", make_zip(small_export()))))
    session_id = upload.json()["session_id"]
    for suffix in ("", "/status", "/movies", "/stats", "/export.csv"):
        assert (await client.get(f"/api/session/{session_id}{suffix}")).status_code == 200
    await client.app.state.runner.wait_idle()  # type: ignore[attr-defined]
    logged = capfd.readouterr()
    assert session_id[:8] in logged.err  # the lines are there, with a short prefix
    assert session_id not in logged.err
    assert session_id.replace("-", "") not in logged.err
    assert session_id not in logged.out
