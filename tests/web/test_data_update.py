"""'My data': the "Update with a newer export" block (templates/_update_block.html,
static/js/data_update.js): a newer export dropped there updates the library, the page shows
the change summary and the imports; another account's export is refused in plain words."""

from __future__ import annotations

import io
import zipfile

import httpx
from playwright.async_api import FilePayload, expect

from tests.fixtures.apps import make_settings
from tests.fixtures.browser import Watcher, chromium, new_page, shoot
from tests.fixtures.exports import FILM, PROFILE, csv_text
from tests.fixtures.servers import running_app


def _zip(films: int, username: str = "tester") -> bytes:
    watched = [f"2024-01-0{n + 1},Film {n},200{n},https://boxd.it/f{n}" for n in range(films)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("watched.csv", csv_text(FILM, watched))
        archive.writestr("profile.csv", csv_text(PROFILE, [f"2020-01-01,{username},,,,,,,,"]))
    return buffer.getvalue()


async def test_an_update_from_my_data_shows_its_changes_and_the_history(database_url: str) -> None:
    watcher = Watcher(allowed_statuses={409, 503})
    async with (
        running_app(make_settings(database_url, log_level="warning")) as base,
        chromium() as browser,
    ):
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            upload = await client.post("/api/upload", files=[("files", ("a.zip", _zip(2)))])
            assert upload.status_code == 202, upload.text
            session_id = upload.json()["session_id"]
        context, page = await new_page(browser, watcher)
        await page.goto(f"{base}/session/{session_id}/data")
        history = page.locator("#import-history")
        await expect(history).to_contain_text("First upload")
        await expect(history).to_contain_text("2 films")

        await page.set_input_files(
            "#update-files",
            files=[FilePayload(name="newer.zip", mimeType="application/zip", buffer=_zip(5))],
        )
        await page.click("#update-button")
        await expect(page.locator("#update-changes")).to_contain_text("3 added, 0 removed, 2 kept")
        await expect(page.locator("#update-state")).to_contain_text(
            "5 films to look up"
        )  # no TMDB here: none was enriched
        await expect(history.locator("li")).to_have_count(2)
        await expect(history).to_contain_text("5 films, 3 new")
        await shoot(page, "data-update-desktop")

        await page.set_input_files(
            "#update-files",
            files=[FilePayload(name="other.zip", mimeType="application/zip", buffer=_zip(1, "x"))],
        )
        await page.click("#update-button")
        error = page.locator("#update-error")
        await expect(error).to_be_visible()
        await expect(error).to_contain_text(
            "of the Letterboxd account 'x', the library of 'tester'"
        )
        await expect(history.locator("li")).to_have_count(2)
        await context.close()
    watcher.check()
