"""Where to watch the watchlist's films: TMDB's `watch/providers` (JustWatch's data) come with
the details the enrichment fetches (no request of their own), films cached before or offers
over a week old are asked for alone in the background when the watchlist is opened; offers by
region, the library's region and services saved by its owner, the `region` and `providers`
filters, bad values 422, TMDB failing leaves them pending."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.models import TmdbMovie, WatchOffer
from tests.fixtures.apps import AppClient
from tests.fixtures.exports import FILM, csv_text, make_zip
from tests.fixtures.tmdb import TMDB_SETTINGS, FakeFilm, FakeTmdb
from tests.fixtures.uploads import upload_completed

# FakeFilm.offers(): ids divisible by 3 nowhere; else in the US even ids on Netflix (8), odd
# ones to rent on Apple TV (2); in GB to buy on Apple TV.
LISTED = [FakeFilm(3000 + i, f"Listed {i}", 1980 + i, popularity=50 - i) for i in range(9)]
NETFLIX = {f.id for f in LISTED if f.id % 3 and f.id % 2 == 0}
APPLE = {f.id for f in LISTED if f.id % 3 and f.id % 2}
NOWHERE = {f.id for f in LISTED if f.id % 3 == 0}


def _export() -> bytes:
    return make_zip(
        {
            "watched.csv": csv_text(FILM, ["2024-01-01,Unlisted Film,1999,"]),
            "watchlist.csv": csv_text(
                FILM, [f"2024-02-{i + 1:02d},{f.title},{f.year}," for i, f in enumerate(LISTED)]
            ),
        }
    )


async def _library(make_client: Any, fake: FakeTmdb) -> tuple[AppClient, str]:
    client: AppClient = await make_client(tmdb_transport=fake.transport(), **TMDB_SETTINGS)
    session_id = await upload_completed(client, _export())
    await client.app.state.runner.wait_idle()  # the watchlist, its providers, the model
    return client, session_id


def _by_id(body: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {item["tmdb_id"]: item for item in body["items"]}


async def test_offers_come_with_the_details_and_are_shown_by_region(make_client: Any) -> None:
    fake = FakeTmdb(LISTED)
    client, session_id = await _library(make_client, fake)
    assert fake.requests["providers"] == 0  # appended to the details: no request of their own
    body = (await client.get(f"/api/session/{session_id}/watchlist")).json()
    where = body["where"]
    assert (where["region"], where["region_name"], where["pending"]) == ("US", "United States", 0)
    assert where["saved_region"] is None  # the server's WATCH_REGION
    assert body["choices"] == {
        "genres": ["Crime", "Drama"],
        "decades": sorted({f.year // 10 * 10 for f in LISTED}),
    }
    assert "JustWatch" in where["attribution"]
    assert [(p["id"], p["name"], p["films"]) for p in where["providers"]] == [
        (8, "Netflix", len(NETFLIX))
    ]  # what streams; Apple TV only rents here
    assert {r["code"]: r["films"] for r in where["regions"]} == {
        "US": len(NETFLIX) + len(APPLE),
        "GB": len(NETFLIX) + len(APPLE),
    }
    items = _by_id(body)
    for tmdb_id in NETFLIX:
        offers = items[tmdb_id]["offers"]
        assert [p["name"] for p in offers["flatrate"]] == ["Netflix"]
        assert offers["link"].endswith(f"/movie/{tmdb_id}/watch?locale=US")
        assert offers["flatrate"][0]["logo_path"] == "/netflix.jpg"
    for tmdb_id in APPLE:
        assert [p["id"] for p in items[tmdb_id]["offers"]["rent"]] == [2]
    for tmdb_id in NOWHERE:  # known, and offered nowhere
        assert items[tmdb_id]["offers"] == {
            "link": None, "flatrate": [], "free": [], "ads": [], "rent": [], "buy": [],
        }  # fmt: skip

    gb = (await client.get(f"/api/session/{session_id}/watchlist?region=gb")).json()
    assert gb["where"]["region"] == "GB"
    assert gb["where"]["providers"] == []  # nothing streams there, all is to buy
    assert {i["tmdb_id"] for i in gb["items"] if i["offers"]["buy"]} == NETFLIX | APPLE


async def test_the_providers_filter_keeps_what_streams_on_them(make_client: Any) -> None:
    client, session_id = await _library(make_client, FakeTmdb(LISTED))
    path = f"/api/session/{session_id}/watchlist"
    on_netflix = (await client.get(f"{path}?providers=8")).json()
    assert {i["tmdb_id"] for i in on_netflix["items"]} == NETFLIX
    assert on_netflix["total"] == len(NETFLIX)
    # renting is not streaming: Apple TV keeps nothing
    assert (await client.get(f"{path}?providers=2")).json()["total"] == 0
    assert (await client.get(f"{path}?providers=2,8")).json()["total"] == len(NETFLIX)
    both = (await client.get(f"{path}?providers=8&max_runtime=1000&sort=runtime")).json()
    assert both["total"] == len(NETFLIX)


async def test_the_owner_saves_a_region_and_services(make_client: Any) -> None:
    client, session_id = await _library(make_client, FakeTmdb(LISTED))
    saved = await client.put(
        f"/api/session/{session_id}/watch-settings", json={"region": "gb", "services": [8, 8, 2]}
    )
    assert saved.status_code == 200, saved.text
    assert saved.json() == {"region": "GB", "services": [2, 8]}
    body = (await client.get(f"/api/session/{session_id}/watchlist")).json()
    assert (body["where"]["region"], body["where"]["services"]) == ("GB", [2, 8])
    assert body["where"]["saved_region"] == "GB"
    share_id = (await client.post(f"/api/session/{session_id}/share")).json()["share_id"]
    shared = (await client.get(f"/api/session/{share_id}/watchlist")).json()
    assert shared["where"]["region"] == "GB"  # a viewer sees the owner's region ...
    refused = await client.put(
        f"/api/session/{share_id}/watch-settings", json={"region": "FR", "services": []}
    )
    assert refused.status_code == 404  # ... and cannot change it
    back = await client.put(f"/api/session/{session_id}/watch-settings", json={"services": []})
    assert back.json() == {"region": None, "services": []}
    assert (await client.get(f"/api/session/{session_id}/watchlist")).json()["where"][
        "region"
    ] == "US"  # the server's WATCH_REGION again


async def test_bad_regions_and_providers_are_422_with_a_message(make_client: Any) -> None:
    client, session_id = await _library(make_client, FakeTmdb(LISTED))
    path = f"/api/session/{session_id}/watchlist"
    for query, named in [
        ("region=XX", "region"),
        ("region=USA", "region"),
        ("providers=netflix", "providers"),
        ("providers=", "providers"),
    ]:
        answer = await client.get(f"{path}?{query}")
        assert answer.status_code == 422, query
        assert named in answer.json()["detail"], answer.text
    for body in [{"region": "ZZ"}, {"region": "U1"}, {"services": [0]}, {"services": "8"}]:
        answer = await client.put(f"/api/session/{session_id}/watch-settings", json=body)
        assert answer.status_code == 422, body
        assert answer.json()["detail"], answer.text


async def test_without_tmdb_nothing_is_pending(make_client: Any) -> None:
    client: AppClient = await make_client()  # no TMDB credentials: nothing will be fetched
    session_id = await upload_completed(client, _export())
    body = (await client.get(f"/api/session/{session_id}/watchlist")).json()
    assert body["where"]["pending"] == 0
    assert all(item["offers"] is None for item in body["items"])


async def _forget_offers(engine: AsyncEngine, fetched_at: datetime | None) -> None:
    async with engine.begin() as conn:
        await conn.execute(update(TmdbMovie).values(providers_fetched_at=fetched_at))
        if fetched_at is None:
            await conn.execute(delete(WatchOffer))


async def test_missing_or_week_old_offers_are_fetched_when_the_watchlist_is_opened(
    make_client: Any, engine: AsyncEngine
) -> None:
    fake = FakeTmdb(LISTED)
    client, session_id = await _library(make_client, fake)
    path = f"/api/session/{session_id}/watchlist"
    await _forget_offers(engine, None)  # details cached before offers were fetched
    first = (await client.get(path)).json()
    assert first["where"]["pending"] == len(LISTED)
    assert all(item["offers"] is None for item in first["items"])  # not known yet
    await client.app.state.providers.wait_idle()
    assert fake.requests["providers"] == len(LISTED)  # one request each, alone
    after = (await client.get(path)).json()
    assert after["where"]["pending"] == 0
    assert {i["tmdb_id"] for i in after["items"] if i["offers"]["flatrate"]} == NETFLIX

    await _forget_offers(engine, datetime.now(UTC) - timedelta(days=6))
    (await client.get(path)).json()
    await client.app.state.providers.wait_idle()
    assert fake.requests["providers"] == len(LISTED)  # six days old: kept
    await _forget_offers(engine, datetime.now(UTC) - timedelta(days=8))
    stale = (await client.get(path)).json()
    assert stale["where"]["pending"] == len(LISTED)
    assert stale["items"][0]["offers"] is not None  # the old offers, meanwhile
    await client.app.state.providers.wait_idle()
    assert fake.requests["providers"] == 2 * len(LISTED)


async def test_tmdb_failing_leaves_the_offers_pending(
    make_client: Any, engine: AsyncEngine
) -> None:
    fake = FakeTmdb(LISTED)
    client, session_id = await _library(make_client, fake)
    path = f"/api/session/{session_id}/watchlist"
    await _forget_offers(engine, None)
    fake.failing_ids = {f.id for f in LISTED}
    fake.failing_paths = {f"/3/movie/{f.id}/watch/providers" for f in LISTED}
    assert (await client.get(path)).status_code == 200
    await client.app.state.providers.wait_idle()
    body = (await client.get(path)).json()
    assert body["where"]["pending"] == len(LISTED)  # asked again next time
    assert all(item["offers"] is None for item in body["items"])
    # a film TMDB no longer knows is offered nowhere (not asked again for a week)
    fake.failing_paths = set()
    fake.films = LISTED[1:]
    await client.app.state.providers.wait_idle()
    (await client.get(path)).json()
    await client.app.state.providers.wait_idle()
    body = (await client.get(path)).json()
    assert body["where"]["pending"] == 0
    gone = _by_id(body)[LISTED[0].id]["offers"]
    assert gone is not None
    assert gone["flatrate"] == gone["rent"] == gone["buy"] == []
