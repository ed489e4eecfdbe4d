"""GET /api/session/{id}/watchlist: the taste model trained as the enrichment job's last step
(never in a request), its accuracy block, predictions ranked and filtered, bad
parameters 422, too few ratings said so, a change retrained, a share id read-only."""

from __future__ import annotations

import random
import uuid
from typing import Any

import pytest

from letterboxd_stats.watchlist.constants import MIN_RATED
from letterboxd_stats.watchlist.repository import model_state
from tests.fixtures.apps import AppClient
from tests.fixtures.exports import FILM, RATINGS, csv_text, make_zip
from tests.fixtures.tmdb import TMDB_SETTINGS, FakeFilm, FakeTmdb
from tests.fixtures.uploads import upload_completed

RATED = [FakeFilm(1000 + i, f"Rated {i}", 1960 + i % 50, popularity=5 + i) for i in range(70)]
LISTED = [FakeFilm(2000 + i, f"Listed {i}", 1970 + i * 5, popularity=50 - i) for i in range(8)]


def _export(rated: list[FakeFilm]) -> bytes:
    rng = random.Random(7)
    return make_zip(
        {
            "watched.csv": csv_text(FILM, [f"2024-01-01,{f.title},{f.year}," for f in rated]),
            "ratings.csv": csv_text(
                RATINGS, [f"2024-01-01,{f.title},{f.year},,{rng.randint(1, 10) / 2}" for f in rated]
            ),
            "watchlist.csv": csv_text(
                FILM, [f"2024-02-{i + 1:02d},{f.title},{f.year}," for i, f in enumerate(LISTED)]
            ),
        }
    )


async def _library(make_client: Any, rated: list[FakeFilm]) -> tuple[AppClient, str]:
    client: AppClient = await make_client(
        tmdb_transport=FakeTmdb([*RATED, *LISTED]).transport(), **TMDB_SETTINGS
    )
    session_id = await upload_completed(client, _export(rated))
    await client.app.state.runner.wait_idle()  # the watchlist follows the library
    return client, session_id


async def _trained(client: AppClient, path: str) -> dict[str, Any]:
    first = (await client.get(path)).json()
    await client.app.state.trainer.wait_idle()
    body: dict[str, Any] = (await client.get(path)).json()
    assert first["model"]["status"] == "training" or first["model"]["up_to_date"]
    return body


async def test_the_watchlist_ranked_by_a_model_trained_in_the_background(
    make_client: Any,
) -> None:
    client, session_id = await _library(make_client, RATED)
    # trained as the job's last step: ready before anyone asks, and no request trains
    assert not client.app.state.trainer.training(uuid.UUID(session_id))
    body = (await client.get(f"/api/session/{session_id}/watchlist")).json()
    assert not client.app.state.trainer.training(uuid.UUID(session_id))
    assert body["total"] == len(LISTED)
    model = body["model"]
    assert model["status"] == "ready"
    assert model["up_to_date"]
    assert model["rated"] == len(RATED)
    assert model["ranked_by"] in ("model", "tmdb_average")
    assert model["model"]["mae"] > 0
    assert model["mean_rating"]["spearman"] is None
    assert "★" in model["summary"]
    predicted = [item["predicted"] for item in body["items"]]
    assert all(p is not None and 0.5 <= p <= 5 for p in predicted)
    assert predicted == sorted(predicted, reverse=True)
    first_item = body["items"][0]
    assert first_item["low"] <= first_item["predicted"] <= first_item["high"]
    assert first_item["genres"] == ["Drama", "Crime"]


async def test_a_job_resumed_in_its_last_phase_does_not_train_again(make_client: Any) -> None:
    """A restart during the completion phase resumes the job, whose last steps run again: the
    model of the library's version is stored already, and kept (no second training)."""
    client, session_id = await _library(make_client, RATED)
    trainer = client.app.state.trainer

    async def trained_at() -> Any:
        async with client.app.state.sessionmaker() as db:
            return (await model_state(db, uuid.UUID(session_id))).trained_at

    before = await trained_at()
    await trainer.train(uuid.UUID(session_id))  # what a resumed job's last steps do
    assert await trained_at() == before  # a change is trained again: the test below


async def test_filters_and_sorts(make_client: Any) -> None:
    client, session_id = await _library(make_client, RATED)
    path = f"/api/session/{session_id}/watchlist"
    await _trained(client, path)
    by_runtime = (await client.get(f"{path}?sort=runtime")).json()["items"]
    runtimes = [i["runtime"] for i in by_runtime]
    assert runtimes == sorted(runtimes)
    short = (await client.get(f"{path}?max_runtime={runtimes[2]}")).json()
    assert short["total"] == sum(1 for r in runtimes if r <= runtimes[2])
    seventies = (await client.get(f"{path}?decade=1970")).json()
    assert {i["year"] for i in seventies["items"]} == {1970, 1975}
    assert (await client.get(f"{path}?genre=crime")).json()["total"] == len(LISTED)
    assert (await client.get(f"{path}?genre=Horror")).json()["total"] == 0
    added = (await client.get(f"{path}?sort=added&limit=2&offset=1")).json()
    assert [i["title"] for i in added["items"]] == ["Listed 6", "Listed 5"]  # newest first
    top = max(i["predicted"] for i in by_runtime)
    assert (await client.get(f"{path}?min_predicted={top}")).json()["total"] >= 1


@pytest.mark.parametrize(
    "query",
    ["sort=rating", "decade=1975", "max_runtime=0", "min_predicted=6", "limit=0", "offset=-1"],
)
async def test_bad_parameters_are_422_with_a_message(make_client: Any, query: str) -> None:
    client: AppClient = await make_client()
    export = make_zip({"watched.csv": csv_text(FILM, ["2024-01-01,Heat,1995,"])})
    session_id = await upload_completed(client, export)
    answer = await client.get(f"/api/session/{session_id}/watchlist?{query}")
    assert answer.status_code == 422
    assert query.split("=")[0] in answer.json()["detail"]


async def test_too_few_rated_films_are_said_so(make_client: Any) -> None:
    client, session_id = await _library(make_client, RATED[: MIN_RATED - 1])
    body = await _trained(client, f"/api/session/{session_id}/watchlist")
    assert body["model"]["status"] == "too_few"
    assert body["model"]["rated"] == MIN_RATED - 1
    assert str(MIN_RATED) in body["model"]["summary"]
    assert all(item["predicted"] is None for item in body["items"])


async def test_a_change_is_retrained_and_a_share_id_reads(make_client: Any) -> None:
    client, session_id = await _library(make_client, RATED)
    path = f"/api/session/{session_id}/watchlist"
    await _trained(client, path)
    fixed = await client.put(f"/api/session/{session_id}/movies/1/match", json={"tmdb_id": 1001})
    assert fixed.status_code == 200, fixed.text
    stale = (await client.get(path)).json()["model"]
    assert stale["status"] == "ready"
    assert not stale["up_to_date"]  # the earlier result, while the new one is computed
    await client.app.state.trainer.wait_idle()
    assert (await client.get(path)).json()["model"]["up_to_date"]
    share_id = (await client.post(f"/api/session/{session_id}/share")).json()["share_id"]
    shared = await client.get(f"/api/session/{share_id}/watchlist")
    assert shared.status_code == 200
    assert shared.json()["total"] == len(LISTED)
