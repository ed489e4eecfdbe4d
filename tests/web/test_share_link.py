"""The read-only share link in Debian's Chromium, against the app and the TMDB stand-in on real
ports: created and copied on My data, opened in a browser of its own (the banner names the
owner; no owner id, no review or My data links), revoked (its page is then the 404)."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.async_api import expect

from standin import StandinConfig
from tests.fixtures.browser import DESKTOP, Watcher, chromium, new_page, shoot
from tests.fixtures.exports import make_zip, small_export
from tests.fixtures.servers import running_app, running_standin, standin_app_settings
from tests.fixtures.uploads import upload_completed

KEY = "share-test-key"
PHONE_390 = {"width": 390, "height": 844}
SHARE_URL = re.compile(r"^http://127\.0\.0\.1:\d+/session/[0-9a-f-]{36}$")


def settings(database_url: str, standin: str) -> Any:
    return standin_app_settings(database_url, standin, KEY)


async def test_share_link_created_opened_read_only_and_revoked(database_url: str) -> None:
    owner_watcher, viewer_watcher = Watcher(), Watcher()
    config = StandinConfig(api_key=KEY, synthesise=True, rate_limit=0, max_connections=0)
    async with (
        running_standin(config) as standin,
        running_app(settings(database_url, standin)) as base,
        chromium() as browser,
        httpx.AsyncClient(base_url=base, timeout=30) as api,
    ):
        session_id = await upload_completed(api, make_zip(small_export()))
        owner_context, owner = await new_page(browser, owner_watcher)
        await owner_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)

        # My data: no link yet; create one, copy it
        await owner.goto(f"{base}/session/{session_id}/data")
        await expect(owner.locator("#share-create")).to_be_visible()
        await expect(owner.locator("#share-some")).to_be_hidden()
        await owner.click("#share-create")
        await expect(owner.locator("#share-some")).to_be_visible()
        share_url = await owner.locator("#share-link").input_value()
        assert SHARE_URL.match(share_url), share_url
        assert session_id not in share_url
        await owner.click("#share-copy")
        await expect(owner.locator("#share-state")).to_contain_text("Share link copied.")
        assert await owner.evaluate("navigator.clipboard.readText()") == share_url
        await shoot(owner, "share-data-desktop")
        await owner.reload()  # the page knows the link it has
        await expect(owner.locator("#share-link")).to_have_value(share_url)
        phone_context, phone = await new_page(browser, owner_watcher, PHONE_390)
        await phone.goto(f"{base}/session/{session_id}/data")
        await expect(phone.locator("#share-link")).to_have_value(share_url)
        await shoot(phone, "share-data-phone")
        await phone_context.close()

        # the link, in a browser context of its own: read-only, whose, no owner id or links
        viewers = []
        for viewport, name in ((DESKTOP, "desktop"), (PHONE_390, "phone")):
            context, viewer = await new_page(browser, viewer_watcher, viewport)
            viewers.append(context)
            await viewer.goto(share_url)
            await expect(viewer.locator("#main")).to_have_attribute("data-loaded-year", "all")
            banner = viewer.locator("#shared-banner")
            await expect(banner).to_contain_text("tester")
            await expect(banner).to_contain_text("read-only")
            await expect(viewer.locator("#dash-user")).to_have_text("tester")
            await expect(viewer.locator("#counters .counter:not(.skeleton)").first).to_be_visible()
            html = await viewer.content()
            assert session_id not in html
            assert session_id.replace("-", "") not in html
            for owner_only in ("/review", "/data", "export.", "My data", "Review matches"):
                assert owner_only not in html, owner_only
            assert await viewer.locator(".session-nav").count() == 0
            assert await viewer.evaluate("localStorage.length") == 0  # not remembered as theirs
            await shoot(viewer, f"share-dashboard-{name}")
            await shoot(viewer, f"share-dashboard-{name}-top", full_page=False)
        year_page = await viewers[0].new_page()
        viewer_watcher.attach(year_page)
        await year_page.goto(share_url + "?year=2024")
        await expect(year_page.locator("#main")).to_have_attribute("data-loaded-year", "2024")
        assert session_id not in await year_page.content()

        # revoked on My data: the link opens the 404 page
        await owner.click("#share-revoke")
        await expect(owner.locator("#share-create")).to_be_visible()
        await expect(owner.locator("#share-state")).to_contain_text("revoked")
        viewer_watcher.allowed_statuses.add(404)  # the revoked link's page: a 404 on purpose
        response = await year_page.goto(share_url)
        assert response is not None
        assert response.status == 404
        await expect(year_page.locator("h1")).to_have_text("We can't find that upload")
        owner_page = await owner.goto(f"{base}/session/{session_id}")  # the owner's link works
        assert owner_page is not None
        assert owner_page.status == 200

        for context in viewers:
            await context.close()
        await owner_context.close()
    owner_watcher.check()
    viewer_watcher.check()
