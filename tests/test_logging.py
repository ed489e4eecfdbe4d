"""The logging set-up: httpx's own request lines never show TMDB's API key, once it has run."""

from __future__ import annotations

import logging

import httpx
import pytest

from letterboxd_stats.logging import RedactApiKey, configure_logging, redacted_path


def test_the_logging_setup_redacts_api_keys_in_httpx_lines_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    configure_logging("info")
    configure_logging("info")  # the app and the CLI may both set logging up
    httpx_log = logging.getLogger("httpx")
    assert sum(isinstance(f, RedactApiKey) for f in httpx_log.filters) == 1
    url = httpx.URL("https://tmdb.test/3/search/movie?query=Heat&api_key=s3cr3t-key")
    with caplog.at_level(logging.INFO, logger="httpx"):
        httpx_log.info('HTTP Request: %s %s "%s"', "GET", url, "HTTP/1.1 200 OK")
    assert "s3cr3t-key" not in caplog.text
    assert "query=Heat&api_key=REDACTED" in caplog.text


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/api/session/0123456789abcdef0123456789abcdef/status", "/api/session/01234567…/status"),
        (
            "/api/compare/aaaaaaaa-0000-4000-8000-000000000000/bbbbbbbb-0000-4000-8000-000000000000",
            "/api/compare/aaaaaaaa…/bbbbbbbb…",
        ),
        ("/compare/aaaaaaaa-0000-4000-8000-000000000000/x", "/compare/aaaaaaaa…/x"),
        ("/static/js/compare.js", "/static/js/compare.js"),
    ],
)
def test_the_access_log_shows_every_id_by_its_first_8_characters(path: str, logged: str) -> None:
    assert redacted_path(path) == logged
