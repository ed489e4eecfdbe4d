"""Owner and viewer: the session id opens everything, a share id (the read-only share link) only
the dashboard and the read-only API behind it, and answers every other route exactly as an
unknown id does. Every route under /api/session/{session_id} and /session/{session_id} of the
app is enumerated, so a route added later is checked too: it must have an example request here,
and declare itself owner-only (the default) or a read."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.dependencies.models import Dependant

from letterboxd_stats.sessions import repository, sharing
from letterboxd_stats.sessions.deps import (
    find_opened_access,
    find_owner_session,
    get_owner_session,
    get_owner_session_id,
    get_viewer_access,
)
from letterboxd_stats.sessions.events import progress_events
from tests.fixtures.apps import AppClient
from tests.fixtures.exports import make_zip, multipart, small_export

UNKNOWN = "00000000-0000-4000-8000-000000000000"
PREFIXES = ("/api/session/{session_id}", "/session/{session_id}")

# Every route under the prefixes: (method, path template) -> (an example request's path after
# the id, its JSON body). A new route fails `test_every_session_route_has_an_example` until
# it is listed here.
EXAMPLES: dict[tuple[str, str], tuple[str, Any]] = {
    ("GET", "/api/session/{session_id}"): ("", None),
    ("GET", "/api/session/{session_id}/status"): ("/status", None),
    ("GET", "/api/session/{session_id}/movies"): ("/movies", None),
    ("GET", "/api/session/{session_id}/events"): ("/events", None),
    ("GET", "/api/session/{session_id}/stats"): ("/stats", None),
    ("GET", "/api/session/{session_id}/watchlist"): ("/watchlist", None),
    ("GET", "/api/session/{session_id}/completion"): ("/completion", None),
    ("GET", "/api/session/{session_id}/review"): ("/review", None),
    ("GET", "/api/session/{session_id}/card.png"): ("/card.png", None),
    ("POST", "/api/session/{session_id}/completion/ignore"): (
        "/completion/ignore",
        {"kind": "person", "id": 7},
    ),
    ("DELETE", "/api/session/{session_id}/completion/ignore"): (
        "/completion/ignore",
        {"kind": "person", "id": 7},
    ),
    ("PUT", "/api/session/{session_id}/watch-settings"): (
        "/watch-settings",
        {"region": "GB", "services": [8]},
    ),
    ("GET", "/api/session/{session_id}/tmdb/search"): ("/tmdb/search?query=alien", None),
    ("PUT", "/api/session/{session_id}/movies/{movie_id}/match"): (
        "/movies/1/match",
        {"tmdb_id": 1},
    ),
    ("GET", "/api/session/{session_id}/export.csv"): ("/export.csv", None),
    ("GET", "/api/session/{session_id}/export.json"): ("/export.json", None),
    ("POST", "/api/session/{session_id}/cancel"): ("/cancel", None),
    ("POST", "/api/session/{session_id}/update"): ("/update", None),
    ("GET", "/api/session/{session_id}/history"): ("/history", None),
    ("POST", "/api/session/{session_id}/share"): ("/share", None),
    ("DELETE", "/api/session/{session_id}/share"): ("/share", None),
    ("DELETE", "/api/session/{session_id}"): ("", None),
    ("GET", "/session/{session_id}"): ("", None),
    ("GET", "/session/{session_id}/review"): ("/review", None),
    ("GET", "/session/{session_id}/data"): ("/data", None),
    ("GET", "/session/{session_id}/watch"): ("/watch", None),
    ("GET", "/session/{session_id}/completion"): ("/completion", None),
    ("GET", "/session/{session_id}/year/{period}"): ("/year/2024", None),
}
# What a share id may open; every other route is owner-only.
READS = {
    ("GET", "/api/session/{session_id}"),
    ("GET", "/api/session/{session_id}/status"),
    ("GET", "/api/session/{session_id}/movies"),
    ("GET", "/api/session/{session_id}/events"),
    ("GET", "/api/session/{session_id}/stats"),
    ("GET", "/api/session/{session_id}/watchlist"),
    ("GET", "/api/session/{session_id}/completion"),
    ("GET", "/api/session/{session_id}/review"),
    ("GET", "/api/session/{session_id}/card.png"),
    ("GET", "/session/{session_id}"),
    ("GET", "/session/{session_id}/watch"),
    ("GET", "/session/{session_id}/completion"),
    ("GET", "/session/{session_id}/year/{period}"),
}
OWNER_GATES: set[Callable[..., Any]] = {get_owner_session, get_owner_session_id, find_owner_session}
READ_GATES: set[Callable[..., Any]] = {get_viewer_access, find_opened_access}


def session_routes(client: AppClient) -> dict[tuple[str, str], Dependant]:
    """(method, path) -> the route's dependencies, for every route of the app under the
    prefixes (FastAPI keeps an included router as one entry of `app.routes`, whose routes are
    its `effective_candidates()`)."""
    routes: dict[tuple[str, str], Dependant] = {}
    for entry in client.app.routes:
        candidates: list[Any] = (
            list(entry.effective_candidates())
            if hasattr(entry, "effective_candidates")
            else [entry]
        )
        for route in candidates:
            path = getattr(route, "path", "")
            if isinstance(path, str) and path.startswith(PREFIXES):
                for method in route.methods or ():
                    routes[(method, path)] = route.dependant
    return routes


def calls(dependant: Dependant) -> set[Any]:
    found = set()
    for dependency in dependant.dependencies:
        found.add(dependency.call)
        found |= calls(dependency)
    return found


async def shared_library(client: AppClient) -> tuple[str, str]:
    upload = await client.post("/api/upload", files=multipart(("e.zip", make_zip(small_export()))))
    assert upload.status_code == 202, upload.text
    session_id = upload.json()["session_id"]
    await client.app.state.runner.wait_idle()
    share = await client.post(f"/api/session/{session_id}/share")
    assert share.status_code == 201, share.text
    return session_id, share.json()["share_id"]


async def ask(client: AppClient, key: tuple[str, str], path_id: str) -> Any:
    method, template = key
    suffix, body = EXAMPLES[key]
    base = "/api/session/" if template.startswith("/api/") else "/session/"
    return await client.request(method, f"{base}{path_id}{suffix}", json=body)


async def test_every_session_route_has_an_example(client: AppClient) -> None:
    assert set(session_routes(client)) == set(EXAMPLES)
    assert set(EXAMPLES) >= READS


async def test_every_session_route_declares_owner_only_or_read(client: AppClient) -> None:
    for key, dependant in session_routes(client).items():
        gates = calls(dependant)
        if key in READS:
            assert gates & READ_GATES, key
            assert not gates & OWNER_GATES, key
        else:
            assert gates & OWNER_GATES, f"{key} is not declared owner-only"


@pytest.mark.parametrize("key", sorted(EXAMPLES), ids=lambda key: f"{key[0]} {key[1]}")
async def test_a_share_id_opens_the_reads_and_nothing_else(
    client: AppClient, key: tuple[str, str]
) -> None:
    session_id, share_id = await shared_library(client)
    as_viewer = await ask(client, key, share_id)
    if key in READS:
        assert as_viewer.status_code == 200, as_viewer.text
        assert session_id not in as_viewer.text
        assert session_id.replace("-", "") not in as_viewer.text
        assert (await ask(client, key, session_id)).status_code == 200  # the owner too
    else:
        unknown = await ask(client, key, UNKNOWN)
        assert as_viewer.status_code == unknown.status_code == 404, as_viewer.text
        assert as_viewer.headers["content-type"] == unknown.headers["content-type"]
        assert as_viewer.text == unknown.text  # indistinguishable from an unknown id
    # nothing a viewer did changed the library or its link
    assert (await client.get(f"/api/session/{session_id}/status")).json()["status"] == "completed"
    assert (await client.get(f"/api/session/{share_id}/status")).status_code == 200


async def test_the_answers_show_a_viewer_its_share_id(client: AppClient) -> None:
    session_id, share_id = await shared_library(client)
    summary = (await client.get(f"/api/session/{share_id}")).json()
    assert summary["session_id"] == share_id
    assert summary["access"] == "viewer"
    assert summary["share"] is None
    assert summary["expires_at"] is None
    assert summary["last_active_at"] is None
    assert (await client.get(f"/api/session/{share_id}/status")).json()["session_id"] == share_id
    for query in ("", "?year=2024"):
        stats = (await client.get(f"/api/session/{share_id}/stats{query}")).json()
        assert stats["session_id"] == share_id
        owner = (await client.get(f"/api/session/{session_id}/stats{query}")).json()
        assert owner["session_id"] == session_id  # each from the cache of its own id
        assert {k: v for k, v in owner.items() if k != "session_id"} == {
            k: v for k, v in stats.items() if k != "session_id"
        }
    events = (await client.get(f"/api/session/{share_id}/events")).text
    assert share_id in events
    assert session_id not in events
    owner_summary = (await client.get(f"/api/session/{session_id}")).json()
    assert owner_summary["access"] == "owner"
    assert owner_summary["share"] == {
        "share_id": share_id,
        "url": f"http://test/session/{share_id}",
    }


async def test_one_share_link_at_a_time_and_revoked_at_once(client: AppClient) -> None:
    session_id, share_id = await shared_library(client)
    again = await client.post(f"/api/session/{session_id}/share")
    assert again.status_code == 200  # the current one, not a new one
    assert again.json() == {"share_id": share_id, "url": f"http://test/session/{share_id}"}

    assert (await client.delete(f"/api/session/{session_id}/share")).status_code == 204
    for path in (f"/api/session/{share_id}", f"/api/session/{share_id}/stats"):
        gone = await client.get(path)
        assert gone.status_code == 404
        assert gone.json() == {"error": "SessionNotFound", "detail": "no session with this id"}
    assert (await client.get(f"/session/{share_id}")).status_code == 404
    assert (await client.get(f"/api/session/{session_id}")).json()["share"] is None
    assert (await client.delete(f"/api/session/{session_id}/share")).status_code == 204  # again

    renewed = await client.post(f"/api/session/{session_id}/share")
    assert renewed.status_code == 201
    new_id = renewed.json()["share_id"]
    assert new_id != share_id
    assert uuid.UUID(new_id).version == 4
    assert (await client.get(f"/api/session/{new_id}/status")).status_code == 200
    assert (await client.get(f"/api/session/{share_id}/status")).status_code == 404


async def test_a_deleted_library_takes_its_share_link_along(client: AppClient) -> None:
    session_id, share_id = await shared_library(client)
    assert (await client.delete(f"/api/session/{session_id}")).status_code == 204
    assert (await client.get(f"/api/session/{share_id}/status")).status_code == 404


async def test_a_share_id_is_not_a_key_to_another_share(client: AppClient) -> None:
    """A share id given as a share id's owner (sharing the share) is unknown."""
    _, share_id = await shared_library(client)
    response = await client.post(f"/api/session/{share_id}/share")
    assert response.status_code == 404
    assert response.json() == {"error": "SessionNotFound", "detail": "no session with this id"}


