"""The "What to watch" page (/session/{id}/watch) in Debian's Chromium, against the app and the
TMDB stand-in (its deterministic watch/providers) on real ports. A library of 60 rated films and
a watchlist of 30, enriched and its taste model trained: the list is ranked by predicted stars
with their range and reasons, each film's providers are logos linking to TMDB's watch page, the
accuracy sentence is the API's, JustWatch is credited; every filter (my services, region,
length, genre, decade, sort) shows what the API answers for the same query; the owner's
services and region are saved (a reload keeps them); the progress line follows the watchlist's
phase and reloads the list when it ends; a share link opens the page read-only (no chooser, no
save: its region only changes the view); an unknown id is the 404 page. On a 1280 px desktop and
a 390 px phone, with no console error or CSP violation and no sideways scroll on the phone."""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from typing import Any

import httpx
from playwright.async_api import Page, Request, Route, expect
from standin.films import Film
from standin.sources import default_data_dir, load_films
from standin.synthesis import synthesise_film
from standin.text import normalise

from letterboxd_stats.watchlist.constants import MIN_RATED
from standin import StandinConfig
from tests.fixtures.browser import Watcher, chromium, new_page, shoot
from tests.fixtures.exports import FILM, PROFILE, RATINGS, csv_text, make_zip
from tests.fixtures.servers import running_app, running_standin, standin_app_settings
from tests.fixtures.standin import HAS_SHARED_DATA
from tests.fixtures.uploads import upload_completed

KEY = "watch-test-key"
DESKTOP_1280 = {"width": 1280, "height": 900}
PHONE_390 = {"width": 390, "height": 844}
UNKNOWN = "00000000-0000-4000-8000-000000000000"
PAGE = 20  # the films the page shows before "Show more" (watch.js)
RATED, LISTED = 60, 30
RSQUO = "\N{RIGHT SINGLE QUOTATION MARK}"  # the page's apostrophe
NDASH = "\N{EN DASH}"  # between the low and high predictions
OFFER_TYPES = ("flatrate", "free", "ads", "rent", "buy")


def films() -> list[Film]:
    """90 films the stand-in knows: well-known ones of its catalogue (one film per title, no
    comma or quote in it), else synthesised ones (the same film for the same title and year)."""
    if HAS_SHARED_DATA:
        catalogue = load_films(default_data_dir())
        names = Counter(normalise(f.title) for f in catalogue)
        known = [
            f
            for f in catalogue
            if f.vote_count >= 2000
            and f.release_date
            and f.runtime
            and f.genres
            and names[normalise(f.title)] == 1
            and not any(c in f.title for c in ',"')
        ]
        return sorted(known, key=lambda f: (-f.popularity, f.id))[: RATED + LISTED]
    return [synthesise_film(f"Night Train {n}", 1960 + n % 60) for n in range(RATED + LISTED)]


def stars(film: Film) -> float:
    """A taste the model can learn: dramas and animation loved, action and fantasy less."""
    genres = {name for _, name in film.genres}
    value = (
        3.0
        + 1.5 * ("Drama" in genres)
        + 1.0 * ("Animation" in genres)
        - 1.0 * ("Action" in genres)
        - 0.5 * ("Fantasy" in genres)
        + (film.id * 7919 % 5 - 2) / 4
    )
    return min(5.0, max(0.5, round(value * 2) / 2))


def export() -> bytes:
    chosen = films()
    listed = [f for i, f in enumerate(chosen) if i % 3 == 1]
    rated = [f for i, f in enumerate(chosen) if i % 3 != 1]
    assert (len(rated), len(listed)) == (RATED, LISTED)

    def row(film: Film, day: str = "2024-01-01") -> str:
        return f"{day},{film.title},{film.release_date[:4]},"

    return make_zip(
        {
            "watched.csv": csv_text(FILM, [row(f) for f in rated]),
            "ratings.csv": csv_text(RATINGS, [f"{row(f)},{stars(f):g}" for f in rated]),
            "watchlist.csv": csv_text(
                FILM, [row(f, f"2024-03-{i % 28 + 1:02d}") for i, f in enumerate(listed)]
            ),
            "profile.csv": csv_text(PROFILE, ["2020-01-01,anna,,,,,,,,"]),
        }
    )


