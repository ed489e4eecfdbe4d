"""GET /metrics: Prometheus text format, per-app registries, route templates (never ids)."""

from __future__ import annotations

import asyncio
import math
from typing import Any, cast

import pytest
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from letterboxd_stats.enrich.runner import JobRunner
from letterboxd_stats.metrics import Metrics
from tests.fixtures.apps import AppClient
from tests.fixtures.exports import make_zip, multipart, small_export
from tests.fixtures.tmdb import API_KEY, CATALOGUE, TMDB_SETTINGS, FakeTmdb
from tests.fixtures.uploads import wait_completed

STATUS_ROUTE = "/api/session/{session_id}/status"
STATES = ("queued", "running")


async def _scrape(client: AppClient) -> tuple[str, list[Sample]]:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    samples = [
        s for family in text_string_to_metric_families(response.text) for s in family.samples
    ]
    return response.text, samples


def _value(samples: list[Sample], name: str, **labels: str) -> float:
    """The sum of `name`'s samples whose labels include `labels` (0 when there is none)."""
    return sum(s.value for s in samples if s.name == name and labels.items() <= s.labels.items())


async def _upload(client: AppClient) -> str:
    upload = await client.post("/api/upload", files=multipart(("e.zip", make_zip(small_export()))))
    assert upload.status_code == 202, upload.text
    session_id: str = upload.json()["session_id"]
    return session_id


async def test_metrics_after_an_upload_and_its_enrichment(make_client: Any) -> None:
    fake = FakeTmdb(CATALOGUE, script=["429", "timeout"])  # the first two TMDB answers
    client: AppClient = await make_client(tmdb_transport=fake.transport(), **TMDB_SETTINGS)
    session_id = await _upload(client)
    status = await wait_completed(client, session_id)
    assert status["status"] == "completed"
    await client.app.state.runner.wait_idle()  # the watchlist follows the library
    assert (
        await client.get("/api/session/00000000-0000-4000-8000-000000000000")
    ).status_code == 404
    assert (await client.get("/no/such/page")).status_code == 404
    assert (await client.get("/static/no-such-file.js")).status_code == 404

    text, samples = await _scrape(client)

    # requests by route template: no session id, no raw path, no key anywhere
    assert session_id not in text
    assert "00000000-0000-4000-8000-000000000000" not in text
    assert API_KEY not in text
    assert "/no/such/page" not in text
    status_polls = _value(
        samples, "letterboxd_http_requests_total", method="GET", route=STATUS_ROUTE, status="200"
    )
    assert status_polls >= 1
    assert (
        _value(
            samples,
            "letterboxd_http_requests_total",
            method="POST",
            route="/api/upload",
            status="202",
        )
        == 1
    )
    assert (
        _value(
            samples,
            "letterboxd_http_requests_total",
            route="/api/session/{session_id}",
            status="404",
        )
        == 1
    )
    assert _value(samples, "letterboxd_http_requests_total", route="unmatched", status="404") == 1
    assert (
        _value(samples, "letterboxd_http_requests_total", route="/static/{path}", status="404") == 1
    )
    routes = {s.labels["route"] for s in samples if s.name == "letterboxd_http_requests_total"}
    assert all(r == "unmatched" or r.startswith("/") for r in routes)

    # the latency histogram: buckets per route, +Inf holding every request
    buckets = [
        s
        for s in samples
        if s.name == "letterboxd_http_request_duration_seconds_bucket"
        and s.labels["route"] == STATUS_ROUTE
    ]
    assert len(buckets) > 2
    assert {s.labels["le"] for s in buckets} >= {"0.005", "1.0", "+Inf"}
    everything = _value(
        samples, "letterboxd_http_request_duration_seconds_bucket", route=STATUS_ROUTE, le="+Inf"
    )
    assert everything == status_polls
    assert (
        _value(samples, "letterboxd_http_request_duration_seconds_count", route=STATUS_ROUTE)
        == status_polls
    )

    # films: the 4 of the library and the watchlist's one (Ran)
    assert status["total_movies"] == 4
    assert _value(samples, "letterboxd_films_enriched_total") == status["total_movies"] + 1

    # TMDB requests by endpoint and status, the 429 and the transport error included
    tmdb = {
        (s.labels["endpoint"], s.labels["status"]): s.value
        for s in samples
        if s.name == "letterboxd_tmdb_requests_total"
    }
    assert {endpoint for endpoint, _ in tmdb} <= {"search", "movie", "other"}
    assert _value(samples, "letterboxd_tmdb_requests_total", status="429") == 1
    assert _value(samples, "letterboxd_tmdb_requests_total", status="error") == 1
    assert _value(samples, "letterboxd_tmdb_requests_total", endpoint="search", status="200") >= 4
    assert _value(samples, "letterboxd_tmdb_requests_total", endpoint="movie", status="200") >= 3
    assert sum(tmdb.values()) == fake.served
    assert _value(samples, "letterboxd_tmdb_rate_limited_total") >= 1

    # jobs: both states present, none left
    jobs = {s.labels["state"]: s.value for s in samples if s.name == "letterboxd_jobs"}
    assert jobs == {"queued": 0, "running": 0}

    # the scrape itself is counted (on the next scrape), and kept out of the API schema
    _, again = await _scrape(client)
    assert _value(again, "letterboxd_http_requests_total", route="/metrics", status="200") == 1
    schema = (await client.get("/openapi.json")).json()
    assert "/metrics" not in schema["paths"]