async def test_the_shared_dashboard_is_read_only_and_names_the_owner(client: AppClient) -> None:
    session_id, share_id = await shared_library(client)
    username = (await client.get(f"/api/session/{session_id}")).json()["username"]
    page = (await client.get(f"/session/{share_id}")).text
    assert session_id not in page
    assert session_id.replace("-", "") not in page
    assert f'data-session-id="{share_id}"' in page
    assert 'data-access="viewer"' in page
    assert "shared-banner" in page
    assert "read-only" in page
    if username:
        assert username in page
    for owner_only in ("/review", "/data", "export.", "My data", "cancel-button"):
        assert owner_only not in page, owner_only
    owner_page = (await client.get(f"/session/{session_id}")).text
    assert 'data-access="owner"' in owner_page
    assert "shared-banner" not in owner_page
    assert "/review" in owner_page
    assert "My data" in owner_page


async def test_share_ids_never_reach_the_logs_in_full(
    client: AppClient, capfd: pytest.CaptureFixture[str]
) -> None:
    session_id, share_id = await shared_library(client)
    for suffix in ("", "/status", "/movies", "/stats", "/events", "/export.csv", "/share"):
        await client.get(f"/api/session/{share_id}{suffix}")
    await client.get(f"/session/{share_id}")
    await client.app.state.runner.wait_idle()
    logged = capfd.readouterr()
    assert share_id[:8] in logged.err  # the access log's lines are there, with a short prefix
    for full in (share_id, session_id):
        for text in (full, full.replace("-", "")):
            assert text not in logged.err
            assert text not in logged.out


