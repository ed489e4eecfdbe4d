"""The server's limits: request headers (431 from the app, 400 from h11 for a head still
growing past the limit), uvicorn's options from our settings, the upload body's deadline (408)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from letterboxd_stats.kit.server import uvicorn_options
from tests.fixtures.apps import make_settings
from tests.fixtures.servers import free_port, start_app_process


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[str]:
    """`letterboxd-stats serve` as its own process (SQLite), headers limited to 4,096 bytes."""
    port = free_port()
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/limits.db",
        "SERVER_MAX_HEADER_BYTES": "4096",
        "LOG_LEVEL": "warning",
    }
    process = await start_app_process(env, port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.process
async def test_headers_over_the_limit_are_431(served: str) -> None:
    async with httpx.AsyncClient(base_url=served) as client:
        assert (await client.get("/api/health", headers={"x-small": "a" * 2000})).status_code == 200
        response = await client.get("/api/health", headers={"x-big": "a" * 5000})
    assert response.status_code == 431, response.text
    assert response.json() == {
        "error": "HeadersTooLarge",
        "detail": "the request's headers are larger than the 4,096-byte limit "
        "(SERVER_MAX_HEADER_BYTES)",
    }
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.process
async def test_a_head_still_growing_past_the_limit_is_cut_off_by_the_server(served: str) -> None:
    host, port = served.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ")
        # One header in pieces, never finished, the last one taking the head past 4,096 bytes;
        # then nothing more (the server has read all we sent when it answers and closes).
        for _ in range(4):
            writer.write(b"a" * 1100)
            await writer.drain()
            await asyncio.sleep(0.05)
        status_line = await asyncio.wait_for(reader.readline(), timeout=30)
    finally:
        writer.close()
    assert status_line.startswith(b"HTTP/1.1 400"), status_line


def test_serve_passes_real_uvicorn_options() -> None:
    settings = make_settings(
        "sqlite+aiosqlite://",
        server_max_header_bytes=8192,
        server_keep_alive_seconds=7,
        server_graceful_shutdown_seconds=15,
    )
    options = uvicorn_options(settings)
    assert options == {
        "http": "h11",
        "h11_max_incomplete_event_size": 8192,
        "timeout_keep_alive": 7,
        "timeout_graceful_shutdown": 15,
    }
    accepted = inspect.signature(uvicorn.Config).parameters
    assert set(options) <= set(accepted)
    config = uvicorn.Config("letterboxd_stats.app:create_app", factory=True, **options)
    assert config.h11_max_incomplete_event_size == 8192
    assert config.timeout_keep_alive == 7


async def test_an_upload_body_that_stops_arriving_is_408(make_client: Any) -> None:
    client = await make_client(upload_timeout_seconds=0.3)
    boundary = "slowboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="watched.csv"'
        "\r\nContent-Type: text/csv\r\n\r\nDate,Name,Year,Letterboxd URI\n"
    ).encode()
    never = asyncio.Event()

    async def body() -> AsyncIterator[bytes]:
        yield head
        await never.wait()  # the rest never comes
        yield b""

    response = await client.post(
        "/api/upload",
        content=body(),
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 408, response.text
    body_json = response.json()
    assert body_json["error"] == "UploadTimeout"
    assert "UPLOAD_TIMEOUT_SECONDS" in body_json["detail"]
