"""`letterboxd-stats compare A B`: two exports (imported and enriched, TMDB faked at the HTTP
boundary) or two library ids; tables or JSON; a bad argument is a clear error."""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
import tempfile
from pathlib import Path

import pytest
from rich.console import Console

from letterboxd_stats.compare.command import compare_command, render
from letterboxd_stats.errors import SessionNotFound
from tests.fixtures.apps import make_settings
from tests.fixtures.exports import FILM, RATINGS, csv_text, make_zip
from tests.fixtures.tmdb import API_KEY, FakeFilm, FakeTmdb

CATALOGUE = [FakeFilm(949, "Heat", 1995), FakeFilm(348, "Alien", 1979), FakeFilm(19, "Ran", 1985)]


def _export(ratings: dict[str, str]) -> bytes:
    years = {f.title: f.year for f in CATALOGUE}
    return make_zip(
        {
            "watched.csv": csv_text(FILM, [f"2024-01-01,{t},{years[t]}," for t in ratings]),
            "ratings.csv": csv_text(
                RATINGS, [f"2024-01-01,{t},{years[t]},,{r}" for t, r in ratings.items()]
            ),
            "watchlist.csv": csv_text(FILM, ["2024-01-01,Ran,1985,"]),
        }
    )


async def test_two_exports_compared_then_the_same_libraries_by_id(
    database_url: str, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    first.write_bytes(_export({"Heat": "5", "Alien": "4"}))
    second.write_bytes(_export({"Heat": "1", "Alien": "4"}))
    settings = make_settings(
        database_url, tmdb_api_key=API_KEY, tmdb_base_url="https://tmdb.test/3"
    )
    fake = FakeTmdb(CATALOGUE)
    log = io.StringIO()
    result = await compare_command(
        str(first), str(second), settings, Console(file=log), tmdb_transport=fake.transport()
    )
    assert result.overlap.films == 2
    assert result.overlap.rated == 2
    assert [(d.title, d.gap) for d in result.agreements.disagreements] == [("Heat", 4.0)]
    assert result.watch_together.both_watchlists == 1
    assert "imported" in log.getvalue()

    printed = io.StringIO()
    render(result, Console(file=printed, width=120))
    assert "biggest disagreements" in printed.getvalue()
    assert "Heat (1995)" in printed.getvalue()
    assert "no score: 2 co-rated films" in printed.getvalue()

    # the libraries now in the database, by their ids: no import, no TMDB request
    ids = [line.split("session ")[1].rstrip(")") for line in log.getvalue().splitlines()
           if "imported" in line]  # fmt: skip
    served = fake.served
    assert len(ids) == 2
    again = await compare_command(ids[0], ids[1], settings, Console(file=io.StringIO()))
    assert again == result
    assert fake.served == served


async def test_neither_a_file_nor_an_id_is_refused(database_url: str) -> None:
    settings = make_settings(database_url)
    with pytest.raises(SessionNotFound, match="neither an export"):
        await compare_command("no-such.zip", "nope", settings, Console(file=io.StringIO()))


@pytest.mark.process
async def test_the_command_prints_json_and_says_what_is_wrong() -> None:
    directory = Path(tempfile.mkdtemp(prefix="letterboxd-stats-compare-"))
    export = directory / "a.zip"
    export.write_bytes(_export({"Heat": "5", "Alien": "4"}))
    env = os.environ | {"DATABASE_URL": f"sqlite:///{directory}/compare.db"}
    env.pop("TMDB_API_KEY", None)
    env.pop("TMDB_BEARER_TOKEN", None)

    async def run(*args: str) -> tuple[int, str, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "letterboxd_stats", "compare", *args,
            env=env, cwd=directory, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await process.communicate()
        return process.returncode or 0, out.decode(), err.decode()

    code, out, err = await run(str(export), str(export), "--json")
    assert code == 0, err
    body = json.loads(out)
    assert body["overlap"]["films"] == 2  # without TMDB: paired by title and year
    assert body["agreements"]["both_high"][0]["title"] == "Heat"
    code, _, err = await run(str(export), "00000000-0000-4000-8000-000000000000")
    assert code == 2
    assert "SessionNotFound" in err


def test_titles_with_brackets_are_printed_as_they_are() -> None:
    from letterboxd_stats.compare.compute import compare
    from letterboxd_stats.compare.rows import Library
    from letterboxd_stats.stats.rows import SessionRows
    from tests.fixtures.stats_rows import film

    odd = film(1, rating=10)
    odd.title = "[/] [untitled]"
    a = Library(rows=SessionRows(films=[odd]), name="[bold]a")
    b = Library(rows=SessionRows(films=[film(1, rating=10)]), name="b")
    b.rows.films[0].title = odd.title
    printed = io.StringIO()
    render(compare(a, b), Console(file=printed, width=120))
    assert "[/] [untitled] (2000)" in printed.getvalue()
    assert "[bold]a" in printed.getvalue()
