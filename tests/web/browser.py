"""Debian's Chromium driven by Playwright (async API), with checks for console errors, CSP
violations and alert() dialogs, and screenshots to SCREENSHOT_DIR."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.async_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Dialog,
    Page,
    Route,
    async_playwright,
)

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
TMDB_IMAGES = "https://image.tmdb.org/"


def require_chromium() -> None:
    """Skip without Chromium, unless CI is set: there, a missing browser is a failure."""
    if CHROMIUM.exists() or shutil.which(str(CHROMIUM)):
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing and CI is set: install Debian's chromium package")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped")


def screenshot_dir() -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or REPO / "test-results" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _poster_svg(seed: str) -> bytes:
    hue = int(hashlib.sha256(seed.encode()).hexdigest()[:4], 16) % 360
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="185" height="278" viewBox="0 0 185 278">'
        f'<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">'
        f'<stop offset="0" stop-color="hsl({hue},45%,42%)"/>'
        f'<stop offset="1" stop-color="hsl({(hue + 40) % 360},50%,18%)"/></linearGradient></defs>'
        '<rect width="185" height="278" fill="url(#g)"/>'
        '<circle cx="92" cy="110" r="38" fill="rgba(255,255,255,0.18)"/></svg>'
    ).encode()


async def fake_tmdb_images(route: Route) -> None:
    """No network here: image.tmdb.org answers with a generated poster, except one path in
    four, which is missing (404) so that the text placeholders are exercised too."""
    url = route.request.url
    digest = hashlib.sha256(url.encode()).digest()
    if digest[0] % 4 == 0:
        await route.fulfill(status=404, body=b"not found", content_type="text/plain")
    else:
        await route.fulfill(status=200, body=_poster_svg(url), content_type="image/svg+xml")


@dataclass
class Watcher:
    """Console errors, page errors and dialogs of every page; some 4xx are expected."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    allowed_statuses: set[int] = field(default_factory=set)

    def attach(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("dialog", self._dialog)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = str(message.location.get("url", ""))
        if url.startswith(TMDB_IMAGES):
            return  # a missing poster: the page shows its placeholder instead
        text = message.text
        if text.startswith("Failed to load resource") and any(
            f"status of {s}" in text for s in self.allowed_statuses
        ):
            return
        self.errors.append(f"console: {text} ({url})")

    async def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        await dialog.dismiss()

    def check(self) -> None:
        assert not self.dialogs, f"dialogs opened: {self.dialogs}"
        assert not self.errors, "console errors / CSP violations:\n" + "\n".join(self.errors)


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    require_chromium()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            await browser.close()


async def new_page(
    browser: Browser, watcher: Watcher, viewport: dict[str, int] = DESKTOP
) -> tuple[BrowserContext, Page]:
    context = await browser.new_context(
        viewport={"width": viewport["width"], "height": viewport["height"]},
        device_scale_factor=1,
        is_mobile=viewport["width"] < 500,
        has_touch=viewport["width"] < 500,
    )
    await context.route(f"{TMDB_IMAGES}**", fake_tmdb_images)
    page = await context.new_page()
    page.set_default_timeout(20_000)
    watcher.attach(page)
    return context, page


async def shoot(page: Page, name: str, *, full_page: bool = True) -> Path:
    path = screenshot_dir() / f"{name}.png"
    await page.screenshot(path=str(path), full_page=full_page)
    return path
