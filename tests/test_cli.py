"""The `letterboxd-stats` command run as a user would (its own process): analyze, and what
serve and worker refuse on SQLite."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

from tests.factories import make_zip, small_export

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
