"""The web UI in Debian's Chromium, against the app and the TMDB stand-in on real ports:
upload → progress → dashboard → year → review fix → delete, plus errors, escaping and 404s."""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import FilePayload, Page, expect

from letterboxd_stats.stats.service import MAX_YEAR
from standin import StandinConfig
from tests.fixtures.apps import make_settings
from tests.fixtures.browser import PHONE, Watcher, chromium, new_page, shoot
from tests.fixtures.exports import DIARY, FILM, csv_text
from tests.fixtures.real_exports import EXPORTS
from tests.fixtures.servers import running_app, running_standin

KEY = "web-test-key"
NO_VALUE = "\N{EN DASH}"  # what the page shows before a value arrives
REAL_EXPORT = EXPORTS / "melvincarvalho"
CHARTS = [
    "chart-weeks",
    "chart-weekdays",
    "chart-ratings",
    "chart-years",
    "chart-decades",
    "chart-genres",
    "chart-countries",
]


def zip_folder(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{folder.name}/{path.relative_to(folder)}")
    return buffer.getvalue()


def app_settings(database_url: str, standin: str, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "tmdb_api_key": KEY,
        "tmdb_base_url": f"{standin}/3",
        "tmdb_rate_limit": 400.0,
        "tmdb_max_connections": 2,  # slow enough for the progress to be seen mid-run
        "enrich_write_interval_seconds": 0.05,
        "log_level": "warning",
    }
    return make_settings(database_url, **(values | overrides))


def quiet_settings(database_url: str) -> Any:
    return make_settings(database_url, log_level="warning")


def payload(name: str, mime: str, data: bytes) -> FilePayload:
    return {"name": name, "mimeType": mime, "buffer": data}


def standin_config() -> StandinConfig:
    return StandinConfig(
        api_key=KEY, synthesise=True, rate_limit=0, max_connections=0, latency_ms=30
    )


def three_hundred_films(title: str, link: str, *, years: int) -> bytes:
    """A zip of 300 films: enough for the progress page to be seen mid-run."""
    rows = [
        f"2024-01-01,{title} {n},{1950 + n % years},https://boxd.it/{link}{n}" for n in range(300)
    ]
    export = io.BytesIO()
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("watched.csv", csv_text(FILM, rows))
    return export.getvalue()


async def upload_through_page(page: Page, base: str, name: str, data: bytes, mime: str) -> None:
    await page.goto(base + "/")
    await page.set_input_files("#files", files=[payload(name, mime, data)])
    await expect(page.locator("#upload-button")).to_be_enabled()
    await page.click("#upload-button")


def session_of(page: Page) -> str:
    match = re.search(r"/session/([0-9a-f-]{36})", page.url)
    assert match, page.url
    return match.group(1)


async def bar_value(page: Page) -> float:
    value = await page.eval_on_selector("#progress-bar", "bar => bar.value")
    return float(value)


async def chart_points(page: Page, canvas_id: str) -> int:
    points = await page.evaluate(
        """id => {
            const chart = window.Chart.getChart(document.getElementById(id));
            return chart ? chart.data.datasets[0].data.length : -1;
        }""",
        canvas_id,
    )
    return int(points)


async def assert_dashboard_filled(page: Page) -> None:
    for canvas in CHARTS:
        assert await chart_points(page, canvas) > 0, canvas
    counters = page.locator("#counters .counter:not(.skeleton)")
    await expect(counters).to_have_count(10)
    assert await page.locator("#counters .counter b").first.text_content() not in ("", NO_VALUE)
    for selector in (
        "#people-directors .person",
        "#people-actors .person",
        "#list-languages li .bar",
        "#list-studios li .bar",
        "#list-keywords li .bar",
        "#milestones .film-card",
        "#diary-facts div",
        "#watchlist-facts div",
    ):
        assert await page.locator(selector).count() > 0, selector
    highs = page.locator("#highs .film-card-title")
    await expect(highs).to_have_count(8)
    assert "No data" not in await highs.all_text_contents()
    await expect(page.locator("#coverage")).to_contain_text("have TMDB data")
    await expect(page.locator("#genres-note")).to_contain_text("film")
    # posters and photos: some loaded, the missing ones replaced by their text
    assert await page.locator(".thumb img").count() > 0
    assert await page.locator(".thumb-missing .thumb-text").count() > 0


@pytest.mark.skipif(not REAL_EXPORT.is_dir(), reason=f"no real export at {REAL_EXPORT}")
async def test_upload_progress_dashboard_year_review_delete(database_url: str) -> None:
    watcher = Watcher()
    phone_watcher = Watcher(allowed_statuses={503})  # its event stream is refused: it polls
    async with (
        running_standin(standin_config()) as standin,
        running_app(app_settings(database_url, standin)) as base,
        chromium() as browser,
        httpx.AsyncClient(base_url=base, timeout=30) as api,
    ):
        desktop_context, page = await new_page(browser, watcher)
        phone_context, phone = await new_page(browser, phone_watcher, PHONE)
        await phone.route("**/events", lambda route: route.fulfill(status=503, body="no"))

        await page.goto(base + "/")
        await expect(page.locator("footer")).to_contain_text(
            "This product uses the TMDB API but is not endorsed or certified by TMDB."
        )
        await shoot(page, "upload-desktop")
        await phone.goto(base + "/")
        await shoot(phone, "upload-phone")

        # upload the real export, zipped; the page moves to the session
        await upload_through_page(
            page, base, "letterboxd-export.zip", zip_folder(REAL_EXPORT), "application/zip"
        )
        await page.wait_for_url(re.compile(r"/session/[0-9a-f-]{36}$"))
        session_id = session_of(page)

        # mid-run: the bar moves, the counts show; a reload shows the same session's state
        await page.wait_for_function(
            "() => { const b = document.getElementById('progress-bar');"
            " return b.value > 0 && b.value < 100; }"
        )
        await expect(page.locator("#progress-view")).to_be_visible()
        await expect(page.locator("#count-total")).not_to_have_text(NO_VALUE)
        await shoot(page, "progress-desktop", full_page=False)
        await phone.goto(f"{base}/session/{session_id}")
        await phone.wait_for_function("() => document.getElementById('progress-bar').value > 0")
        if await phone.locator("#progress-view").is_visible():
            await shoot(phone, "progress-phone", full_page=False)
        before = await bar_value(page)
        await page.reload()
        assert session_of(page) == session_id
        await page.wait_for_function(
            f"() => document.getElementById('progress-bar').value >= {before}"
        )

        # without the event stream, polling /status carries the phone page to the dashboard
        await expect(phone.locator("#dashboard-view")).to_be_visible(timeout=60_000)

        # the bar reaches 100 % and the dashboard replaces it by itself
        await expect(page.locator("#dashboard-view")).to_be_visible(timeout=60_000)
        assert await bar_value(page) == 100
        await expect(page.locator("#main")).to_have_attribute("data-loaded-year", "all")
        await assert_dashboard_filled(page)
        await expect(page.locator("#dash-title")).to_have_text("All time")
        await expect(page.locator("#dash-user")).to_have_text("melvincarvalho")
        await shoot(page, "dashboard-all-time-desktop")

        # the toggle switches the rankings
        await page.locator("section[aria-labelledby=people-title] .toggle-btn").nth(1).click()
        await page.locator("section[aria-labelledby=people-title] .toggle-btn").nth(0).click()

        # year selector: the years of the diary
        options = await page.locator("#year-select option").all_inner_texts()
        years = [o for o in options if o.isdigit()]
        assert years, options
        year = years[0]
        await page.select_option("#year-select", year)
        await expect(page.locator("#main")).to_have_attribute("data-loaded-year", year)
        await expect(page.locator("#dash-title")).to_have_text(f"{year} in review")
        assert page.url.endswith(f"?year={year}")
        assert await chart_points(page, "chart-weeks") >= 52
        await shoot(page, "dashboard-year-desktop")
        await page.reload()  # the year survives a reload
        await expect(page.locator("#main")).to_have_attribute("data-loaded-year", year)
        await expect(page.locator("#year-select")).to_have_value(year)

        await phone.goto(f"{base}/session/{session_id}")
        await expect(phone.locator("#main")).to_have_attribute("data-loaded-year", "all")
        await shoot(phone, "dashboard-all-time-phone")
        await phone.goto(f"{base}/session/{session_id}?year={year}")
        await expect(phone.locator("#main")).to_have_attribute("data-loaded-year", year)
        await shoot(phone, "dashboard-year-phone")

        # review: search TMDB through our API, pick a film, it is now chosen by the user
        await page.goto(f"{base}/session/{session_id}/review")
        await expect(page.locator("#review-count")).to_contain_text("to check out of")
        await page.check("#show-all")
        item = page.locator(".review-item").first
        await expect(item).to_be_visible()
        movie_id = await item.get_attribute("data-movie-id")
        title = (await item.locator(".review-title").text_content() or "").split(" (")[0]
        await item.get_by_role("button", name="Find the right film").click()
        await expect(item.get_by_label("Year")).to_have_attribute("max", str(MAX_YEAR))
        await item.get_by_label("Year").fill("")
        await item.get_by_label("Title").fill(title)
        await item.get_by_role("button", name="Search TMDB").click()
        candidates = item.locator(".candidate")
        await expect(candidates.first).to_be_visible()
        await shoot(page, "review-desktop", full_page=False)
        await phone.goto(f"{base}/session/{session_id}/review")
        await expect(phone.locator("#review-count")).to_contain_text("to check out of")
        await shoot(phone, "review-phone", full_page=False)
        await phone.check("#show-all")
        phone_item = phone.locator(".review-item").first
        await phone_item.get_by_role("button", name="Find the right film").click()
        await expect(phone_item.get_by_label("Among")).to_have_value("movie")  # or TV series
        await shoot(phone, "review-search-phone", full_page=False)
        await candidates.first.get_by_role("button").click()
        fixed = page.locator(f'.review-item[data-movie-id="{movie_id}"]')
        await expect(fixed.locator(".badge")).to_have_text("Matched · chosen by you")
        await expect(fixed.locator(".saved")).to_contain_text("Saved")
        movies = (await api.get(f"/api/session/{session_id}/movies?limit=500")).json()["items"]
        chosen = next(m for m in movies if str(m["movie_id"]) == movie_id)
        assert chosen["match_method"] == "user"
        assert chosen["match_confidence"] == 1

        # my data: the link, the downloads, then delete everything
        await page.get_by_role("link", name="My data").click()
        await expect(page.locator("#session-link")).to_have_value(f"{base}/session/{session_id}")
        await expect(page.locator("#summary-facts div")).to_have_count(8)
        assert (await api.get(f"/api/session/{session_id}/export.csv")).status_code == 200
        await shoot(page, "data-desktop")
        await phone.goto(f"{base}/session/{session_id}/data")
        await expect(phone.locator("#summary-facts div")).to_have_count(8)
        await shoot(phone, "data-phone")
        await page.click("#delete-start")
        await page.click("#delete-yes")
        await page.wait_for_url(re.compile(r"/\?deleted=1$"))
        await expect(page.locator("#deleted-note")).to_be_visible()
        assert (await api.get(f"/api/session/{session_id}/status")).status_code == 404
        watcher.allowed_statuses.add(404)  # the deleted session's page: a 404 on purpose
        response = await page.goto(f"{base}/session/{session_id}")
        assert response is not None
        assert response.status == 404

        await desktop_context.close()
        await phone_context.close()
    watcher.check()
    phone_watcher.check()


async def test_an_upload_error_is_shown_in_plain_words(database_url: str) -> None:
    watcher = Watcher(allowed_statuses={415})
    async with (
        running_app(quiet_settings(database_url)) as base,
        chromium() as browser,
    ):
        context, page = await new_page(browser, watcher)
        png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
        await upload_through_page(page, base, "poster.png", png, "image/png")
        alert = page.get_by_role("alert")
        await expect(alert).to_be_visible()
        await expect(alert).to_contain_text("That upload didn't work.")
        await expect(alert).to_contain_text("not a zip or CSV file")
        await expect(alert).to_contain_text("poster.png")
        assert page.url == base + "/"
        await shoot(page, "upload-error-desktop")
        await context.close()
    watcher.check()


XSS = "<img src=x onerror=alert(1)>"


async def test_user_text_is_escaped_and_search_says_tmdb_is_off(database_url: str) -> None:
    """No TMDB key: the upload completes at once, titles show as text, search says why."""
    watched = csv_text(FILM, [f'2024-01-02,"{XSS}",1999,https://boxd.it/xss'])
    diary = csv_text(
        DIARY, [f'2024-01-03,"{XSS}",1999,https://boxd.it/e1,4,,"<b>tag</b>",2024-01-02']
    )
    watcher = Watcher(allowed_statuses={503})
    async with (
        running_app(quiet_settings(database_url)) as base,
        chromium() as browser,
    ):
        context, page = await new_page(browser, watcher)
        await page.goto(base + "/")
        await page.set_input_files(
            "#files",
            files=[
                payload("watched.csv", "text/csv", watched.encode()),
                payload("diary.csv", "text/csv", diary.encode()),
            ],
        )
        await expect(page.locator("#chosen")).to_contain_text("2 files")
        await page.click("#upload-button")
        await page.wait_for_url(re.compile(r"/session/[0-9a-f-]{36}$"))
        session_id = session_of(page)
        await expect(page.locator("#main")).to_have_attribute("data-loaded-year", "all")
        await expect(page.locator("#notice")).to_be_visible()  # enrichment is disabled
        await expect(page.locator("#milestones")).to_contain_text(XSS)
        assert await page.locator("#milestones img").count() == 0

        await page.goto(f"{base}/session/{session_id}/review")
        item = page.locator(".review-item").first
        await page.check("#show-all")
        await expect(item.locator(".review-title")).to_contain_text(XSS)
        await item.get_by_role("button", name="Find the right film").click()
        await item.get_by_role("button", name="Search TMDB").click()
        await expect(item.locator(".search-state")).to_contain_text("no TMDB API key")
        assert await page.locator("main img").count() == 0
        await context.close()
    watcher.check()


@pytest.mark.parametrize(
    "path",
    [f"/session/{uuid.uuid4()}", "/session/not-a-session", f"/session/{uuid.uuid4()}/review"],
    ids=["unknown", "malformed", "unknown-review"],  # the same test ids in every xdist worker
)
async def test_an_unknown_session_gets_a_friendly_404(database_url: str, path: str) -> None:
    watcher = Watcher(allowed_statuses={404})
    async with (
        running_app(quiet_settings(database_url)) as base,
        chromium() as browser,
    ):
        context, page = await new_page(browser, watcher)
        response = await page.goto(base + path)
        assert response is not None
        assert response.status == 404
        await expect(page.get_by_role("heading", level=1)).to_have_text("We can't find that upload")
        await expect(page.get_by_role("link", name="Upload your export")).to_be_visible()
        await context.close()
    watcher.check()


async def test_stop_matching_from_the_progress_page(database_url: str) -> None:
    watcher = Watcher()
    export = three_hundred_films("Stoppable Film", "s", years=1000)
    async with (
        running_standin(standin_config()) as standin,
        running_app(app_settings(database_url, standin, tmdb_rate_limit=20.0)) as base,
        chromium() as browser,
        httpx.AsyncClient(base_url=base, timeout=30) as api,
    ):
        context, page = await new_page(browser, watcher)
        await upload_through_page(page, base, "export.zip", export, "application/zip")
        await page.wait_for_url(re.compile(r"/session/[0-9a-f-]{36}$"))
        session_id = session_of(page)
        await page.wait_for_function("() => document.getElementById('progress-bar').value > 0")
        await page.click("#cancel-button")
        await expect(page.locator("#dashboard-view")).to_be_visible()
        await expect(page.locator("#notice")).to_contain_text("Cancelled")
        status = (await api.get(f"/api/session/{session_id}/status")).json()
        await shoot(page, "cancelled-desktop")
        await context.close()
    watcher.check()
    assert status["status"] == "cancelled"
    assert 0 < status["enriched_count"] < 300


async def test_a_library_deleted_while_its_progress_is_watched_says_so(database_url: str) -> None:
    """The desktop follows the stream (its `end` event says the library is gone), the phone
    polls (its /status answers 404): both stop and say the library was deleted."""
    watcher = Watcher(allowed_statuses={404})
    phone_watcher = Watcher(allowed_statuses={404, 503})
    export = three_hundred_films("Deleted Film", "d", years=70)
    async with (
        running_standin(standin_config()) as standin,
        running_app(app_settings(database_url, standin, tmdb_rate_limit=20.0)) as base,
        chromium() as browser,
        httpx.AsyncClient(base_url=base, timeout=30) as api,
    ):
        context, page = await new_page(browser, watcher)
        phone_context, phone = await new_page(browser, phone_watcher, PHONE)
        await phone.route("**/events", lambda route: route.fulfill(status=503, body="no"))
        await upload_through_page(page, base, "export.zip", export, "application/zip")
        await page.wait_for_url(re.compile(r"/session/[0-9a-f-]{36}$"))
        session_id = session_of(page)
        await phone.goto(f"{base}/session/{session_id}")
        for each in (page, phone):
            await each.wait_for_function("() => document.getElementById('progress-bar').value > 0")
        deleted = await api.delete(f"/api/session/{session_id}")
        for each in (page, phone):
            await expect(each.locator("#progress-status")).to_have_text(
                "This library no longer exists (it was deleted)."
            )
            await expect(each.locator("#cancel-button")).to_be_hidden()
            await expect(each.locator("#progress-title")).to_have_text("This library was deleted")
            await expect(each.locator("#progress-bar")).to_be_hidden()
            await expect(each.get_by_role("link", name="Upload an export")).to_be_visible()
        await shoot(page, "deleted-desktop", full_page=False)
        await shoot(phone, "deleted-phone", full_page=False)
        status = await api.get(f"/api/session/{session_id}/status")
        await context.close()
        await phone_context.close()
    watcher.check()
    phone_watcher.check()
    assert deleted.status_code == 204
    assert status.status_code == 404


CLASSICS = [
    ("Heat", 1995),
    ("Ran", 1985),
    ("Amélie", 2001),
    ("Alien", 1979),
    ("Vertigo", 1958),
    ("Casablanca", 1942),
    ("Jaws", 1975),
    ("Rocky", 1976),
    ("Psycho", 1960),
    ("Fargo", 1996),
    ("Se7en", 1995),
    ("Memento", 2000),
    ("Oldboy", 2003),
    ("Zodiac", 2007),
    ("Arrival", 2016),
    ("Parasite", 2019),
    ("Amadeus", 1984),
    ("Rashomon", 1950),
    ("Ikiru", 1952),
    ("Metropolis", 1927),
    ("Goodfellas", 1990),
    ("Chinatown", 1974),
    ("Gravity", 2013),
    ("Her", 2013),
    ("Tangerine", 2015),
    ("Moonlight", 2016),
    ("Roma", 2018),
    ("Nope", 2022),
    ("Tár", 2022),
    ("Aftersun", 2022),
]


def back_filled_diary() -> bytes:
    """A diary back-filled on one placeholder date (25 films logged as seen on 2000-01-01),
    then logged as watched: 2024's viewings, a few a week."""
    watched = [
        f"2024-01-01,{title},{year},https://boxd.it/w{n}"
        for n, (title, year) in enumerate(CLASSICS)
    ]
    diary = [
        f"2024-01-01,{title},{year},https://boxd.it/b{n},,,,2000-01-01"
        for n, (title, year) in enumerate(CLASSICS[:25])
    ]
    diary += [
        f"2024-{1 + n // 3:02d}-{3 + 9 * (n % 3):02d},{title},{year},https://boxd.it/d{n},"
        f"{1 + n % 5},{'Yes' if n < 25 else ''},,2024-{1 + n // 3:02d}-{2 + 9 * (n % 3):02d}"
        for n, (title, year) in enumerate(CLASSICS)
    ]
    export = io.BytesIO()
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("watched.csv", csv_text(FILM, watched))
        archive.writestr("diary.csv", csv_text(DIARY, diary))
    return export.getvalue()


async def test_a_back_filled_diary_says_its_placeholder_date_is_left_out(database_url: str) -> None:
    watcher = Watcher()
    async with (
        running_standin(standin_config()) as standin,
        running_app(app_settings(database_url, standin, tmdb_max_connections=8)) as base,
        chromium() as browser,
    ):
        context, page = await new_page(browser, watcher)
        phone_context, phone = await new_page(browser, watcher, {"width": 390, "height": 844})
        await upload_through_page(page, base, "export.zip", back_filled_diary(), "application/zip")
        await page.wait_for_url(re.compile(r"/session/[0-9a-f-]{36}$"))
        session_id = session_of(page)
        await expect(page.locator("#dashboard-view")).to_be_visible(timeout=60_000)
        await expect(page.locator("#main")).to_have_attribute("data-loaded-year", "all")
        note = page.locator("#diary-placeholder")
        await expect(note).to_be_visible()
        await expect(note).to_contain_text("25 viewings on 2000-01-01 look back-filled")
        # the charts start with the real dates: 2024's weeks, not 24 years of empty ones
        assert await chart_points(page, "chart-weeks") < 60
        await expect(page.locator("#diary-facts")).not_to_contain_text("2000")
        await shoot(page, "dashboard-placeholder-desktop")
        await phone.goto(f"{base}/session/{session_id}")
        await expect(phone.locator("#diary-placeholder")).to_be_visible()
        await shoot(phone, "dashboard-placeholder-phone")
        # a year without placeholder dates: no note
        await page.goto(f"{base}/session/{session_id}?year=2024")
        await expect(page.locator("#main")).to_have_attribute("data-loaded-year", "2024")
        await expect(note).to_be_hidden()
        await context.close()
        await phone_context.close()
    watcher.check()
