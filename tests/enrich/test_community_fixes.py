"""Fixes that help everyone, safely (issue 16 §2): when MATCH_FIX_QUORUM libraries have fixed
one Letterboxd film (by its link) to one TMDB entry, new libraries get that entry without a
search (method `community`); one library's fix alone never changes another library."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from tests.fixtures.apps import AppClient, make_settings
from tests.fixtures.exports import FILM, csv_text, make_zip, multipart
from tests.fixtures.tmdb import TMDB_SETTINGS, FakeFilm, FakeTmdb
from tests.fixtures.uploads import movies_by_title, wait_completed

# Two films of one title and year: the search proposes the first by id (in review); the
# libraries fix it to the other.
REMAKE = FakeFilm(101, "Solaris", 1972, popularity=90)
ORIGINAL = FakeFilm(593, "Solaris", 1972, popularity=20, original_title="Солярис")
LINK = "https://boxd.it/solaris72"


async def _library(client: AppClient, link: str = LINK) -> str:
    rows = [f"2024-01-01,Solaris,1972,{link}"]
    upload = await client.post(
        "/api/upload",
        files=multipart(("e.zip", make_zip({"watched.csv": csv_text(FILM, rows)}))),
    )
    assert upload.status_code == 202, upload.text
    session_id: str = upload.json()["session_id"]
    assert (await wait_completed(client, session_id))["status"] == "completed"
    await client.app.state.runner.wait_idle()
    return session_id


async def _fix(client: AppClient, session_id: str, tmdb_id: int) -> None:
    film = (await movies_by_title(client, session_id))["Solaris"]
    fixed = await client.put(
        f"/api/session/{session_id}/movies/{film['movie_id']}/match", json={"tmdb_id": tmdb_id}
    )
    assert fixed.status_code == 200, fixed.text


async def _solaris(client: AppClient, session_id: str) -> dict[str, Any]:
    return (await movies_by_title(client, session_id))["Solaris"]


async def test_one_librarys_fix_never_changes_another(make_client: Any) -> None:
    fake = FakeTmdb([REMAKE, ORIGINAL])
    client: AppClient = await make_client(tmdb_transport=fake.transport(), **TMDB_SETTINGS)
    first = await _library(client)
    before = await _solaris(client, first)
    await _fix(client, first, ORIGINAL.id)
    other = await _library(client)
    assert (await _solaris(client, first))["tmdb_id"] == ORIGINAL.id
    theirs = await _solaris(client, other)
    assert theirs["tmdb_id"] == before["tmdb_id"] != ORIGINAL.id  # the search's answer
    assert theirs["match_method"] != "community"


async def test_two_libraries_agreeing_give_a_third_the_fix_without_a_search(
    make_client: Any,
) -> None:
    fake = FakeTmdb([REMAKE, ORIGINAL])
    client: AppClient = await make_client(tmdb_transport=fake.transport(), **TMDB_SETTINGS)
    for _ in range(2):
        await _fix(client, await _library(client), ORIGINAL.id)
    searched = fake.requests["search"]
    third = await _library(client)
    film = await _solaris(client, third)
    assert (film["tmdb_id"], film["match_method"], film["match_status"]) == (
        ORIGINAL.id,
        "community",
        "matched",
    )
    assert fake.requests["search"] == searched  # no search for it
    # and its owner can still choose otherwise
    await _fix(client, third, REMAKE.id)
    assert (await _solaris(client, third))["match_method"] == "user"
    # a film with another link is another film: the community's fix is not its
    elsewhere = await _library(client, "https://boxd.it/another")
    assert (await _solaris(client, elsewhere))["match_method"] != "community"


async def test_libraries_that_disagree_make_no_community_match(make_client: Any) -> None:
    fake = FakeTmdb([REMAKE, ORIGINAL])
    client: AppClient = await make_client(tmdb_transport=fake.transport(), **TMDB_SETTINGS)
    await _fix(client, await _library(client), ORIGINAL.id)
    await _fix(client, await _library(client), REMAKE.id)
    assert (await _solaris(client, await _library(client)))["match_method"] != "community"


async def test_a_fixing_library_deleted_takes_its_vote_with_it(make_client: Any) -> None:
    fake = FakeTmdb([REMAKE, ORIGINAL])
    client: AppClient = await make_client(tmdb_transport=fake.transport(), **TMDB_SETTINGS)
    libraries = [await _library(client) for _ in range(2)]
    for session_id in libraries:
        await _fix(client, session_id, ORIGINAL.id)
    assert (await client.delete(f"/api/session/{libraries[0]}")).status_code == 204
    assert (await _solaris(client, await _library(client)))["match_method"] != "community"


async def test_a_quorum_of_one_is_refused_and_zero_turns_it_off(make_client: Any) -> None:
    with pytest.raises(ValidationError, match="never changes another"):
        make_settings("sqlite+aiosqlite://", match_fix_quorum=1)
    fake = FakeTmdb([REMAKE, ORIGINAL])
    client: AppClient = await make_client(
        tmdb_transport=fake.transport(), **(TMDB_SETTINGS | {"match_fix_quorum": 0})
    )
    for _ in range(3):
        await _fix(client, await _library(client), ORIGINAL.id)
    assert (await _solaris(client, await _library(client)))["match_method"] != "community"
