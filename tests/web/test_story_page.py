"""The year in review as story slides (/session/{id}/year/{YYYY|all}, web/static/js/story.js) in
Debian's Chromium, against the app and the TMDB stand-in on real ports, with the 40-film library
of test_review_charts (2023 and 2024, enriched): the WAI-ARIA carousel's markup, every slide
reached with the arrow keys (one slide shown, the others aria-hidden and inert; its label, the
"n of N" text, the progress segment), Home/End, the buttons, a click on either half, a swipe;
the counts are the API's, the map is drawn, the last slide shows the share card; all time; a
share id opens it read-only; the dashboard links to the period's story; desktop and phone, no
console error, no CSP violation, no sideways scroll on the phone."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Page, expect

from tests.fixtures.browser import Watcher, new_page, shoot
from tests.fixtures.year_review import fmt, inked, no_sideways_scroll, year_review_site

KEY = "story-page-key"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SLIDES = 10
MAP_SLIDE = 9

SHOWN = """() => [...document.querySelectorAll('#story-slides .story-slide')]
    .filter((s) => getComputedStyle(s).visibility === 'visible'
        && s.getAttribute('aria-hidden') !== 'true')
    .map((s) => s.getAttribute('aria-label'))"""
HIDDEN = """() => [...document.querySelectorAll('#story-slides .story-slide')]
    .filter((s) => s.getAttribute('aria-hidden') === 'true' && s.inert
        && getComputedStyle(s).visibility === 'hidden').length"""
SEGMENT = """() => [...document.querySelectorAll('#story-progress .story-segment')]
    .map((s) => s.classList.contains('is-current') ? 'current'
        : s.classList.contains('is-done') ? 'done' : '')"""


async def opened(page: Page, url: str, period: str) -> None:
    await page.goto(url)
    await expect(page.locator("#main")).to_have_attribute("data-loaded", period)


async def at(page: Page, n: int) -> None:
    """Slide n (1-based) is the one shown: the only visible slide, the others hidden from
    assistive technology and inert; its position in the text and the progress segments."""
    await expect(page.locator("#main")).to_have_attribute("data-slide", str(n))
    assert await page.evaluate(SHOWN) == [f"{n} of {SLIDES}"]
    assert await page.evaluate(HIDDEN) == SLIDES - 1
    await expect(page.locator("#story-count")).to_have_text(f"{n} of {SLIDES}")
    assert await page.evaluate(SEGMENT) == ["done"] * (n - 1) + ["current"] + [""] * (SLIDES - n)
    if n == 1:
        await expect(page.locator("#story-prev")).to_be_disabled()
    if n == SLIDES:
        await expect(page.locator("#story-next")).to_be_disabled()


async def snap(page: Page, name: str) -> None:
    """A screenshot of the window once the slide has come in."""
    await page.evaluate("() => Promise.all(document.getAnimations().map((a) => a.finished))")
    await shoot(page, name, full_page=False)


async def carousel_markup(page: Page) -> None:
    story = page.locator("#story")
    await expect(story).to_have_attribute("aria-roledescription", "carousel")
    assert (await story.get_attribute("aria-label") or "").strip()
    slides = page.locator("#story-slides > .story-slide")
    await expect(slides).to_have_count(SLIDES)
    for i in range(SLIDES):
        slide = slides.nth(i)
        await expect(slide).to_have_attribute("role", "group")
        await expect(slide).to_have_attribute("aria-roledescription", "slide")
        await expect(slide).to_have_attribute("aria-label", f"{i + 1} of {SLIDES}")
    await expect(page.locator("#story-prev")).to_have_attribute("aria-label", "Previous slide")
    await expect(page.locator("#story-next")).to_have_attribute("aria-label", "Next slide")
    await expect(page.locator("#story-live")).to_have_attribute("aria-live", "polite")


async def slide_named(page: Page, name: str) -> int:
    names: list[str] = await page.eval_on_selector_all(
        "#story-slides > .story-slide", "slides => slides.map((s) => s.dataset.name)"
    )
    return names.index(name) + 1


async def walks_through(
    page: Page, stats: Any, session_id: str, year: int | None, name: str
) -> None:
    """Every slide by ArrowRight and back by ArrowLeft, Home/End, the buttons, a click on either
    half, a swipe; the counts, the map and the card on the way."""
    await carousel_markup(page)
    await at(page, 1)
    await expect(page.locator("#story-live")).to_have_text("")  # nothing announced on opening
    totals = stats["totals"]
    for n in range(2, SLIDES + 1):
        await page.keyboard.press("ArrowRight")
        await at(page, n)
        label = await page.locator(".story-slide.is-current").get_attribute("data-name")
        await expect(page.locator("#story-live")).to_have_text(f"Slide {n} of {SLIDES}: {label}")
        if n == 2:
            await expect(page.locator("#story-films")).to_have_text(fmt(totals["films"]))
            await expect(page.locator("#story-hours")).to_have_text(fmt(totals["hours"]))
            await expect(page.locator("#story-viewings")).to_have_text(fmt(totals["viewings"]))
        if n == 3:
            await expect(page.locator(".story-slide.is-current .story-posters li")).to_have_count(
                min(6, len(stats["ratings"]["highest_rated"]))
            )
        if n == MAP_SLIDE:
            assert n == await slide_named(page, "Around the world")
            await expect(page.locator("#story-map")).to_have_attribute("data-drawn", "true")
            assert await inked(page, "story-map") > 200, "the map is blank"
        if n < SLIDES:
            await snap(page, f"story-{name}-{n:02d}")
    period = f"?year={year}&format=story" if year else "?format=story"
    card = page.locator("#story-card")
    await expect(card).to_have_attribute("src", f"/api/session/{session_id}/card.png{period}")
    await page.wait_for_function(
        "() => document.getElementById('story-card').complete "
        "&& document.getElementById('story-card').naturalWidth === 1080"
    )
    await snap(page, f"story-{name}-{SLIDES:02d}")
    await page.keyboard.press("ArrowRight")  # the last: nowhere further
    await at(page, SLIDES)
    await page.keyboard.press("ArrowLeft")
    await at(page, SLIDES - 1)
    await page.keyboard.press("Home")
    await at(page, 1)
    await page.keyboard.press("ArrowLeft")
    await at(page, 1)
    await page.keyboard.press("End")
    await at(page, SLIDES)
    await page.keyboard.press("Home")
    await page.click("#story-next")
    await at(page, 2)
    await page.click("#story-prev")
    await at(page, 1)
    # the first slide's previous button is disabled: the focus goes to the next one
    await expect(page.locator("#story-next")).to_be_focused()
    box = await page.locator("#story-slides").bounding_box()
    assert box
    middle_y = box["y"] + box["height"] / 2
    await page.mouse.click(box["x"] + box["width"] * 0.8, middle_y)  # the right half
    await at(page, 2)
    await page.mouse.click(box["x"] + box["width"] * 0.2, middle_y)  # the left half
    await at(page, 1)
    centre = box["x"] + box["width"] / 2
    for dx, slide in ((-120, 2), (-120, 3), (120, 2)):  # swipes left, left, right
        await page.mouse.move(centre - dx / 2, middle_y)
        await page.mouse.down()
        await page.mouse.move(centre + dx / 2, middle_y + 6, steps=8)
        await page.mouse.up()
        await at(page, slide)


async def test_story_slides_desktop_phone_all_time_and_shared(database_url: str) -> None:
    watcher = Watcher()
    async with year_review_site(database_url, KEY) as site:
        base, api, browser, session_id = site.base, site.api, site.browser, site.session_id
        stats = await site.all_time_and_2024("stats")
        assert stats[2024]["totals"]["films"] > 0
        # a year the API does not take, or no year: the not-found page
        for bad in ("1800", "3000", "abcd", "20245", "24", "ALL"):
            response = await api.get(f"/session/{session_id}/year/{bad}")
            assert response.status_code == 404, bad
            assert "We can't find that upload" in response.text
        assert (
            await api.get("/session/00000000-0000-4000-8000-000000000000/year/2024")
        ).status_code == 404

        context, page = await new_page(browser, watcher, DESKTOP)
        fetched: list[str] = []
        page.on("request", lambda r: fetched.append(r.url) if "/api/" in r.url else None)
        await opened(page, f"{base}/session/{session_id}/year/2024", "2024")
        assert sorted(u for u in fetched if "/card.png" not in u) == [
            f"{base}/api/session/{session_id}/review?year=2024",
            f"{base}/api/session/{session_id}/stats?year=2024",
        ]
        await snap(page, "story-desktop-intro")
        await walks_through(page, stats[2024], session_id, 2024, "desktop")
        # the slide coming in slides in, unless the reader asked for less motion
        await page.keyboard.press("ArrowRight")
        animation = (
            "() => getComputedStyle(document.querySelector('.story-slide.is-current'))"
            ".animationName"
        )
        assert await page.evaluate(animation) == "story-in-forward"
        await page.emulate_media(reduced_motion="reduce")
        await page.keyboard.press("ArrowRight")
        assert await page.evaluate(animation) == "none"

        # the dashboard links to the story of the period it shows
        await page.goto(f"{base}/session/{session_id}?year=2024")
        await expect(page.locator("#main")).to_have_attribute("data-loaded-year", "2024")
        link = page.locator("#story-link")
        await expect(link).to_have_text("Your 2024 story")
        await expect(link).to_have_attribute("href", f"/session/{session_id}/year/2024")
        await page.select_option("#year-select", "")
        await expect(page.locator("#main")).to_have_attribute("data-loaded-year", "all")
        await expect(link).to_have_text("Your story (all time)")
        await link.click()
        await expect(page.locator("#main")).to_have_attribute("data-loaded", "All time")
        await expect(page.locator("#story-films")).to_have_text(fmt(stats[None]["totals"]["films"]))
        await context.close()

        phone_context, phone = await new_page(browser, watcher, PHONE)
        await opened(phone, f"{base}/session/{session_id}/year/2024", "2024")
        await no_sideways_scroll(phone)
        await snap(phone, "story-phone-intro")
        await walks_through(phone, stats[2024], session_id, 2024, "phone")
        for n in range(SLIDES):
            await phone.keyboard.press("Home")
            for _ in range(n):
                await phone.keyboard.press("ArrowRight")
            await no_sideways_scroll(phone)
        await opened(phone, f"{base}/session/{session_id}/year/all", "All time")
        await walks_through(phone, stats[None], session_id, None, "phone-all")
        await no_sideways_scroll(phone)

        # through a share link: read-only, the share id only
        share = await api.post(f"/api/session/{session_id}/share")
        assert share.status_code == 201, share.text
        share_id = share.json()["share_id"]
        await opened(phone, f"{base}/session/{share_id}/year/2024", "2024")
        assert session_id not in await phone.content()
        await expect(phone.locator("#main")).to_have_attribute("data-access", "viewer")
        await expect(phone.locator(".story-who .badge")).to_have_text("Read-only")
        await expect(phone.locator(".story-close")).to_have_attribute(
            "href", f"/session/{share_id}?year=2024"
        )
        await phone.keyboard.press("End")
        await expect(phone.locator("#story-card")).to_have_attribute(
            "src", f"/api/session/{share_id}/card.png?year=2024&format=story"
        )
        await phone.wait_for_function(
            "() => document.getElementById('story-card').naturalWidth > 0"
        )
        assert session_id not in await phone.content()
        await snap(phone, "story-phone-shared-card")
        await phone_context.close()
    watcher.check()