async def test_the_jobs_gauge_shows_a_running_job(make_client: Any) -> None:
    fake = FakeTmdb(CATALOGUE, hold_after=0)  # every TMDB request waits for `release`
    client: AppClient = await make_client(tmdb_transport=fake.transport(), **TMDB_SETTINGS)
    await _upload(client)
    for _ in range(3000):  # on PostgreSQL a queue worker picks the job up later (seconds, if busy)
        _, samples = await _scrape(client)
        if _value(samples, "letterboxd_jobs", state="running") == 1:
            break
        await asyncio.sleep(0.02)
    assert _value(samples, "letterboxd_jobs", state="running") == 1
    assert _value(samples, "letterboxd_jobs", state="queued") == 0
    fake.release.set()
    await asyncio.wait_for(client.app.state.runner.wait_idle(), timeout=10)
    _, samples = await _scrape(client)
    assert _value(samples, "letterboxd_jobs", state="running") == 0


async def test_each_app_has_its_own_registry(make_client: Any) -> None:
    first: AppClient = await make_client()
    second: AppClient = await make_client()
    for _ in range(3):
        assert (await first.get("/api/health")).status_code == 200
    _, first_samples = await _scrape(first)
    _, second_samples = await _scrape(second)
    health: dict[str, str] = {"route": "/api/health", "status": "200"}
    assert _value(first_samples, "letterboxd_http_requests_total", **health) == 3
    assert _value(second_samples, "letterboxd_http_requests_total", **health) == 0
    assert first.app.state.metrics.registry is not second.app.state.metrics.registry


async def test_without_tmdb_nothing_is_counted_as_enriched(make_client: Any) -> None:
    client: AppClient = await make_client()  # no credentials: enrichment disabled
    session_id = await _upload(client)
    assert (await wait_completed(client, session_id))["status"] == "completed"
    _, samples = await _scrape(client)
    assert _value(samples, "letterboxd_films_enriched_total") == 0
    assert _value(samples, "letterboxd_tmdb_requests_total") == 0


@pytest.mark.parametrize(
    ("method", "label"), [("GET", "GET"), ("PROPFIND", "other"), ("BREW", "other")]
)
async def test_unknown_methods_share_one_label(make_client: Any, method: str, label: str) -> None:
    client: AppClient = await make_client()
    await client.request(method, "/api/health")
    _, samples = await _scrape(client)
    methods = {
        s.labels["method"]
        for s in samples
        if s.name == "letterboxd_http_requests_total" and s.labels["route"] == "/api/health"
    }
    assert methods == {label}


class _QueueAway:
    async def active_jobs(self) -> dict[str, int]:
        raise ConnectionRefusedError("the database is away")


async def test_an_unreadable_queue_reads_as_nan_not_stale() -> None:
    metrics = Metrics()
    metrics.jobs.labels("running").set(3)
    await metrics.read_jobs(cast(JobRunner, _QueueAway()))
    values = [metrics.registry.get_sample_value("letterboxd_jobs", {"state": s}) for s in STATES]
    assert all(v is not None and math.isnan(v) for v in values)


async def test_the_api_docs_are_counted_by_their_path(make_client: Any) -> None:
    client: AppClient = await make_client()
    for path in ("/docs", "/openapi.json", "/redoc"):
        assert (await client.get(path)).status_code == 200
    _, samples = await _scrape(client)
    for path in ("/docs", "/openapi.json", "/redoc"):
        labels = {"method": "GET", "route": path, "status": "200"}
        assert _value(samples, "letterboxd_http_requests_total", **labels) == 1, path
    assert _value(samples, "letterboxd_http_requests_total", route="unmatched") == 0