async def settled(api: httpx.AsyncClient, session_id: str, timeout: float = 90.0) -> Any:
    """The watchlist once its phase ended, its model is trained for the library as it is and
    no offer is pending (the job's last steps, in the background)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        status = (await api.get(f"/api/session/{session_id}/status")).json()
        if status["watchlist_enriched"] >= status["watchlist_total"]:
            body = (await api.get(f"/api/session/{session_id}/watchlist")).json()
            model = body["model"]
            if model["status"] == "ready" and model["up_to_date"] and not body["where"]["pending"]:
                return body
        assert loop.time() < deadline, "the watchlist never settled"
        await asyncio.sleep(0.25)


async def answer(api: httpx.AsyncClient, session_id: str, query: str = "") -> Any:
    response = await api.get(f"/api/session/{session_id}/watchlist?limit={PAGE}&{query}")
    assert response.status_code == 200, response.text
    return response.json()


def streams_on(item: Any, provider_id: int) -> bool:
    offers = item["offers"] or {}
    return any(
        p["id"] == provider_id for kind in ("flatrate", "free", "ads") for p in offers.get(kind, [])
    )


def n_films(n: int) -> str:
    return f"{n} film" if n == 1 else f"{n} films"


def titles(body: Any) -> list[str]:
    return [item["title"] for item in body["items"]]


async def loaded(page: Page) -> None:
    await expect(page.locator("#watch-view")).to_have_attribute("data-state", "ready")


async def shown(page: Page) -> list[str]:
    await loaded(page)
    return await page.locator("#watch-list .watch-title-text").all_text_contents()


async def shows(page: Page, api: httpx.AsyncClient, session_id: str, query: str) -> Any:
    """The page shows what the API answers for `query` (its first page, its total)."""
    body = await answer(api, session_id, query)
    assert body["total"] > 0, query  # a filter that keeps nothing would prove little
    assert await shown(page) == titles(body), query
    count = f"{min(PAGE, body['total'])} of {body['total']} film"
    await expect(page.locator("#watch-count")).to_contain_text(count)
    return body


async def no_sideways_scroll(page: Page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    viewport = await page.evaluate("window.innerWidth")
    assert width <= viewport, f"the page is {width} px wide in a {viewport} px window"


def puts_of(page: Page) -> list[str]:
    """The PUT requests the page sends, as they happen."""
    sent: list[str] = []

    def note(request: Request) -> None:
        if request.method == "PUT":
            sent.append(request.url)

    page.on("request", note)
    return sent


async def test_what_to_watch_desktop_phone_filters_services_and_share(database_url: str) -> None:
    watcher = Watcher()
    config = StandinConfig(api_key=KEY, synthesise=True, rate_limit=0, max_connections=0)
    payload = export()
    async with (
        running_standin(config) as standin,
        running_app(standin_app_settings(database_url, standin, KEY)) as base,
        chromium() as browser,
        httpx.AsyncClient(base_url=base, timeout=30) as api,
    ):
        session_id = await upload_completed(api, payload)
        full = await settled(api, session_id)
        assert full["total"] == LISTED
        model = full["model"]
        page_url = f"{base}/session/{session_id}/watch"

        # the dashboard links to the page
        context, page = await new_page(browser, watcher, DESKTOP_1280)
        await page.goto(f"{base}/session/{session_id}")
        await expect(page.locator("#watch-link")).to_have_attribute(
            "href", f"/session/{session_id}/watch"
        )
        await page.click("#watch-link")
        await page.wait_for_url(page_url)
        puts = puts_of(page)

        # ranked by predicted stars, with the range, the reasons, the offers
        first = await shows(page, api, session_id, "")
        items = first["items"]
        assert all(item["predicted"] is not None for item in items)
        shown_stars = [
            float(s.rstrip("★")) for s in await page.locator(".watch-stars").all_text_contents()
        ]
        assert shown_stars == [float(f"{item['predicted']:.1f}") for item in items]
        assert shown_stars == sorted(shown_stars, reverse=True)
        top, row = items[0], page.locator("#watch-list > li").first
        await expect(row.locator(".watch-score")).to_contain_text(
            f"{top['predicted']:.1f}★ ({top['low']:.1f}{NDASH}{top['high']:.1f})"
        )
        await expect(row.locator(".watch-title")).to_have_text(f"{top['title']} ({top['year']})")
        assert top["reasons"], "the first film has reasons"
        await expect(row.locator(".reasons li")).to_have_text(top["reasons"][:3])
        await expect(page.locator("#accuracy-summary")).to_have_text(model["summary"])
        await expect(page.locator("#ranked-by")).to_contain_text(
            "Ranked by your taste" if model["ranked_by"] == "model" else f"TMDB{RSQUO}s average"
        )
        streaming = next(i for i in items if i["offers"] and i["offers"]["flatrate"])
        at = titles(first).index(streaming["title"])
        logos = page.locator("#watch-list > li").nth(at).locator(".offers .logos")
        stream = logos.first  # the first group: Stream
        await expect(stream).to_have_attribute("aria-label", re.compile(r"^Stream in "))
        for n, provider in enumerate(streaming["offers"]["flatrate"]):
            link = stream.locator("a").nth(n)
            await expect(link).to_have_attribute("href", streaming["offers"]["link"])
            # the logo's alt text, or its name when the logo did not load
            await expect(link).to_have_accessible_name(provider["name"])
        nowhere = [i for i in items if i["offers"] and not any(i["offers"][k] for k in OFFER_TYPES)]
        for item in nowhere:
            row = page.locator("#watch-list > li").nth(titles(first).index(item["title"]))
            await expect(row.locator(".offers-none")).to_have_text("Not offered in United States.")
        credit = page.locator("#watch-credit")
        await expect(credit).to_have_text(full["where"]["attribution"])
        await expect(credit.get_by_role("link", name="JustWatch")).to_have_attribute(
            "href", "https://www.justwatch.com"
        )
        await expect(page.locator("#watch-progress")).to_be_hidden()
        await expect(page.locator(".session-nav [aria-current='page']")).to_have_text(
            "What to watch"
        )
        assert await page.locator("main img:not([alt])").count() == 0
        await page.click("#accuracy-figures > summary")  # the figures behind the sentence
        figures = page.locator("#figures-rows tr")
        await expect(figures).to_have_count(3)
        await expect(figures.nth(0)).to_contain_text(f"{model['model']['mae']:.2f}★")
        await expect(figures.nth(1)).to_contain_text(f"{model['tmdb_average']['mae']:.2f}★")
        await expect(figures.nth(2)).to_contain_text(f"{model['mean_rating']['mae']:.2f}★")
        await no_sideways_scroll(page)
        await shoot(page, "watch-desktop")

        # "Show more": the rest of the list
        await page.click("#watch-more")
        await expect(page.locator("#watch-list > li")).to_have_count(LISTED)
        await expect(page.locator("#watch-more")).to_be_hidden()
        await expect(
            page.locator("#watch-list > li").nth(PAGE).locator(".watch-title")
        ).to_be_focused()

        # each filter alone shows the API's answer to the same query, and is kept in the address
        genre = Counter(g for i in full["items"] for g in i["genres"]).most_common(1)[0][0]
        decade = Counter(i["year"] // 10 * 10 for i in full["items"]).most_common(1)[0][0]
        for control, value, query in [
            ("#f-runtime", "120", "max_runtime=120"),
            ("#f-genre", genre, f"genre={genre}"),
            ("#f-decade", str(decade), f"decade={decade}"),
            ("#f-sort", "runtime", "sort=runtime"),
            ("#f-sort", "added", "sort=added"),
            ("#f-sort", "popularity", "sort=popularity"),
        ]:
            await page.select_option(control, value)
            body = await shows(page, api, session_id, query)
            assert query.replace(" ", "+") in page.url
            if query == "sort=runtime":
                runtimes = [i["runtime"] for i in body["items"]]
                assert runtimes == sorted(runtimes)
            default = "predicted" if control == "#f-sort" else ""
            await page.select_option(control, default)
            await shows(page, api, session_id, "")
        # the keyboard: a filter changed with the arrow keys, its focus visible
        await page.focus("#f-sort")
        await page.keyboard.press("ArrowDown")
        await shows(page, api, session_id, "sort=runtime")
        await expect(page.locator("#f-sort")).to_be_focused()
        await page.keyboard.press("ArrowUp")
        await shows(page, api, session_id, "")
        assert puts == []  # filters save nothing

        # my services: none chosen yet (the toggle waits for them); the chooser lists the
        # providers streaming the watchlist here, with their logos and films; saved
        mine = page.locator("#f-mine")
        await expect(mine).to_be_disabled()
        await expect(page.locator("#mine-hint")).to_contain_text("Choose your services")
        provider = full["where"]["providers"][0]
        await page.focus("#services > summary")  # by keyboard: open, tick, save
        await page.keyboard.press("Enter")
        await expect(page.locator("#services")).to_have_attribute("open", "")
        choices = page.locator("#services-list li")
        await expect(choices).to_have_count(len(full["where"]["providers"]))
        choice = page.locator(f"label[for='service-{provider['id']}']")
        await expect(choice).to_contain_text(provider["name"])
        await expect(choice).to_contain_text(f"{provider['films']} film")
        await page.focus(f"#service-{provider['id']}")
        await page.keyboard.press("Space")
        await expect(page.locator(f"#service-{provider['id']}")).to_be_checked()
        focus_ring = await page.evaluate("getComputedStyle(document.activeElement).boxShadow")
        assert focus_ring != "none", "the focused checkbox shows its focus"
        await page.focus("#services-save")
        await page.keyboard.press("Enter")
        await expect(page.locator("#services-state")).to_have_text("Saved: 1 service.")
        assert len(puts) == 1
        await expect(mine).to_be_checked()  # the first services chosen: the list keeps to them
        on_mine = await shows(page, api, session_id, f"providers={provider['id']}")
        assert on_mine["total"] == provider["films"]
        for n in range(len(on_mine["items"])):
            ring = page.locator("#watch-list > li").nth(n).locator(".logo.mine")
            await expect(ring.first).to_be_visible()  # the service, marked on every film
        await shoot(page, "watch-services-desktop")
        saved = (await answer(api, session_id))["where"]
        assert saved["services"] == [provider["id"]]
        # nothing on my services with a filter: said so, and one button shows every film
        on_it = {i["year"] // 10 * 10 for i in full["items"] if streams_on(i, provider["id"])}
        empty = min({i["year"] // 10 * 10 for i in full["items"]} - on_it)
        assert (await answer(api, session_id, f"providers={provider['id']}&decade={empty}"))[
            "total"
        ] == 0
        await page.select_option("#f-decade", str(empty))
        await loaded(page)
        await expect(page.locator("#watch-list > li")).to_have_count(0)
        await expect(page.locator("#watch-empty-text")).to_have_text(
            "No film on your services in United States matches these filters."
        )
        await page.click("#watch-reset")
        await shows(page, api, session_id, "")
        await expect(mine).not_to_be_checked()
        await expect(page.locator("#f-decade")).to_have_value("")
        await page.check("#f-mine")
        await shows(page, api, session_id, f"providers={provider['id']}")
        await page.reload()  # saved: a reload keeps the services and the toggle (?mine=1)
        await shows(page, api, session_id, f"providers={provider['id']}")
        await expect(mine).to_be_checked()
        await page.click("#services > summary")
        await expect(page.locator(f"#service-{provider['id']}")).to_be_checked()
        await page.uncheck("#f-mine")
        await shows(page, api, session_id, "")

        # the region: saved with the services kept; the list, the providers are the region's
        regions = {r["code"]: r for r in full["where"]["regions"]}
        await expect(page.locator("#f-region")).to_have_value("US")
        assert "GB" in regions
        await expect(page.locator("#f-region option[value='GB']")).to_have_text(
            f"United Kingdom ({n_films(regions['GB']['films'])})"
        )
        await page.select_option("#f-region", "GB")
        await expect(page.locator("#region-state")).to_have_text("Saved: United Kingdom.")
        in_gb = await shows(page, api, session_id, "")
        assert in_gb["where"]["region"] == "GB"
        assert in_gb["where"]["services"] == [provider["id"]]
        assert titles(in_gb) == titles(await answer(api, session_id, "region=GB"))
        await expect(page.locator("#services-region")).to_have_text("United Kingdom")
        gb_names = [p["name"] for p in in_gb["where"]["providers"]]
        await expect(page.locator("#services-list .service-name")).to_have_text(gb_names)
        await page.reload()
        await loaded(page)
        await expect(page.locator("#f-region")).to_have_value("GB")
        assert len(puts) == 2
        await context.close()

        # the phone, 390 px: the same list, readable, no sideways scroll
        phone_context, phone = await new_page(browser, watcher, PHONE_390)
        await phone.goto(page_url)
        await shows(phone, api, session_id, "")
        await expect(
            phone.locator("#watch-list > li").first.locator(".watch-score")
        ).to_be_visible()
        await no_sideways_scroll(phone)
        await shoot(phone, "watch-phone")
        await phone.select_option("#f-sort", "added")
        await shows(phone, api, session_id, "sort=added")
        await no_sideways_scroll(phone)
        await phone_context.close()

        # the watchlist's phase still running: the progress line, then the list loaded again
        context, page = await new_page(browser, watcher, DESKTOP_1280)
        faked = {"left": 2}

        async def mid_phase(route: Route) -> None:
            response = await route.fetch()
            body = await response.json()
            if faked["left"] > 0:
                faked["left"] -= 1
                body["watchlist_enriched"] = 10
            await route.fulfill(response=response, body=json.dumps(body))

        await page.route(re.compile(r"/api/session/[^/]+/status$"), mid_phase)
        lists: list[str] = []
        page.on("request", lambda r: lists.append(r.url) if "/watchlist?" in r.url else None)
        await page.goto(page_url)
        progress = page.locator("#watch-progress")
        await expect(progress).to_be_visible()
        await expect(progress).to_contain_text(f"Fetching your watchlist: 10 of {LISTED}")
        await expect(page.locator("#watch-progress-bar")).to_have_attribute("max", str(LISTED))
        await shoot(page, "watch-progress-desktop", full_page=False)
        asked = len(lists)
        await expect(progress).to_be_hidden(timeout=15_000)
        await loaded(page)
        assert len(lists) > asked  # loaded again once the phase ended
        await expect(page.locator("#watch-list > li")).to_have_count(PAGE)
        await context.close()

        # a share link: read-only, the owner's region, no chooser, nothing saved
        shared = await api.post(f"/api/session/{session_id}/share")
        share_id = shared.json()["share_id"]
        context, viewer = await new_page(browser, watcher, DESKTOP_1280)
        viewer_puts = puts_of(viewer)
        await viewer.goto(f"{base}/session/{share_id}")
        await expect(viewer.locator("#watch-link")).to_have_attribute(
            "href", f"/session/{share_id}/watch"
        )
        await viewer.goto(f"{base}/session/{share_id}/watch")
        await shows(viewer, api, share_id, "")
        await expect(viewer.locator("#shared-banner")).to_contain_text("read-only")
        assert await viewer.locator("#services, #services-form, #services-save").count() == 0
        await expect(viewer.locator("#f-region")).to_have_value("GB")  # the owner's
        await expect(viewer.locator("#f-mine-label")).to_have_text(f"On anna{RSQUO}s services")
        await viewer.check("#f-mine")
        await shows(viewer, api, share_id, f"providers={provider['id']}")
        await viewer.uncheck("#f-mine")
        await viewer.select_option("#f-region", "US")
        await shows(viewer, api, share_id, "region=US")
        assert "region=US" in viewer.url
        await viewer.reload()
        await expect(viewer.locator("#f-region")).to_have_value("US")  # this view's
        html = await viewer.content()
        assert session_id not in html
        assert viewer_puts == []
        assert (await answer(api, session_id))["where"]["region"] == "GB"  # the owner's, still
        await shoot(viewer, "watch-shared-desktop", full_page=False)

        # a filter written by hand that the API refuses (422): every film instead, said so
        watcher.allowed_statuses.add(422)
        await viewer.goto(f"{base}/session/{share_id}/watch?decade=1975")
        await shows(viewer, api, share_id, "")
        await expect(viewer.locator("#watch-notice")).to_contain_text("showing every film")
        assert "decade" not in viewer.url

        # a library without a watchlist, too few ratings for a model: both said in plain words
        lone = await upload_completed(
            api, make_zip({"watched.csv": csv_text(FILM, ["2024-01-01,Heat,1995,"])})
        )
        while (lone_model := (await answer(api, lone))["model"])["status"] == "training":
            await asyncio.sleep(0.1)  # the job's last step: a model of nothing, said so
        assert lone_model["status"] == "too_few"
        await viewer.goto(f"{base}/session/{lone}/watch")
        await loaded(viewer)
        await expect(viewer.locator("#watch-empty-text")).to_have_text(
            re.compile(r"^Your watchlist is empty")
        )
        await expect(viewer.locator("#watch-reset")).to_be_hidden()
        await expect(viewer.locator("#accuracy-summary")).to_have_text(lone_model["summary"])
        await expect(viewer.locator("#accuracy-note")).to_contain_text(
            f"Rate at least {MIN_RATED} films"
        )
        await expect(viewer.locator("#watch-more")).to_be_hidden()

        # an unknown id: the app's not-found page
        watcher.allowed_statuses.add(404)
        response = await viewer.goto(f"{base}/session/{UNKNOWN}/watch")
        assert response is not None
        assert response.status == 404
        await expect(viewer.locator("h1")).to_have_text("We can't find that upload")
        await context.close()
    watcher.check()
