"""The dashboard's "Since your last export" section (web/static/js/sections/since.js): hidden
for a library never updated; after an update, what it brought (new viewings, new and changed
ratings, new films, new watchlist entries)."""

from __future__ import annotations

import io
import zipfile

import httpx
from playwright.async_api import expect

from tests.fixtures.apps import make_settings
from tests.fixtures.browser import Watcher, chromium, new_page, shoot
from tests.fixtures.exports import DIARY, FILM, RATINGS, csv_text
from tests.fixtures.servers import running_app


def _zip(films: int, viewings: int, heat_rating: str) -> bytes:
    watched = [f"2024-01-0{n + 1},Film {n},200{n},https://boxd.it/f{n}" for n in range(films)]
    diary = [
        f"2024-02-0{n + 1},Film {n},200{n},https://boxd.it/e{n},,,,2024-02-0{n + 1}"
        for n in range(viewings)
    ]
    ratings = [f"2024-01-01,Film 0,2000,https://boxd.it/f0,{heat_rating}"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("watched.csv", csv_text(FILM, watched))
        archive.writestr("diary.csv", csv_text(DIARY, diary))
        archive.writestr("ratings.csv", csv_text(RATINGS, ratings))
        archive.writestr("watchlist.csv", csv_text(FILM, []))
    return buffer.getvalue()


async def test_the_section_shows_what_the_latest_update_brought(database_url: str) -> None:
    watcher = Watcher(allowed_statuses={503})
    async with (
        running_app(make_settings(database_url, log_level="warning")) as base,
        chromium() as browser,
    ):
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            upload = await client.post("/api/upload", files=[("files", ("a.zip", _zip(2, 1, "3")))])
            assert upload.status_code == 202, upload.text
            session_id = upload.json()["session_id"]
        context, page = await new_page(browser, watcher)
        await page.goto(f"{base}/session/{session_id}")
        await expect(page.locator("#main")).to_have_attribute("data-loaded-year", "all")
        await expect(page.locator("#since-panel")).to_be_hidden()

        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            update = await client.post(
                f"/api/session/{session_id}/update",
                files=[("files", ("letterboxd-x-2024-03-01-10-00-utc.zip", _zip(3, 3, "4.5")))],
            )
            assert update.status_code == 202, update.text
        await page.goto(f"{base}/session/{session_id}")
        await expect(page.locator("#main")).to_have_attribute("data-loaded-year", "all")
        panel = page.locator("#since-panel")
        await expect(panel).to_be_visible()
        await expect(page.locator("#since-note")).to_contain_text("Mar 1, 2024")
        await expect(page.locator("#since-facts")).to_contain_text("2 viewings")
        await expect(page.locator("#since-facts")).to_contain_text("1 film")
        await expect(page.locator("#since-viewings")).to_contain_text("Film 2 (2002)")
        await expect(page.locator("#since-ratings")).to_contain_text("Film 0 (2000): 3")
        await expect(page.locator("#since-ratings")).to_contain_text("→ 4.5")
        await shoot(page, "dashboard-since-desktop")
        await context.close()
    watcher.check()
