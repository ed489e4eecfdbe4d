"""POST /api/upload: good exports in every shape, and every kind of bad input."""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.fixtures.database import count_rows
from tests.fixtures.exports import DIARY, FILM, csv_text, make_zip, multipart, small_export
from tests.fixtures.uploads import wait_completed


async def test_zip_upload_is_accepted_and_completes(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/upload", files=multipart(("export.zip", make_zip(small_export())))
    )
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["total_movies"] == 4
    assert body["watchlist_count"] == 1
    assert body["status"] == "processing"
    assert sorted(body["ignored_files"]) == ["comments.csv", "deleted/diary.csv"]
    status = await wait_completed(client, body["session_id"])
    notice = status.pop("error_message")
    assert status == {
        "session_id": body["session_id"],
        "status": "completed",
        "total_movies": 4,
        "enriched_count": 0,
        "matched_count": 0,
        "needs_review_count": 0,
        "unmatched_count": 0,
        "failed_count": 0,
        "carried_count": 0,  # a first upload carries nothing over
        "import_total": 4,
        "import_enriched": 0,
        "progress_percent": 0.0,
        "watchlist_total": 1,
        "watchlist_enriched": 0,  # without TMDB, the watchlist is not enriched either
        "extras_total": 0,  # nor is anything fetched for completion
        "extras_done": 0,
    }
    # No TMDB credentials in this test: the import is usable, enrichment is said to be off.
    assert "TMDB enrichment is disabled" in notice


async def _summary_of(client: httpx.AsyncClient, files: Any) -> dict[str, Any]:
    response = await client.post("/api/upload", files=files)
    assert response.status_code == 202, response.text
    summary: dict[str, Any] = (
        await client.get(f"/api/session/{response.json()['session_id']}")
    ).json()
    return summary


async def test_zip_in_a_folder_and_loose_csvs_give_the_same_session(
    client: httpx.AsyncClient,
) -> None:
    export = small_export()
    at_root = await _summary_of(client, multipart(("a.zip", make_zip(export))))
    in_folder = await _summary_of(
        client, multipart(("b.zip", make_zip(export, folder="letterboxd-me-2024/")))
    )
    loose_parts = [
        (path.rsplit("/", 1)[-1], content)
        for path, content in export.items()
        if not path.startswith("deleted/")
    ]
    loose = await _summary_of(client, multipart(*loose_parts))
    assert at_root["counts"] == in_folder["counts"] == loose["counts"]
    assert at_root["counts"] == {
        "films": 4,
        "diary_entries": 3,
        "ratings": 2,
        "reviews": 1,
        "likes": 1,
        "lists": 1,
        "list_entries": 2,
        "watchlist": 1,
    }
    assert at_root["username"] == "tester"


async def test_movies_carry_the_library(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/upload", files=multipart(("e.zip", make_zip(small_export())))
    )
    session_id = response.json()["session_id"]
    page = (await client.get(f"/api/session/{session_id}/movies")).json()
    assert page["total"] == 4
    heat = page["items"][0]
    assert heat["title"] == "Heat"
    assert heat["year"] == 1995
    assert heat["letterboxd_uri"] == "https://boxd.it/heat"
    assert heat["rating"] == 4.5
    assert heat["watched_dates"] == ["2023-12-30", "2024-02-01"]
    assert heat["rewatch_count"] == 1
    assert heat["liked"] is True
    assert heat["review_count"] == 1
    assert heat["tags"] == ["crime", "la", "noir"]
    assert heat["tmdb_id"] is None
    assert heat["match_status"] == "pending"
    diary_only = page["items"][3]
    assert (diary_only["title"], diary_only["letterboxd_uri"], diary_only["rating"]) == (
        "Only In Diary",
        None,
        None,
    )

    second = (await client.get(f"/api/session/{session_id}/movies?limit=2&offset=1")).json()
    assert [m["title"] for m in second["items"]] == ["Crouching Tiger, Hidden Dragon", "Amélie"]
    assert (await client.get(f"/api/session/{session_id}/movies?limit=0")).status_code == 422


# --- bad input: a clear 4xx, nothing stored ---


@pytest.fixture
async def unchanged(engine: AsyncEngine) -> AsyncIterator[None]:
    before = await count_rows(engine)
    yield
    assert await count_rows(engine) == before


