"""A zip whose size and CRC fields are rewritten: rejected with the member's name, never read
as a truncated (or padded) export."""

from __future__ import annotations

import struct
import zlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.fixtures.database import count_rows
from tests.fixtures.exports import FILM, make_zip, multipart

_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"


def _watched(films: int) -> bytes:
    rows = "".join(
        f"2024-01-01,Film {n},{1950 + n % 70},https://boxd.it/f{n}\n" for n in range(films)
    )
    return f"{FILM}\n{rows}".encode()


def forge(archive: bytes, size: int, crc: int) -> bytes:
    """Rewrite the uncompressed size and CRC of the zip's only member, in its local header and
    in the central directory (as a forger would, so that the two agree)."""
    data = bytearray(archive)
    local = data.index(_LOCAL)
    struct.pack_into("<I", data, local + 14, crc)
    struct.pack_into("<I", data, local + 22, size)
    central = data.index(_CENTRAL)
    struct.pack_into("<I", data, central + 16, crc)
    struct.pack_into("<I", data, central + 24, size)
    return bytes(data)


@pytest.fixture
async def unchanged(engine: AsyncEngine) -> AsyncIterator[None]:
    before = await count_rows(engine)
    yield
    assert await count_rows(engine) == before


def _shrunk() -> bytes:
    """2,000 films, headers saying the member is its first two rows (size and CRC of those)."""
    content = _watched(2000)
    prefix = content[: content.index(b"\n", content.index(b"f1\n")) + 1]
    assert prefix.count(b"\n") == 3  # the header and two films
    return forge(make_zip({"watched.csv": content}), len(prefix), zlib.crc32(prefix))


def _grown() -> bytes:
    """The right CRC, a size larger than the member really is."""
    content = _watched(50)
    return forge(make_zip({"watched.csv": content}), len(content) + 1000, zlib.crc32(content))


def _crc_only() -> bytes:
    content = _watched(50)
    return forge(make_zip({"watched.csv": content}), len(content), zlib.crc32(content) ^ 1)


FORGED = [
    ("size and CRC of a prefix", _shrunk),
    ("size larger than the data", _grown),
    ("CRC only", _crc_only),
]


@pytest.mark.parametrize("make", [f for _, f in FORGED], ids=[n for n, _ in FORGED])
@pytest.mark.usefixtures("unchanged")
async def test_a_forged_member_is_rejected_naming_it(client: httpx.AsyncClient, make: Any) -> None:
    response = await client.post("/api/upload", files=multipart(("export.zip", make())))
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "InvalidZip"
    assert "export.zip: watched.csv" in body["detail"]


@pytest.mark.usefixtures("unchanged")
async def test_a_member_expanding_past_the_limit_despite_its_header_is_413(
    make_client: Any,
) -> None:
    content = _watched(2000)  # ~100 kB, declared as 100 bytes
    forged = forge(make_zip({"watched.csv": content}), 100, zlib.crc32(content[:100]))
    client = await make_client(max_uncompressed_bytes=20_000)
    response = await client.post("/api/upload", files=multipart(("export.zip", forged)))
    assert response.status_code == 413, response.text
    body = response.json()
    assert body["error"] == "ZipTooLarge"
    assert "export.zip" in body["detail"]
    assert "20,000" in body["detail"]


async def test_an_honest_zip_still_reads_whole(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/upload", files=multipart(("export.zip", make_zip({"watched.csv": _watched(2000)})))
    )
    assert response.status_code == 202, response.text
    assert response.json()["total_movies"] == 2000
