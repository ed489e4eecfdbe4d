# ruff: noqa: E501  (the corpus reads best one case per line)
"""A corpus of hostile uploads. Rejected ones: a 4xx with a message naming the file, the
database unchanged, the server still healthy. Hostile but valid content is accepted and stays
inert (stored as text, neutralised in CSV exports)."""

from __future__ import annotations

import csv
import io
import os
import warnings
import zipfile
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.fixtures.database import count_rows
from tests.fixtures.exports import DIARY, FILM, REVIEWS, csv_text, make_zip, multipart

WATCHED = csv_text(FILM, ["2024-01-01,Heat,1995,https://boxd.it/heat"])


def _zip(members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for info, data in members:
            archive.writestr(info, data)
    return buffer.getvalue()


def _encrypted_member() -> bytes:
    """A member flagged as encrypted (zipfile cannot write one, so set the flag bits)."""
    data = bytearray(_zip([("watched.csv", WATCHED.encode())]))
    local = data.index(b"PK\x03\x04")
    central = data.index(b"PK\x01\x02")
    data[local + 6] |= 0x1  # general purpose flags of the local header
    data[central + 8] |= 0x1  # and of the central directory entry
    return bytes(data)


def _corrupt_member() -> bytes:
    data = bytearray(make_zip({"watched.csv": WATCHED * 50}))
    start = data.index(b"watched.csv") + len("watched.csv")
    for i in range(start + 5, start + 25):  # scramble the compressed bytes, keep the headers
        data[i] ^= 0x5A
    return bytes(data)


def _zip_bomb() -> Any:
    """~200 KB that would expand past the 200 MB default limit. Built when its test runs (a
    second of compression), not when the tests are collected by every worker."""
    bomb = _zip([("watched.csv", WATCHED.encode()), ("filler.bin", b"\0" * (201 * 1024 * 1024))])
    return multipart(("bomb.zip", bomb))


REJECTED: list[tuple[str, Any, int, str]] = [
    ("empty csv", multipart(("watched.csv", b"")), 400, "watched.csv"),
    ("empty zip", multipart(("e.zip", _zip([]))), 400, "e.zip"),
    ("random binary named csv", multipart(("diary.csv", os.urandom(4096))), 400, "diary.csv"),
    ("wrong extension", multipart(("watched.txt", WATCHED)), 415, "watched.txt"),
    ("no extension", multipart(("export", b"hello")), 415, "export"),
    (
        "right header, garbage rows",
        multipart(("diary.csv", DIARY + "\nasdf,qwer\n")),
        400,
        "diary.csv: line 2",
    ),
    ("10,000 columns", multipart(("x.csv", ",".join(f"c{i}" for i in range(10_000)) + "\n")), 400, "x.csv: line 1"),
    (
        "a 1 MB single field",
        multipart(("watched.csv", FILM + '\n2024-01-01,"' + "x" * 1_100_000 + '",1995,u\n')),
        400,
        "watched.csv: line 2",
    ),
    ("unterminated deep quotes", multipart(("watched.csv", FILM + '\n2024-01-01,"""' + '""' * 500 + ",1995\n")), 400, "watched.csv"),
    (
        "mixed encodings",
        multipart(("watched.csv", WATCHED.encode() + "2024-01-02,Amélie,2001,u\n".encode("latin-1"))),
        400,
        "watched.csv: line 3",
    ),
    ("utf-16 file", multipart(("watched.csv", WATCHED.encode("utf-16"))), 400, "watched.csv"),
    ("NUL bytes in the header", multipart(("watched.csv", b"Date,Na\x00me\n")), 400, "watched.csv"),
    ("NUL bytes in a row", multipart(("watched.csv", WATCHED + "2024-01-01,\x00,1995,u\n")), 400, "watched.csv: line 3"),
    ("nested zip only", multipart(("outer.zip", make_zip({"inner.zip": make_zip({"watched.csv": WATCHED})}))), 400, "outer.zip"),
    ("thousands of members", multipart(("many.zip", _zip([(f"f/{i}.txt", b"x") for i in range(1500)]))), 413, "many.zip"),
    ("zip bomb", _zip_bomb, 413, "bomb.zip"),
    ("absolute member path", multipart(("a.zip", _zip([("/tmp/watched.csv", WATCHED.encode())]))), 400, "/tmp/watched.csv"),
    ("dot-dot member path", multipart(("d.zip", _zip([("x/../../watched.csv", WATCHED.encode())]))), 400, "x/../../watched.csv"),
    ("backslash dot-dot path", multipart(("b.zip", _zip([("..\\watched.csv", WATCHED.encode())]))), 400, "watched.csv"),
    ("drive letter path", multipart(("c.zip", _zip([("C:/watched.csv", WATCHED.encode())]))), 400, "C:/watched.csv"),
    ("encrypted member", multipart(("enc.zip", _encrypted_member())), 400, "enc.zip"),
    ("corrupt member", multipart(("bad.zip", _corrupt_member())), 400, "bad.zip"),
    ("truncated zip", multipart(("t.zip", make_zip({"watched.csv": WATCHED})[:40])), 400, "t.zip"),
    ("not a zip named zip", multipart(("fake.zip", b"PK but not really")), 400, "fake.zip"),
    ("a date that does not exist", multipart(("watched.csv", FILM + "\n2024-02-30,Heat,1995,u\n")), 400, "watched.csv: line 2"),
    ("a rating that is not a rating", multipart(("diary.csv", DIARY + "\n2024-01-01,Heat,1995,u,NaN,,,2024-01-01\n")), 400, "diary.csv: line 2"),
    ("a negative year", multipart(("watched.csv", FILM + "\n2024-01-01,Heat,-1995,u\n")), 400, "watched.csv: line 2"),
    ("two watched files", multipart(("watched.csv", WATCHED), ("x/watched.csv", WATCHED)), 400, "watched.csv"),
]  # fmt: skip


@pytest.fixture
async def unchanged(engine: AsyncEngine) -> AsyncIterator[None]:
    before = await count_rows(engine)
    yield
    assert await count_rows(engine) == before


@pytest.mark.parametrize(
    ("parts", "status", "names"), [c[1:] for c in REJECTED], ids=[c[0] for c in REJECTED]
)
@pytest.mark.usefixtures("unchanged")
async def test_hostile_upload_is_rejected_cleanly(
    client: httpx.AsyncClient, parts: Any, status: int, names: str
) -> None:
    response = await client.post("/api/upload", files=parts() if callable(parts) else parts)
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "detail"}
    assert names in body["detail"]
    assert (await client.get("/api/health")).status_code == 200


