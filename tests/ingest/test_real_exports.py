"""Every real export in ../shared/data imports through the API, as a zip and as loose CSVs,
with counts checked against an independent count made here with the csv module."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fixtures.real_exports import (
    EXPORTS,
    NAMES,
    NEEDS_EXPORTS,
    independent_counts,
    zip_folder,
)

pytestmark = NEEDS_EXPORTS


def _loose_parts(folder: Path) -> list[tuple[str, tuple[str, bytes]]]:
    """What a user picking the CSVs in a file dialog sends: bare names, no deleted/orphaned."""
    parts = []
    for path in sorted(folder.rglob("*.csv")):
        relative = path.relative_to(folder).as_posix()
        if relative.startswith(("deleted/", "orphaned/")):
            continue
        parts.append(("files", (path.name, path.read_bytes())))
    return parts


async def _upload(client: httpx.AsyncClient, files: Any) -> dict[str, Any]:
    response = await client.post("/api/upload", files=files)
    assert response.status_code == 202, response.text
    session_id = response.json()["session_id"]
    summary: dict[str, Any] = (await client.get(f"/api/session/{session_id}")).json()
    summary["accepted"] = response.json()
    return summary


@pytest.mark.shared_data
@pytest.mark.parametrize("name", NAMES)
async def test_real_export_zip_and_loose_csvs(client: httpx.AsyncClient, name: str) -> None:
    folder = EXPORTS / name
    expected = independent_counts(folder)

    as_zip = await _upload(client, [("files", (f"letterboxd-{name}.zip", zip_folder(folder)))])
    as_csvs = await _upload(client, _loose_parts(folder))
    assert as_zip["counts"] == expected
    assert as_csvs["counts"] == expected
    assert as_zip["accepted"]["total_movies"] == expected["films"]
    assert as_zip["accepted"]["watchlist_count"] == expected["watchlist"]
    assert as_zip["username"] == as_csvs["username"] is not None

    for original in sorted(folder.glob("*.zip")):  # the untouched zips Letterboxd produced
        from_letterboxd = await _upload(client, [("files", (original.name, original.read_bytes()))])
        assert from_letterboxd["counts"] == expected


@pytest.mark.shared_data
async def test_diary_only_films_and_same_title_twins(client: httpx.AsyncClient) -> None:
    """patrickmjones: 10 films only in the diary; two films titled 'The Haunted Castle' (1897)."""
    folder = EXPORTS / "patrickmjones"
    summary = await _upload(client, [("files", ("p.zip", zip_folder(folder)))])
    session_id = summary["accepted"]["session_id"]
    page = (await client.get(f"/api/session/{session_id}/movies?limit=500&offset=2600")).json()
    tail = page["items"]
    assert [m["letterboxd_uri"] for m in tail if m["letterboxd_uri"] is None] == [None] * 10
    assert all(m["watched_dates"] for m in tail[-10:])
    everything = []
    for offset in range(0, page["total"], 500):
        everything += (
            await client.get(f"/api/session/{session_id}/movies?limit=500&offset={offset}")
        ).json()["items"]
    twins = [m for m in everything if m["title"] == "The Haunted Castle" and m["year"] == 1897]
    assert len(twins) == 2
    assert twins[0]["letterboxd_uri"] != twins[1]["letterboxd_uri"]


@pytest.mark.shared_data
async def test_zero_filled_files_do_not_break_the_import(client: httpx.AsyncClient) -> None:
    """aguitov has a NUL-filled deleted/comments.csv and nine NUL-filled list files."""
    folder = EXPORTS / "aguitov"
    summary = await _upload(client, [("files", ("a.zip", zip_folder(folder)))])
    accepted = summary["accepted"]
    assert "deleted/comments.csv" in accepted["ignored_files"]
    assert len(accepted["warnings"]) == 9
    assert all("NUL" in w for w in accepted["warnings"])
