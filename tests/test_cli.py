"""The `letterboxd-stats` command run as a user would (its own process): analyze, and what
serve and worker refuse on SQLite; analyze in this process with TMDB faked at the HTTP boundary."""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from sqlalchemy import select

from letterboxd_stats.analyze import analyze, render_watchlist
from letterboxd_stats.db import session_scope
from letterboxd_stats.models import SessionStatus, UploadSession
from letterboxd_stats.sessions import repository as sessions_repository
from tests.fixtures.apps import make_settings
from tests.fixtures.exports import FILM, RATINGS, csv_text, make_zip, small_export
from tests.fixtures.tmdb import API_KEY, FakeFilm, FakeTmdb

pytestmark = pytest.mark.process


async def _run(*args: str, cwd: Path) -> tuple[int, str, str]:
    env = os.environ | {"DATABASE_URL": f"sqlite:///{cwd}/analyze.db"}
    env.pop("TMDB_API_KEY", None)
    env.pop("TMDB_BEARER_TOKEN", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "letterboxd_stats", *args,
        env=env, cwd=cwd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    return process.returncode or 0, out.decode(), err.decode()


async def test_analyze_prints_the_stats_as_json_and_as_tables() -> None:
    directory = Path(tempfile.mkdtemp(prefix="letterboxd-stats-analyze-"))
    export = directory / "export.zip"
    export.write_bytes(make_zip(small_export()))

    code, out, err = await _run("analyze", str(export), "--json", cwd=directory)
    assert code == 0, err
    stats = json.loads(out)
    assert stats["totals"]["films"] == 4
    assert stats["totals"]["viewings"] == 3
    assert stats["ratings"]["rated"] == 2
    assert "TMDB enrichment is disabled" in err

    code, out, err = await _run("analyze", str(export), "--year", "2024", cwd=directory)
    assert code == 0, err
    assert "totals" in out
    assert "viewings" in out


async def test_analyze_reports_a_bad_export_with_its_line() -> None:
    directory = Path(tempfile.mkdtemp(prefix="letterboxd-stats-analyze-"))
    bad = directory / "diary.csv"
    bad.write_text("Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\nnope\n")
    code, _out, err = await _run("analyze", str(bad), cwd=directory)
    assert code == 2
    assert "InvalidRow" in err
    assert "diary.csv: line 2" in err


async def test_sqlite_refuses_several_processes_and_external_workers() -> None:
    directory = Path(tempfile.mkdtemp(prefix="letterboxd-stats-cli-"))
    code, _, err = await _run("serve", "--workers=2", cwd=directory)
    assert code == 2
    assert "several API processes need PostgreSQL" in err
    code, _, err = await _run("worker", cwd=directory)
    assert code == 2
    assert "workers need PostgreSQL" in err


async def test_analyze_stops_following_a_session_cancelled_meanwhile(
    database_url: str, sessionmaker: Any, tmp_path: Path
) -> None:
    """Cancelled elsewhere (the web page of a server on the same database) while analyze
    follows it: analyze stops following and prints the statistics of what it has."""
    export = tmp_path / "export.zip"
    export.write_bytes(make_zip(small_export()))
    fake = FakeTmdb([FakeFilm(949, "Heat", 1995), FakeFilm(194, "Amélie", 2001)], hold_after=2)
    settings = make_settings(
        database_url,
        tmdb_api_key=API_KEY,
        tmdb_base_url="https://tmdb.test/3",
        tmdb_backoff_seconds=0,
        tmdb_max_connections=1,
    )
    out = io.StringIO()
    console = Console(file=out, width=120)
    running = asyncio.create_task(
        analyze(export, None, settings, console, tmdb_transport=fake.transport())
    )
    for _ in range(1000):  # TMDB answered twice and now hangs: the session is enriching
        if fake.served >= 2 or running.done():
            break
        await asyncio.sleep(0.01)
    assert not running.done()
    async with session_scope(sessionmaker) as db:
        session_id = (await db.execute(select(UploadSession.id))).scalar_one()
        assert await sessions_repository.mark_cancelled(db, session_id)
    fake.release.set()

    stats = await asyncio.wait_for(running, timeout=30)  # before: polled for ever
    assert stats["session_id"] == str(session_id)
    assert stats["totals"]["films"] == 4
    assert "Cancelled by the user" in out.getvalue()
    async with session_scope(sessionmaker) as db:
        session = await db.get(UploadSession, session_id)
        assert session is not None
        assert session.status is SessionStatus.cancelled


async def test_analyze_prints_the_top_20_of_the_watchlist_by_predicted_rating(
    database_url: str, tmp_path: Path
) -> None:
    rated = [FakeFilm(5000 + i, f"Rated {i}", 1960 + i % 50) for i in range(60)]
    listed = [FakeFilm(6000 + i, f"Listed {i}", 1970 + i, popularity=40 - i) for i in range(25)]
    export = tmp_path / "export.zip"
    export.write_bytes(
        make_zip(
            {
                "watched.csv": csv_text(FILM, [f"2024-01-01,{f.title},{f.year}," for f in rated]),
                "ratings.csv": csv_text(
                    RATINGS,
                    [
                        f"2024-01-01,{f.title},{f.year},,{1 + i % 9 / 2}"
                        for i, f in enumerate(rated)
                    ],
                ),
                "watchlist.csv": csv_text(
                    FILM, [f"2024-02-01,{f.title},{f.year}," for f in listed]
                ),
            }
        )
    )
    settings = make_settings(
        database_url, tmdb_api_key=API_KEY, tmdb_base_url="https://tmdb.test/3",
        tmdb_backoff_seconds=0, tmdb_rate_limit=1000.0,
    )  # fmt: skip
    out = io.StringIO()
    fake = FakeTmdb([*rated, *listed])
    stats = await analyze(
        export, None, settings, Console(file=out, width=200), tmdb_transport=fake.transport()
    )
    watchlist = stats["watchlist"]
    assert watchlist["total"] == 25
    assert watchlist["model"]["status"] == "ready"
    predicted = [item["predicted"] for item in watchlist["items"]]
    assert len(predicted) == 20
    assert all(p is not None for p in predicted)
    assert predicted == sorted(predicted, reverse=True)

    render_watchlist(watchlist, Console(file=out, width=200))
    printed = out.getvalue()
    assert "What to watch next" in printed
    assert watchlist["model"]["summary"][:40] in printed
    assert watchlist["items"][0]["title"] in printed
    assert "Netflix" in printed  # where the even-numbered films stream (FakeFilm.offers)
    assert "JustWatch" in printed