@pytest.mark.usefixtures("unchanged")
async def test_60_mb_streamed_without_content_length_is_cut_off(client: httpx.AsyncClient) -> None:
    boundary = "hostileboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="watched.csv"'
        "\r\nContent-Type: text/csv\r\n\r\n"
    ).encode()
    chunk = b"2024-01-01,Heat,1995,u\n" * 45_000  # ~1 MB
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        yield head
        for _ in range(60):
            sent += 1
            yield chunk

    response = await client.post(
        "/api/upload",
        content=body(),
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413
    assert response.json()["error"] == "UploadTooLarge"
    assert sent < 60


@pytest.mark.usefixtures("unchanged")
async def test_a_multipart_body_without_boundary(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/upload", content=b"junk", headers={"content-type": "multipart/form-data"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "MalformedUpload"


@pytest.mark.usefixtures("unchanged")
async def test_more_files_than_allowed(make_client: Any) -> None:
    client = await make_client(max_upload_files=3)
    parts = multipart(*((f"list{i}.csv", WATCHED) for i in range(5)))
    response = await client.post("/api/upload", files=parts)
    assert response.status_code == 413
    assert response.json()["error"] == "TooManyFiles"


async def test_hostile_but_valid_text_is_accepted_and_stays_inert(
    client: httpx.AsyncClient,
) -> None:
    evil_title = '=HYPERLINK("http://evil.test","x")<script>alert(1)</script>'
    watched = csv_text(
        FILM,
        [
            f'2024-01-01,"{evil_title.replace(chr(34), chr(34) * 2)}",2001,https://boxd.it/a',
            "2024-01-02,Bom\ufeffIn The Middle,1999,https://boxd.it/b",
        ],
        newline="\r",  # CR-only line ends
    )
    reviews = csv_text(
        REVIEWS,
        [
            f'2024-01-03,"{evil_title.replace(chr(34), chr(34) * 2)}",2001,https://boxd.it/r,4,,'
            '"<img src=x onerror=alert(1)>\r\n@SUM(A1)","+cmd, -rm",2024-01-03'
        ],
    )
    response = await client.post(
        "/api/upload", files=multipart(("watched.csv", watched), ("reviews.csv", reviews))
    )
    assert response.status_code == 202, response.text
    session_id = response.json()["session_id"]
    movies = (await client.get(f"/api/session/{session_id}/movies")).json()["items"]
    assert movies[0]["title"] == evil_title  # stored as given: escaping is the renderer's job
    assert movies[0]["tags"] == ["+cmd", "-rm"]
    assert movies[1]["title"] == "Bom\ufeffIn The Middle"
    exported = (await client.get(f"/api/session/{session_id}/export.csv")).text
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert rows[0]["title"].startswith("'=")
    assert rows[0]["tags"].startswith("'+")