async def test_a_viewers_progress_stream_ends_once_the_link_is_revoked(
    client: AppClient,
) -> None:
    session_id, share_id = await shared_library(client)
    sessionmaker = client.app.state.sessionmaker
    stream = progress_events(sessionmaker, uuid.UUID(session_id), shared=uuid.UUID(share_id))
    first = await anext(stream)
    assert json.loads(first["data"])["session_id"] == share_id
    await stream.aclose()  # type: ignore[attr-defined]  # an async generator
    assert (await client.delete(f"/api/session/{session_id}/share")).status_code == 204
    stream = progress_events(sessionmaker, uuid.UUID(session_id), shared=uuid.UUID(share_id))
    events = [event async for event in stream]
    assert events == [
        {
            "event": "end",
            "data": json.dumps({"error": "SessionNotFound", "detail": "the session was deleted"}),
        }
    ]  # as a deletion ends it: the viewer learns nothing more


async def test_a_share_asked_for_twice_at_once_keeps_the_first_link(client: AppClient) -> None:
    """The second request read the session before the first one stored its link."""
    upload = await client.post("/api/upload", files=multipart(("e.zip", make_zip(small_export()))))
    session_id = uuid.UUID(upload.json()["session_id"])
    async with client.app.state.sessionmaker() as db, db.begin():
        stale = await repository.get(db, session_id)
        assert stale is not None
        first = uuid.uuid4()
        assert await repository.set_share_id(db, session_id, first)  # the first request's
        assert stale.share_id is None  # what the second request still holds
        assert await sharing.share(db, stale) == (first, False)
