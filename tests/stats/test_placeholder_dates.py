"""Placeholder dates: a day holding an implausible number of viewings (a back-filled diary) is
reported, and left out of every figure by date; its viewings still count as viewings."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from letterboxd_stats.stats.compute import compute_stats, placeholder_days, placeholder_note
from letterboxd_stats.stats.rows import SessionRows
from tests.fixtures.apps import AppFactory
from tests.fixtures.exports import DIARY, FILM, csv_text, make_zip, multipart
from tests.fixtures.stats_rows import film, viewing
from tests.fixtures.uploads import wait_completed

PLACEHOLDER = "2000-01-01"  # a Saturday


def _back_filled(placeholder_viewings: int = 25) -> SessionRows:
    """Films 1..n logged on the placeholder date, then real viewings: 2024-03-04 (a Monday) to
    2024-03-06 (three days running, two films on the 5th), and 2024-04-10 (a Wednesday)."""
    back = [viewing(n, PLACEHOLDER) for n in range(1, placeholder_viewings + 1)]
    real = [
        viewing(1, "2024-03-04", rewatch=True),
        viewing(2, "2024-03-05", rewatch=True),
        viewing(3, "2024-03-05", rewatch=True),
        viewing(4, "2024-03-06", rewatch=True),
        viewing(5, "2024-04-10", rewatch=True),
    ]
    films = [film(n) for n in range(1, placeholder_viewings + 1)]
    return SessionRows(films=films, viewings=[*back, *real])


def test_a_placeholder_day_is_reported_and_left_out_of_figures_by_date() -> None:
    diary = compute_stats(_back_filled(), None, placeholder_day_viewings=20).diary
    assert [(p.date, p.viewings) for p in diary.placeholder_dates] == [(date(2000, 1, 1), 25)]
    assert diary.placeholder_note is not None
    assert "25 viewings on 2000-01-01" in diary.placeholder_note
    # they count as viewings
    assert diary.viewings == 30
    assert (diary.first_watches, diary.rewatches) == (25, 5)
    assert [(f.film_id, f.value) for f in diary.most_viewed][:2] == [(1, 2), (2, 2)]
    # and in nothing by date
    streak = diary.longest_streak
    assert (streak.days, streak.start, streak.end) == (3, date(2024, 3, 4), date(2024, 3, 6))
    assert diary.busiest_day is not None
    assert (diary.busiest_day.date, diary.busiest_day.viewings) == (date(2024, 3, 5), 2)
    assert [f.film_id for f in diary.busiest_day.films] == [2, 3]
    assert diary.days_with_two_or_more == 1
    assert {w.weekday: w.viewings for w in diary.by_weekday} == {
        "Monday": 1,
        "Tuesday": 2,
        "Wednesday": 2,
        "Thursday": 0,
        "Friday": 0,
        "Saturday": 0,
        "Sunday": 0,
    }
    assert diary.by_week[0].period == "2024-W10"  # the weeks start at the first real viewing
    assert sum(w.viewings for w in diary.by_week) == 5
    assert diary.weeks_spanned == len(diary.by_week) == 6
    assert [(m.period, m.viewings) for m in diary.by_month] == [("2024-03", 4), ("2024-04", 1)]
    assert (diary.months_spanned, diary.average_per_month) == (2, 2.5)
    assert [(m.label, m.number, m.date) for m in diary.milestones] == [
        ("first", 1, date(2024, 3, 4)),
        ("last", 5, date(2024, 4, 10)),
    ]


def test_without_a_threshold_every_day_is_a_date() -> None:
    """The default of compute_stats (0) and a day just under the threshold: as before."""
    for diary in (
        compute_stats(_back_filled(), None).diary,
        compute_stats(_back_filled(19), None, placeholder_day_viewings=20).diary,
    ):
        assert diary.placeholder_dates == []
        assert diary.placeholder_note is None
        assert diary.busiest_day is not None
        assert diary.busiest_day.date == date(2000, 1, 1)
        assert diary.by_week[0].period == "1999-W52"
        assert diary.milestones[0].date == date(2000, 1, 1)
    at_threshold = compute_stats(_back_filled(20), None, placeholder_day_viewings=20).diary
    assert [p.viewings for p in at_threshold.placeholder_dates] == [20]


def test_the_year_of_a_placeholder_date() -> None:
    """The year in review of the placeholder's year: its viewings are the year's viewings, and
    the year has no real date at all."""
    rows = _back_filled()
    rows.viewings.append(viewing(6, "2000-06-15"))
    diary = compute_stats(rows, 2000, placeholder_day_viewings=20).diary
    assert diary.viewings == 26
    assert [p.date for p in diary.placeholder_dates] == [date(2000, 1, 1)]
    assert len(diary.by_month) == 12  # a year's months, zero-filled as ever
    assert sum(m.viewings for m in diary.by_month) == 1
    assert [(m.label, m.date) for m in diary.milestones] == [
        ("first", date(2000, 6, 15)),
        ("last", date(2000, 6, 15)),
    ]
    later = compute_stats(rows, 2024, placeholder_day_viewings=20).diary
    assert (later.viewings, later.placeholder_dates, later.placeholder_note) == (5, [], None)


def test_a_diary_only_of_placeholder_dates() -> None:
    rows = SessionRows(
        films=[film(1)],
        viewings=[viewing(1, PLACEHOLDER)] * 3 + [viewing(1, "2001-01-01")] * 4,
    )
    diary = compute_stats(rows, None, placeholder_day_viewings=3).diary
    assert [(p.date.year, p.viewings) for p in diary.placeholder_dates] == [(2000, 3), (2001, 4)]
    assert diary.viewings == 7
    assert (diary.by_month, diary.by_week, diary.milestones) == ([], [], [])
    assert (diary.months_spanned, diary.weeks_spanned, diary.average_per_week) == (0, 0, 0.0)
    assert diary.busiest_day is None
    assert diary.longest_streak.days == 0
    assert diary.placeholder_note is not None
    assert "7 viewings on 2 days (2000-01-01, 2001-01-01)" in diary.placeholder_note


def test_placeholder_days_and_their_note() -> None:
    day = date(2000, 1, 1)
    per_day = {day + timedelta(days=n): n for n in range(1, 8)}
    assert placeholder_days(per_day, 6) == {date(2000, 1, 8): 7, date(2000, 1, 7): 6}
    assert list(placeholder_days(per_day, 6)) == [date(2000, 1, 7), date(2000, 1, 8)]
    assert placeholder_days(per_day, 0) == {}
    assert placeholder_note({}) is None
    many = placeholder_days(per_day, 3)
    note = placeholder_note(many)
    assert note is not None
    assert note.startswith("25 viewings on 5 days (the first 2000-01-04) look back-filled")


# --- through the app: the setting, the answer ---


def _back_filled_export(on_placeholder: int) -> bytes:
    rows = [
        f"2020-05-01,Film {n},2000,https://boxd.it/e{n},,,,{PLACEHOLDER}"
        for n in range(1, on_placeholder + 1)
    ]
    rows.append("2024-03-05,Film 1,2000,https://boxd.it/r1,4,Yes,,2024-03-04")
    watched = [
        f"2020-05-01,Film {n},2000,https://boxd.it/f{n}" for n in range(1, on_placeholder + 1)
    ]
    return make_zip({"watched.csv": csv_text(FILM, watched), "diary.csv": csv_text(DIARY, rows)})


async def _diary(client: httpx.AsyncClient, payload: bytes) -> dict[str, Any]:
    response = await client.post("/api/upload", files=multipart(("export.zip", payload)))
    assert response.status_code == 202, response.text
    session_id = response.json()["session_id"]
    await wait_completed(client, session_id)
    stats = await client.get(f"/api/session/{session_id}/stats")
    assert stats.status_code == 200, stats.text
    diary: dict[str, Any] = stats.json()["diary"]
    return diary


async def test_the_stats_answer_reports_placeholder_dates(client: httpx.AsyncClient) -> None:
    diary = await _diary(client, _back_filled_export(24))  # the default threshold is 20
    assert diary["placeholder_dates"] == [{"date": PLACEHOLDER, "viewings": 24}]
    assert "24 viewings on 2000-01-01" in diary["placeholder_note"]
    assert diary["viewings"] == 25
    assert diary["busiest_day"]["date"] == "2024-03-04"
    assert [m["date"] for m in diary["milestones"]] == ["2024-03-04", "2024-03-04"]


async def test_placeholder_day_viewings_is_a_setting(make_client: AppFactory) -> None:
    strict = await make_client(placeholder_day_viewings=5)
    diary = await _diary(strict, _back_filled_export(6))
    assert [p["viewings"] for p in diary["placeholder_dates"]] == [6]
    off = await make_client(placeholder_day_viewings=0)
    diary = await _diary(off, _back_filled_export(30))
    assert (diary["placeholder_dates"], diary["placeholder_note"]) == ([], None)
    assert diary["busiest_day"]["date"] == PLACEHOLDER
