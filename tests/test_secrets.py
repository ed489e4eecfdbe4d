"""The TMDB key (and bearer token) never leaves the server: not in pages, API errors, logs, or
what the TMDB stand-in gives back to its clients or prints. TMDB is the stand-in on a real port.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest

from standin import StandinConfig
from tests.fixtures.apps import AppClient
from tests.fixtures.real_ports import export, standin_config, standin_stats, upload
from tests.fixtures.servers import free_port, running_standin, start_app_process, start_process
from tests.fixtures.uploads import wait_completed

pytestmark = pytest.mark.real_port

KEY = "sekrit-tmdb-key-7f3a9c"
TOKEN = "sekrit-bearer-token-51e0d2"
WRONG_KEY = "sekrit-wrong-key-0b9e44"  # credentials a server was sent but does not accept
WRONG_TOKEN = "sekrit-wrong-token-c2d7f1"
SECRETS = (KEY, TOKEN, WRONG_KEY, WRONG_TOKEN)
MODES: dict[str, dict[str, str]] = {
    "api_key": {"tmdb_api_key": KEY},  # sent as ?api_key=
    "bearer": {"tmdb_bearer_token": TOKEN},  # sent as Authorization: Bearer
}
SESSION_PAGES = ("", "?year=2024", "/review", "/data")
STATIC_REF = re.compile(r'(?:src|href)="(/static/[^"?#]+)')
JS_IMPORT = re.compile(r'from\s+"(\.\.?/[\w./-]+\.js)"')  # relative to the importing module


def assert_clean(where: str, text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"a secret in {where}"


def dump(response: httpx.Response) -> str:
    """Everything a client gets back: status line, headers and body."""
    head = "\n".join(f"{name}: {value}" for name, value in response.headers.multi_items())
    return f"{response.status_code}\n{head}\n\n{response.text}"


def standin(**overrides: Any) -> StandinConfig:
    return standin_config(**({"api_key": KEY, "bearer_token": TOKEN} | overrides))


async def enriched(
    make_client: Any, tmdb: str, mode: str, films: int = 12, **settings: Any
) -> tuple[AppClient, str, dict[str, Any]]:
    """An app with the credentials of `mode`, a session uploaded, and its enrichment done."""
    values = {
        "tmdb_base_url": f"{tmdb}/3",
        "tmdb_max_attempts": 2,
        "tmdb_backoff_seconds": 0,
        "enrich_write_interval_seconds": 0.05,
    }
    client: AppClient = await make_client(**(MODES[mode] | values | settings))
    session_id = await upload(client, export(films, "Secret Film"))
    status = await wait_completed(client, session_id, timeout=60)
    await client.app.state.runner.wait_idle()
    return client, session_id, status


@pytest.mark.parametrize("mode", MODES)
async def test_no_page_asset_or_api_answer_shows_the_secret(make_client: Any, mode: str) -> None:
    """Every page, every static file they reference (CSS, scripts and the modules those
    import), the docs and the session's API answers, for a session enriched with the secret."""
    async with running_standin(standin()) as tmdb:
        client, sid, status = await enriched(make_client, tmdb, mode)
        assert (status["status"], status["matched_count"]) == ("completed", 12)
        api = ["", "/status", "/movies?limit=100", "/events", "/stats", "/stats?year=2024"]
        queue = [
            "/",
            *(f"/session/{sid}{page}" for page in SESSION_PAGES),
            "/session/00000000-0000-4000-8000-000000000000",
            "/docs",
            "/redoc",
            "/openapi.json",
            "/api/health",
            *(f"/api/session/{sid}{path}" for path in [*api, "/export.csv", "/export.json"]),
        ]
        seen: set[str] = set()
        while queue:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            response = await client.get(path)
            assert_clean(path, dump(response))
            if not path.startswith("/static/vendor/"):  # Chart.js is copied in by `make`
                assert response.status_code == (404 if "/00000000-" in path else 200), path
            queue += STATIC_REF.findall(response.text)
            queue += [urljoin(path, module) for module in JS_IMPORT.findall(response.text)]
    assets = {f"/static/js/{n}.js" for n in ("upload", "session", "review", "data", "common")}
    assert assets | {"/static/js/charts.js", "/static/css/app.css"} <= seen


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("tmdb_says", ["401 wrong key", "5xx"])
async def test_api_errors_never_show_the_secret(
    make_client: Any, mode: str, tmdb_says: str
) -> None:
    """A session failed because TMDB rejected the credentials, or one whose every TMDB request
    failed: its summary, status, films, events, the TMDB search and match fixing (502s), the
    OpenAPI document, and what the stand-in recorded of the app's requests."""
    rejected = tmdb_says == "401 wrong key"
    config = standin(api_key="other-key", bearer_token="other-token") if rejected else None
    async with running_standin(config or standin(error_rate=1.0)) as tmdb:
        client, sid, status = await enriched(make_client, tmdb, mode, films=4)
        movie_id = (await client.get(f"/api/session/{sid}/movies")).json()["items"][0]["movie_id"]
        search = await client.get(f"/api/session/{sid}/tmdb/search", params={"query": "Heat"})
        fix = await client.put(f"/api/session/{sid}/movies/{movie_id}/match", json={"tmdb_id": 7})
        responses = [search, fix]
        for path in ["", "/status", "/movies", "/events", "/tmdb/search", "/stats"]:
            responses.append(await client.get(f"/api/session/{sid}{path}"))
        responses += [await client.get("/openapi.json"), await client.get("/api/session/x")]
        recorded = await standin_stats(tmdb)
    if rejected:
        assert status["status"] == "failed"
        assert status["error_message"] == "TMDB rejected the API key"
    else:
        assert (status["status"], status["failed_count"]) == ("completed", 4)
    assert (search.status_code, search.json()["error"]) == (502, "TmdbUnavailable")
    assert (fix.status_code, fix.json()["error"]) == (502, "TmdbUnavailable")
    for response in responses:
        assert_clean(str(response.url), dump(response))
    assert recorded["recent_requests"], "the stand-in recorded the app's requests"
    assert_clean("the stand-in's /__stats", json.dumps(recorded))


