"""The comparison page (/compare/{a}/{b}) in Debian's Chromium, against the app and the TMDB
stand-in on real ports: a friend's shared dashboard offers "Compare with my library"; the
visitor pastes their own link (checked in the page, kept in this browser only) and lands on the
comparison: the score, a disagreement with both ratings, the film on both watchlists; on a
desktop and a 390 px phone, with no console error or CSP violation. An owner id as `b` is the
404 page, as an unknown id."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.async_api import Page, expect

from letterboxd_stats.compare.schemas import HIGH, LOW
from standin import StandinConfig
from tests.fixtures.apps import AppClient
from tests.fixtures.browser import DESKTOP, Watcher, chromium, new_page, shoot
from tests.fixtures.exports import (
    FILM,
    PROFILE,
    RATINGS,
    csv_text,
    make_zip,
    multipart,
    small_export,
)
from tests.fixtures.servers import running_app, running_standin, standin_app_settings
from tests.fixtures.uploads import upload_completed

KEY = "compare-test-key"
RSQUO = "\N{RIGHT SINGLE QUOTATION MARK}"  # the page's apostrophe
PHONE_390 = {"width": 390, "height": 844}
STORAGE_KEY = "letterboxd-stats:compare-mine"
UNKNOWN = "00000000-0000-4000-8000-000000000000"

# Films of the stand-in's catalogue. Both rated the first fourteen (a score needs 10), alike
# but for Fight Club (4 stars against 1), nine of them 4 stars or more (a list longer than the
# page shows at first); Jaws is on both watchlists; Her, on a's watchlist, b loved; Memento, on
# b's watchlist, a loved.
YEARS = {
    "Heat": 1995, "Alien": 1979, "The Matrix": 1999, "Inception": 2010, "Titanic": 1997,
    "Avatar": 2009, "The Dark Knight": 2008, "Pulp Fiction": 1994, "Fight Club": 1999,
    "Forrest Gump": 1994, "Interstellar": 2014, "Jurassic Park": 1993, "Amélie": 2001,
    "Spirited Away": 2001, "Memento": 2000,
    "Se7en": 1995, "Up": 2009, "WALL·E": 2008, "Her": 2013, "Whiplash": 2014, "Jaws": 1975,
    "The Godfather": 1972, "Moon": 2009,
}  # fmt: skip
A_RATINGS = {
    "Heat": 4.5, "Alien": 4, "The Matrix": 5, "Inception": 4.5, "Titanic": 2, "Avatar": 3,
    "The Dark Knight": 4.5, "Pulp Fiction": 5, "Fight Club": 4, "Forrest Gump": 3.5,
    "Interstellar": 5, "Jurassic Park": 3.5, "Amélie": 4.5, "Spirited Away": 5,
    "Memento": 4.5, "Se7en": 4, "Up": 3,
}  # fmt: skip
B_RATINGS = {
    "Heat": 4.5, "Alien": 4, "The Matrix": 4.5, "Inception": 4, "Titanic": 1.5, "Avatar": 3,
    "The Dark Knight": 5, "Pulp Fiction": 4.5, "Fight Club": 1, "Forrest Gump": 3.5,
    "Interstellar": 4.5, "Jurassic Park": 3, "Amélie": 4, "Spirited Away": 4.5, "WALL·E": 5,
    "Her": 4.5, "Whiplash": 4,
}  # fmt: skip
A_WATCHLIST = ["Jaws", "The Godfather", "Her"]
B_WATCHLIST = ["Jaws", "Moon", "Memento"]


def export(user: str, ratings: dict[str, float], watchlist: list[str]) -> bytes:
    def row(title: str) -> str:
        return f"2024-01-01,{title},{YEARS[title]},"

    return make_zip(
        {
            "watched.csv": csv_text(FILM, [row(t) for t in ratings]),
            "ratings.csv": csv_text(RATINGS, [f"{row(t)},{r:g}" for t, r in ratings.items()]),
            "watchlist.csv": csv_text(FILM, [row(t) for t in watchlist]),
            "profile.csv": csv_text(PROFILE, [f"2020-01-01,{user},,,,,,,,"]),
        }
    )


def settings(database_url: str, standin: str) -> Any:
    return standin_app_settings(database_url, standin, KEY)


async def share(api: httpx.AsyncClient | AppClient, session_id: str) -> tuple[str, str]:
    answer = await api.post(f"/api/session/{session_id}/share")
    assert answer.status_code == 201, answer.text
    return answer.json()["share_id"], answer.json()["url"]


async def compared(page: Page) -> None:
    await expect(page.locator("#compare-view")).to_have_attribute("data-loaded", "true")


async def no_sideways_scroll(page: Page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    viewport = await page.evaluate("window.innerWidth")
    assert width <= viewport, f"the page is {width} px wide in a {viewport} px window"


async def test_compare_from_a_shared_dashboard(database_url: str) -> None:
    watcher = Watcher()
    config = StandinConfig(api_key=KEY, synthesise=True, rate_limit=0, max_connections=0)
    async with (
        running_standin(config) as standin,
        running_app(settings(database_url, standin)) as base,
        chromium() as browser,
        httpx.AsyncClient(base_url=base, timeout=30) as api,
    ):
        a = await upload_completed(api, export("anna", A_RATINGS, A_WATCHLIST))
        b = await upload_completed(api, export("ben", B_RATINGS, B_WATCHLIST))
        c = await upload_completed(api, make_zip(small_export()))  # one film in common with b
        b_share, b_url = await share(api, b)

        # ben's shared dashboard, desktop: the form, checked in the page
        context, page = await new_page(browser, watcher)
        await page.goto(b_url)
        await expect(page.locator("#main")).to_have_attribute("data-loaded-year", "all")
        block = page.locator("#compare-block")
        await expect(block).to_be_visible()
        await expect(block).to_contain_text(f"ben{RSQUO}s")
        await expect(page.locator("#compare-saved")).to_be_hidden()
        assert await page.evaluate("localStorage.length") == 0  # nothing kept before asked
        await page.click("#compare-go")
        await expect(page.locator("#compare-state")).to_contain_text("Paste the link")
        await page.fill("#compare-mine", "my library")
        await page.click("#compare-go")
        await expect(page.locator("#compare-state")).to_contain_text("not a library link")
        await expect(page.locator("#compare-mine")).to_have_attribute("aria-invalid", "true")
        await page.fill("#compare-mine", b_url)
        await page.click("#compare-go")
        await expect(page.locator("#compare-state")).to_contain_text("the link of this library")
        await shoot(page, "compare-form-desktop", full_page=False)

        # a's own link: the comparison
        await page.fill("#compare-mine", f"  {base}/session/{a}/data ")
        await page.click("#compare-go")
        await page.wait_for_url(f"{base}/compare/{a}/{b_share}")
        assert await page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')") == a
        await compared(page)
        await expect(page.locator("h1")).to_have_text(re.compile(r"You\s+&\s+ben"))
        await expect(page.locator("#score-title")).to_have_text("Compatibility")
        await expect(page.locator("#score-value")).to_have_text(re.compile(r"^\d{1,3}$"))
        await expect(page.locator("#score-text")).to_contain_text("14 films both rated")
        await expect(page.locator("#overlap-facts")).to_contain_text("14 films")
        await expect(page.locator("#taste-sections li").first).to_contain_text("/ 100")
        first = page.locator("#disagreements li").first
        await expect(first).to_contain_text("Fight Club (1999)")
        await expect(first.locator(".rating-a")).to_have_text("You 4 ★")
        await expect(first.locator(".rating-b")).to_have_text("ben 1 ★")
        await expect(first).to_contain_text("3 ★ apart")
        await expect(page.locator("#both-low")).to_contain_text("Titanic")
        await expect(page.locator("#both-watchlists")).to_contain_text("Jaws (1975)")
        her = page.locator("#for-a li", has_text="Her (2013)")
        await expect(her).to_contain_text("On your watchlist")
        await expect(her.locator(".rating-b")).to_have_text("ben 4.5 ★")
        memento = page.locator("#for-b li", has_text="Memento (2000)")
        await expect(memento).to_contain_text(f"On ben{RSQUO}s watchlist")
        await expect(page.locator("#watchlist-loved")).to_contain_text("Her (2013)")
        html = await page.content()
        assert b not in html  # b's owner id, never
        assert b.replace("-", "") not in html
        assert html.count(a) == 1  # a's own id: given to the script only (and in the address)
        await expect(page.locator("#share-compare")).to_be_hidden()  # a has no share link yet
        await no_sideways_scroll(page)
        await shoot(page, "compare-desktop")
        await shoot(page, "compare-desktop-top", full_page=False)
        loved = page.locator("#both-high > li")
        await expect(loved).to_have_count(9)
        await expect(page.locator("#both-high > li:visible")).to_have_count(8)
        await page.click("[data-more='both-high']")
        await expect(page.locator("#both-high > li:visible")).to_have_count(9)
        await expect(page.locator("[data-more]")).to_have_count(0)

        # with a share link of a's, the page offers an address without a's own id
        a_share, _ = await share(api, a)
        await page.reload()
        await compared(page)
        link = page.locator("#share-compare-link")
        await expect(link).to_have_attribute("href", f"/compare/{a_share}/{b_share}")

        # back on the shared dashboard: the link is remembered; forgotten on request
        await page.goto(b_url)
        await expect(page.locator("#compare-mine")).to_have_value(f"{base}/session/{a}")
        await expect(page.locator("#compare-saved")).to_be_visible()
        await page.click("#compare-forget")
        await expect(page.locator("#compare-mine")).to_have_value("")
        await expect(page.locator("#compare-saved")).to_be_hidden()
        assert await page.evaluate("localStorage.length") == 0

        # too few films in common: no score, the reason and the taste similarity instead
        await page.goto(f"{base}/compare/{c}/{b_share}")
        await compared(page)
        await expect(page.locator("#score-title")).to_have_text("Taste similarity")
        await expect(page.locator("#score-text")).to_contain_text("co-rated film")
        await expect(page.locator("#score-verdict")).to_have_text("No compatibility score yet")
        await shoot(page, "compare-no-score-desktop", full_page=False)

        # an owner id as b: the 404 page, as an unknown id
        watcher.allowed_statuses.add(404)
        for wrong in (b, UNKNOWN):
            response = await page.goto(f"{base}/compare/{a}/{wrong}")
            assert response is not None
            assert response.status == 404
            await expect(page.locator("h1")).to_have_text("We can't find that upload")
            assert b not in await page.content()
        await context.close()

        # a phone, 390 px: the form on the shared dashboard, then the comparison
        phone_context, phone = await new_page(browser, watcher, PHONE_390)
        await phone.goto(b_url)
        await expect(phone.locator("#main")).to_have_attribute("data-loaded-year", "all")
        await phone.locator("#compare-block").scroll_into_view_if_needed()
        await phone.fill("#compare-mine", a)  # the bare id will do
        await shoot(phone, "compare-form-phone", full_page=False)
        await phone.click("#compare-go")
        await phone.wait_for_url(f"{base}/compare/{a}/{b_share}")
        await compared(phone)
        await expect(phone.locator("#score-value")).to_have_text(re.compile(r"^\d{1,3}$"))
        await expect(phone.locator("#disagreements li").first).to_contain_text("Fight Club")
        await expect(phone.locator("#both-watchlists")).to_contain_text("Jaws")
        await no_sideways_scroll(phone)
        await shoot(phone, "compare-phone")
        await shoot(phone, "compare-phone-top", full_page=False)
        await phone_context.close()

        # a friend comparing two shared libraries: neither is "you"
        context, page = await new_page(browser, watcher, DESKTOP)
        await page.goto(f"{base}/compare/{a_share}/{b_share}")
        await compared(page)
        await expect(page.locator("h1")).to_have_text(re.compile(r"anna\s+&\s+ben"))
        await expect(page.locator("#for-a-title")).to_have_text("For anna")
        html = await page.content()
        assert a not in html
        assert b not in html
        await context.close()
    watcher.check()


async def test_the_page_takes_its_thresholds_from_the_api_and_b_must_be_shared(
    make_client: Any,
) -> None:
    client: AppClient = await make_client()
    payload = make_zip(small_export())
    a = (await client.post("/api/upload", files=multipart(("a.zip", payload)))).json()
    b = (await client.post("/api/upload", files=multipart(("b.zip", payload)))).json()
    a_id, b_id = a["session_id"], b["session_id"]
    b_share, _ = await share(client, b_id)
    page = await client.get(f"/compare/{a_id}/{b_share}")
    assert page.status_code == 200
    assert f'data-high="{HIGH:g}" data-low="{LOW:g}"' in page.text
    assert b_id not in page.text
    unknown = await client.get(f"/compare/{a_id}/{UNKNOWN}")
    as_owner = await client.get(f"/compare/{a_id}/{b_id}")
    assert unknown.status_code == as_owner.status_code == 404
    assert as_owner.text == unknown.text
    assert (await client.get(f"/compare/not-an-id/{b_share}")).status_code == 404
    # the shared dashboard offers the comparison; the owner's own does not
    assert 'id="compare-block"' in (await client.get(f"/session/{b_share}")).text
    assert 'id="compare-block"' not in (await client.get(f"/session/{b_id}")).text
