"""Large uploads: parsed off the event loop (the app keeps answering), row limits (413 naming
the file), and nothing written when an upload is rejected or its request cancelled."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.errors import TooManyRows
from letterboxd_stats.ingest.parse import RowLimits, parse_export
from tests.fixtures.database import count_rows
from tests.fixtures.exports import DIARY, FILM, export_file, make_zip, multipart


def diary(rows: int, *, bad_last: bool = False) -> str:
    lines = [
        f"2024-01-{1 + n % 28:02d},Film {n % 5000},{1950 + n % 5000 % 70},https://boxd.it/d{n},"
        f"{1 + n % 5},,,2024-01-{1 + n % 28:02d}"
        for n in range(rows)
    ]
    if bad_last:
        lines[-1] = "2024-01-01,Film 1,1951,https://boxd.it/x,NaN,,,2024-01-01"
    return DIARY + "\n" + "\n".join(lines) + "\n"


def watched(rows: int) -> str:
    lines = [f"2024-01-01,Film {n},{1950 + n % 70},https://boxd.it/f{n}" for n in range(rows)]
    return FILM + "\n" + "\n".join(lines) + "\n"


@pytest.fixture
async def unchanged(engine: AsyncEngine) -> AsyncIterator[None]:
    before = await count_rows(engine)
    yield
    assert await count_rows(engine) == before


# --- row limits ---


async def test_a_file_at_the_row_limit_is_accepted(make_client: Any) -> None:
    client = await make_client(max_csv_rows=10)
    response = await client.post("/api/upload", files=multipart(("diary.csv", diary(10))))
    assert response.status_code == 202, response.text


@pytest.mark.usefixtures("unchanged")
async def test_a_file_over_the_row_limit_is_413_naming_it(make_client: Any) -> None:
    client = await make_client(max_csv_rows=10)
    response = await client.post("/api/upload", files=multipart(("diary.csv", diary(11))))
    assert response.status_code == 413, response.text
    body = response.json()
    assert body["error"] == "TooManyRows"
    assert body["detail"].startswith("diary.csv: line 12: more than 10 rows")
    assert "MAX_CSV_ROWS" in body["detail"]


@pytest.mark.usefixtures("unchanged")
async def test_a_zip_member_over_the_row_limit_is_413_naming_it(make_client: Any) -> None:
    client = await make_client(max_csv_rows=10)
    archive = make_zip({"watched.csv": watched(3), "diary.csv": diary(20)}, folder="export/")
    response = await client.post("/api/upload", files=multipart(("export.zip", archive)))
    assert response.status_code == 413, response.text
    assert "export.zip: export/diary.csv: line 12" in response.json()["detail"]


@pytest.mark.usefixtures("unchanged")
async def test_an_upload_over_the_total_row_limit_is_413_naming_the_file(
    make_client: Any,
) -> None:
    client = await make_client(max_csv_rows=10, max_upload_rows=15)
    response = await client.post(
        "/api/upload", files=multipart(("watched.csv", watched(8)), ("diary.csv", diary(8)))
    )
    assert response.status_code == 413, response.text
    body = response.json()
    assert body["error"] == "TooManyRows"
    assert body["detail"].startswith("diary.csv: line 9: more than 15 rows in the whole upload")
    assert "MAX_UPLOAD_ROWS" in body["detail"]


@pytest.mark.usefixtures("unchanged")
async def test_a_field_over_max_csv_field_chars_is_400_naming_its_line(make_client: Any) -> None:
    title = "T" * 101
    rows = (
        FILM
        + f"\n2024-01-01,Short,1999,https://boxd.it/a\n2024-01-01,{title},1999,https://boxd.it/b\n"
    )
    strict = await make_client(max_csv_field_chars=100)
    response = await strict.post("/api/upload", files=multipart(("watched.csv", rows)))
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "InvalidCsv"
    assert body["detail"].startswith("watched.csv: line 3: field larger than field limit (100)")
    assert "MAX_CSV_FIELD_CHARS" in body["detail"]


async def test_a_field_within_max_csv_field_chars_is_accepted(make_client: Any) -> None:
    title = "T" * 100
    rows = FILM + f"\n2024-01-01,{title},1999,https://boxd.it/b\n"
    strict = await make_client(max_csv_field_chars=100)
    response = await strict.post("/api/upload", files=multipart(("watched.csv", rows)))
    assert response.status_code == 202, response.text


def test_parse_counts_rows_per_file_and_in_all() -> None:
    files = [export_file("watched.csv", watched(3)), export_file("diary.csv", diary(3))]
    export = parse_export([], files, RowLimits(per_file=3, total=6))
    assert (len(export.watched), len(export.diary)) == (3, 3)
    with pytest.raises(TooManyRows, match=r"^diary\.csv: line 4: more than 5 rows in the whole"):
        parse_export([], files, RowLimits(per_file=3, total=5))
    with pytest.raises(TooManyRows, match=r"^watched\.csv: line 4: more than 2 rows in one"):
        parse_export([], files, RowLimits(per_file=2, total=100))


def test_the_default_limits_are_far_above_a_real_library() -> None:
    from letterboxd_stats.config import Settings

    settings = Settings(_env_file=None)
    assert settings.max_csv_rows == 100_000
    assert settings.max_upload_rows == 500_000


# --- the event loop keeps answering while a large upload is parsed ---


class StreamedUpload:
    """A multipart upload sent in chunks; `sent` is set once the app has asked for the body
    beyond its last chunk, i.e. it has received the whole upload."""

    def __init__(self, files: Any) -> None:
        request = httpx.Request("POST", "http://test/api/upload", files=files)
        self.body = request.read()
        self.content_type = request.headers["content-type"]
        self.sent = asyncio.Event()

    async def chunks(self) -> AsyncIterator[bytes]:
        for start in range(0, len(self.body), 256 * 1024):
            yield self.body[start : start + 256 * 1024]
        self.sent.set()

    def post(self, client: httpx.AsyncClient) -> asyncio.Task[httpx.Response]:
        return asyncio.create_task(
            client.post(
                "/api/upload",
                content=self.chunks(),
                headers={"content-type": self.content_type},
            )
        )


@pytest.mark.slow  # 300,000 rows: seconds of parsing, on purpose
@pytest.mark.usefixtures("unchanged")
async def test_health_answers_while_a_large_upload_is_parsed(make_client: Any) -> None:
    """The upload is rejected by its very last line, so everything after its body has arrived
    is parsing. Requests to /api/health, one after the other, complete before its answer."""
    rows = 300_000
    client = await make_client(max_csv_rows=rows, max_upload_rows=rows)
    assert (await client.get("/api/health")).status_code == 200  # its connection is open
    upload = StreamedUpload(multipart(("diary.csv", diary(rows, bad_last=True))))
    answer = upload.post(client)
    await upload.sent.wait()
    healthy_before_answer = 0
    while not answer.done():
        health = await client.get("/api/health")
        assert health.status_code == 200
        if not answer.done():
            healthy_before_answer += 1
    response = await answer
    assert response.status_code == 400, response.text
    assert f"diary.csv: line {rows + 1}" in response.json()["detail"]
    # Synchronous parsing would have answered none of them (at most one slips in between
    # the body's last chunk and the start of parsing).
    assert healthy_before_answer >= 3


async def test_a_cancelled_upload_writes_nothing(make_client: Any, engine: AsyncEngine) -> None:
    """Cancelled while its rows are parsed (the client went away): the parse runs to its end in
    its thread, then nothing is written; the next upload works."""
    before = await count_rows(engine)
    client = await make_client()
    upload = StreamedUpload(multipart(("diary.csv", diary(60_000))))
    answer = upload.post(client)
    await upload.sent.wait()
    assert (await client.get("/api/health")).status_code == 200
    assert not answer.done()
    answer.cancel()
    with pytest.raises(asyncio.CancelledError):
        await answer
    assert await count_rows(engine) == before
    response = await client.post("/api/upload", files=multipart(("diary.csv", diary(30))))
    assert response.status_code == 202, response.text


async def test_a_large_upload_is_stored_whole(make_client: Any, engine: AsyncEngine) -> None:
    """More rows than one insert batch: every one is stored."""
    client = await make_client()
    response = await client.post("/api/upload", files=multipart(("diary.csv", diary(12_345))))
    assert response.status_code == 202, response.text
    counts = await count_rows(engine)
    assert counts["diary_entries"] == 12_345
    assert counts["session_films"] == 5000