@pytest.mark.parametrize("mode", MODES)
async def test_debug_logs_of_retries_and_failures_hold_no_secret(
    make_client: Any, mode: str, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """Everything printed at debug level (structlog) and every stdlib log record at debug
    (httpx, httpcore, uvicorn…) while TMDB fails half the requests: retries, failed films."""
    caplog.set_level(logging.DEBUG)
    async with running_standin(standin(error_rate=0.5, seed=5)) as tmdb:
        client, sid, status = await enriched(make_client, tmdb, mode, films=20, log_level="debug")
        await client.get(f"/api/session/{sid}/tmdb/search", params={"query": "Heat"})
    printed = capfd.readouterr()
    logged = f"{printed.out}\n{printed.err}\n{caplog.text}"
    assert status["status"] == "completed"
    assert status["failed_count"] > 0  # some films ran out of attempts
    assert "tmdb.request" in printed.err  # debug lines were printed, 200s and 5xx alike
    assert re.search(r"status=50[234]", printed.err)
    assert_clean("the logs", logged)


@pytest.mark.process
@pytest.mark.parametrize("mode", MODES)
async def test_a_serve_process_prints_no_secret(
    database_url: str, tmp_path: Path, mode: str
) -> None:
    """`letterboxd-stats serve` on a real port at debug level: all it prints (its own access
    log, uvicorn's lines, the enrichment with retries), through pages and errors."""
    log_file = tmp_path / "serve.log"
    env = {name.upper(): value for name, value in MODES[mode].items()}
    env |= {"DATABASE_URL": database_url, "LOG_LEVEL": "debug", "TMDB_MAX_ATTEMPTS": "2"}
    env |= {"TMDB_BACKOFF_SECONDS": "0", "PYTHONUNBUFFERED": "1"}
    async with running_standin(standin(error_rate=0.3, seed=3)) as tmdb:
        port = free_port()
        process = await start_app_process(env | {"TMDB_BASE_URL": f"{tmdb}/3"}, port, log_file)
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as app:
                sid = await upload(app, export(10, "Served Film"))
                status = await wait_completed(app, sid, timeout=60)
                for path in ["/", f"/session/{sid}", "/nowhere", f"/api/session/{sid}/stats"]:
                    assert_clean(path, dump(await app.get(path)))
                await app.get(f"/api/session/{sid}/tmdb/search", params={"query": "Heat"})
        finally:
            process.terminate()
            process.wait(timeout=10)
    printed = log_file.read_text()
    assert status["status"] == "completed"
    assert "http.request" in printed  # the output was captured, debug lines included
    assert "tmdb.request" in printed
    assert_clean("the serve process's output", printed)


@pytest.mark.process
async def test_the_standin_gives_back_and_prints_no_secret(tmp_path: Path) -> None:
    """The stand-in (`python -m standin`) on a real port is sent the right and wrong keys and
    tokens every way: no answer (200, 400, 401, 404, 405, 422), nor /__stats, /__reset, nor
    its process output holds them."""
    port, log_file = free_port(), tmp_path / "standin.log"
    base = f"http://127.0.0.1:{port}"
    args = [f"--port={port}", f"--api-key={KEY}", f"--bearer-token={TOKEN}"]
    args += ["--synthesise", "--data-dir=/nonexistent-catalogue", "--rate-limit=0"]
    process = await start_process(
        args, {"PYTHONUNBUFFERED": "1"}, f"{base}/__stats", log_file, module="standin"
    )
    bearer, wrong_bearer = {"Authorization": f"Bearer {TOKEN}"}, f"Bearer {WRONG_TOKEN}"
    sent: list[tuple[str, str, dict[str, str], dict[str, str], int]] = [
        ("GET", "/3/search/movie", {"query": "Heat", "api_key": KEY}, {}, 200),
        ("GET", "/3/search/movie", {"query": "Heat"}, bearer, 200),
        ("GET", "/3/search/movie", {"query": "Heat", "region": KEY, "api_key": KEY}, {}, 200),
        ("GET", "/3/search/movie", {"query": "Heat", "api_key": WRONG_KEY}, {}, 401),
        ("GET", "/3/search/movie", {"query": "x"}, {"Authorization": wrong_bearer}, 401),
        ("GET", "/3/search/movie", {"api_key": KEY}, bearer, 422),
        ("GET", "/3/search/movie", {"query": "x", "page": "0", "api_key": KEY}, {}, 400),
        ("GET", f"/3/movie/{KEY}", {"api_key": KEY}, {}, 404),  # a client puts it in the path
        ("GET", f"/3/{TOKEN}/x", {KEY: "", "token": TOKEN}, bearer, 404),
        ("POST", "/3/search/movie", {"query": "x", "api_key": KEY}, {}, 405),
        ("GET", "/nowhere", {"api_key": KEY}, bearer, 404),
    ]
    try:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            for method, path, params, headers, expected in sent:
                response = await client.request(method, path, params=params, headers=headers)
                assert response.status_code == expected, (method, path, params)
                assert_clean(f"the answer to {method} {path}", dump(response))
            stats = await client.get("/__stats")
            reset = await client.post("/__reset")
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert len(stats.json()["recent_requests"]) == len(sent) - 1  # all but /nowhere
    assert_clean("/__stats", dump(stats))
    assert_clean("/__reset", dump(reset))
    assert "TMDB stand-in on" in log_file.read_text()  # the output was captured
    assert_clean("the stand-in's output", log_file.read_text())
