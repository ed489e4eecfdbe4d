"""Dates already stored, whatever their range, never fail a statistic nor grow its answer
(issue 13, items 4 and 5). Imports now reject such dates: these sessions are stored as an
import before that bound stored them."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from letterboxd_stats.ingest import repository
from letterboxd_stats.ingest.library import build_library
from letterboxd_stats.ingest.records import DiaryRow, ParsedExport
from tests.fixtures.apps import AppClient


def _viewing(title: str, on: date) -> DiaryRow:
    return DiaryRow(on, title, 2000, None, 8, False, (), on)


async def _stored(client: AppClient, *days: date) -> str:
    export = ParsedExport(diary=[_viewing(f"Film {n}", day) for n, day in enumerate(days)])
    session_id = uuid.uuid4()
    async with client.app.state.sessionmaker() as db, db.begin():
        await repository.insert_library(
            db,
            session_id,
            build_library(export),
            now=datetime.now(UTC),
            trace_id=None,
        )
    return str(session_id)


@pytest.mark.parametrize(
    "days",
    [
        (date(2024, 1, 2), date(9999, 12, 27)),
        (date(9999, 12, 31),),
        (date(1, 1, 1), date(9999, 12, 31)),
        (date(1, 1, 1),),
    ],
)
async def test_dates_at_the_ends_of_the_calendar_have_statistics(
    client: AppClient, days: tuple[date, ...]
) -> None:
    session_id = await _stored(client, *days)
    for query in ("", "?year=2024", "?year=2100"):
        response = await client.get(f"/api/session/{session_id}/stats{query}")
        assert response.status_code == 200, response.text
    body = (await client.get(f"/api/session/{session_id}/stats")).json()
    assert sum(w["viewings"] for w in body["diary"]["by_week"]) == len(days)
    assert sum(m["viewings"] for m in body["diary"]["by_month"]) == len(days)
    assert body["diary"]["milestones"][-1]["date"] == max(days).isoformat()


async def test_a_two_row_diary_spanning_the_calendar_has_a_small_answer(client: AppClient) -> None:
    """It was 22.3 MB: 521 k zero weeks."""
    session_id = await _stored(client, date(1, 1, 1), date(9999, 12, 20))
    response = await client.get(f"/api/session/{session_id}/stats")
    assert response.status_code == 200
    assert len(response.content) < 20_000
    diary = response.json()["diary"]
    assert [w["period"] for w in diary["by_week"]] == ["0001-W01", "9999-W51"]
    assert [m["period"] for m in diary["by_month"]] == ["0001-01", "9999-12"]
    assert diary["weeks_spanned"] == 521_722