def _zip_with(members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns when asked to write a duplicate name
        for info, data in members:
            archive.writestr(info, data)
    return buffer.getvalue()


def _symlink_member() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("watched.csv")
    info.create_system = 3
    info.external_attr = (0o120777) << 16
    return info


_WATCHED = csv_text(FILM, ["2024-01-01,Heat,1995,https://boxd.it/heat"])
_GOOD_ZIP = make_zip({"watched.csv": _WATCHED})

BAD_UPLOADS: list[tuple[str, Any, int, str, str]] = [
    (
        "not a zip or csv",
        multipart(("photo.png", b"\x89PNG\r\n")),
        415,
        "UnsupportedFile",
        "photo.png",
    ),
    (
        "csv with no known header",
        multipart(("data.csv", "a,b,c\n1,2,3\n")),
        400,
        "UnknownCsv",
        "data.csv: line 1",
    ),
    (
        "zip without export files",
        multipart(("x.zip", make_zip({"readme.txt": "hello", "notes/a.csv": "a\n"}))),
        400,
        "NoExportFiles",
        "x.zip",
    ),
    (
        "malformed date",
        multipart(
            (
                "diary.csv",
                csv_text(
                    DIARY,
                    ["2024-01-01,A,2000,e,3,,,2024-01-01", "01/02/2024,B,2000,e,3,,,2024-01-01"],
                ),
            )
        ),
        400,
        "InvalidRow",
        "diary.csv: line 3: Date",
    ),
    (
        "malformed rating in a zip",
        multipart(
            (
                "e.zip",
                make_zip({"diary.csv": csv_text(DIARY, ["2024-01-01,A,2000,e,7,,,2024-01-01"])}),
            )
        ),
        400,
        "InvalidRow",
        "e.zip: diary.csv: line 2: Rating",
    ),
    (
        "not utf-8",
        multipart(("watched.csv", _WATCHED.encode() + "2024-01-01,Ça,1995,u\n".encode("latin-1"))),
        400,
        "InvalidEncoding",
        "watched.csv: line 3",
    ),
    (
        "NUL bytes in a main file",
        multipart(("watched.csv", _WATCHED + "2024-01-01,X\x00,1995,u\n")),
        400,
        "NulBytes",
        "watched.csv: line 3",
    ),
    (
        "truncated zip",
        multipart(("t.zip", _GOOD_ZIP[: len(_GOOD_ZIP) // 2])),
        400,
        "InvalidZip",
        "t.zip",
    ),
    (
        "absolute member path",
        multipart(("abs.zip", _zip_with([("/etc/watched.csv", _WATCHED.encode())]))),
        400,
        "UnsafeZip",
        "/etc/watched.csv",
    ),
    (
        "dot-dot member path",
        multipart(("dots.zip", _zip_with([("../watched.csv", _WATCHED.encode())]))),
        400,
        "UnsafeZip",
        "../watched.csv",
    ),
    (
        "symlink member",
        multipart(("link.zip", _zip_with([(_symlink_member(), b"/etc/passwd")]))),
        400,
        "UnsafeZip",
        "symbolic link",
    ),
    (
        "duplicate members",
        multipart(
            (
                "dup.zip",
                _zip_with([("watched.csv", _WATCHED.encode()), ("watched.csv", _WATCHED.encode())]),
            )
        ),
        400,
        "UnsafeZip",
        "appears twice",
    ),
    (
        "one good file and one bad file",
        multipart(("watched.csv", _WATCHED), ("diary.csv", csv_text(DIARY, ["bad"]))),
        400,
        "InvalidRow",
        "diary.csv: line 2",
    ),
]


@pytest.mark.parametrize(
    ("parts", "status", "error", "detail"),
    [case[1:] for case in BAD_UPLOADS],
    ids=[case[0] for case in BAD_UPLOADS],
)
@pytest.mark.usefixtures("unchanged")
async def test_bad_upload_is_rejected_and_stores_nothing(
    client: httpx.AsyncClient, parts: Any, status: int, error: str, detail: str
) -> None:
    response = await client.post("/api/upload", files=parts)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == error
    assert detail in body["detail"]
    assert (await client.get("/api/health")).status_code == 200


@pytest.mark.usefixtures("unchanged")
async def test_no_files(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/upload", data={"other": "x"}, files={"nothing": ("a.txt", b"")}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "EmptyUpload"


@pytest.mark.usefixtures("unchanged")
async def test_not_multipart(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/upload", json={"files": []})
    assert response.status_code == 400
    assert response.json()["error"] == "MalformedUpload"


@pytest.mark.usefixtures("unchanged")
async def test_over_size_limit_by_content_length(make_client: Any) -> None:
    client = await make_client(max_upload_bytes=10_000)
    response = await client.post(
        "/api/upload", files=multipart(("watched.csv", _WATCHED + "x" * 20_000))
    )
    assert response.status_code == 413
    assert response.json()["error"] == "UploadTooLarge"


@pytest.mark.usefixtures("unchanged")
async def test_over_size_limit_while_streaming_without_content_length(make_client: Any) -> None:
    client = await make_client(max_upload_bytes=100_000)
    boundary = "testboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="watched.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        yield head
        for _ in range(100):  # up to 1.6 MB, far past the limit
            sent += 1
            yield b"2024-01-01,Heat,1995,u\n" * 700

    response = await client.post(
        "/api/upload",
        content=body(),
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413
    assert response.json()["error"] == "UploadTooLarge"
    assert sent < 100  # it stopped reading, not merely checked a header


@pytest.mark.usefixtures("unchanged")
async def test_zip_expanding_past_the_limit(make_client: Any) -> None:
    client = await make_client(max_uncompressed_bytes=1_000_000)
    bomb = make_zip({"watched.csv": _WATCHED, "filler.bin": b"\0" * 5_000_000})
    assert len(bomb) < 20_000
    response = await client.post("/api/upload", files=multipart(("bomb.zip", bomb)))
    assert response.status_code == 413
    assert response.json()["error"] == "ZipTooLarge"
    assert "bomb.zip" in response.json()["detail"]


@pytest.mark.usefixtures("unchanged")
async def test_zip_with_too_many_members(make_client: Any) -> None:
    client = await make_client(max_zip_members=50)
    many = make_zip({"watched.csv": _WATCHED} | {f"junk/{i}.txt": "x" for i in range(60)})
    response = await client.post("/api/upload", files=multipart(("many.zip", many)))
    assert response.status_code == 413
    assert response.json()["error"] == "ZipTooLarge"


async def test_unknown_and_malformed_session_ids_are_404(client: httpx.AsyncClient) -> None:
    for session_id in ("00000000-0000-4000-8000-000000000000", "not-a-uuid", "1" * 32, "%00"):
        for suffix in ("", "/status", "/movies"):
            response = await client.get(f"/api/session/{session_id}{suffix}")
            assert response.status_code == 404, (session_id, suffix)
            assert response.json()["error"] == "SessionNotFound"
        assert (await client.delete(f"/api/session/{session_id}")).status_code == 404
