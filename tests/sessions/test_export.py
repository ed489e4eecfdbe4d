from __future__ import annotations

import csv
import io

import httpx
import pytest

from letterboxd_stats.sessions.export import neutralise
from tests.fixtures.exports import DIARY, FILM, csv_text, make_zip, multipart


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Heat", "Heat"),
        ("", ""),
        ("2001: A Space Odyssey", "2001: A Space Odyssey"),
    ],
)
def test_formula_cells_are_neutralised(cell: str, safe: str) -> None:
    assert neutralise(cell) == safe


async def test_export_csv_and_json(client: httpx.AsyncClient) -> None:
    export = {
        "watched.csv": csv_text(
            FILM,
            [
                '2024-01-01,"=HYPERLINK(""http://evil.test"",""x"")",2001,https://boxd.it/a',
                '2024-01-02,"Heat, the film",1995,https://boxd.it/b',
            ],
        ),
        "diary.csv": csv_text(
            DIARY, ['2024-01-03,"Heat, the film",1995,https://boxd.it/e,4,,"+cmd, ok",2024-01-02']
        ),
    }
    upload = await client.post("/api/upload", files=multipart(("e.zip", make_zip(export))))
    session_id = upload.json()["session_id"]

    response = await client.get(f"/api/session/{session_id}/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 2
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil.test","x")'
    assert rows[1]["title"] == "Heat, the film"
    assert rows[1]["rating"] == "4.0"
    assert rows[1]["watched_dates"] == "2024-01-02"
    assert rows[1]["tags"] == "'+cmd; ok"
    assert rows[1]["match_status"] == "pending"
    assert rows[1]["genres"] == ""

    data = (await client.get(f"/api/session/{session_id}/export.json")).json()
    assert [film["title"] for film in data["films"]] == [
        '=HYPERLINK("http://evil.test","x")',  # JSON is data, not a spreadsheet: kept as is
        "Heat, the film",
    ]
    assert data["films"][1]["tags"] == ["+cmd", "ok"]
    assert data["films"][1]["watched_dates"] == ["2024-01-02"]

    for suffix in ("export.csv", "export.json"):
        missing = await client.get(f"/api/session/00000000-0000-4000-8000-000000000000/{suffix}")
        assert missing.status_code == 404
