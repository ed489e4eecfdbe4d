"""The "Completion" page (/session/{id}/completion) in Debian's Chromium, against the app and the
TMDB stand-in on real ports. A library that watched two Star Wars films (the stand-in's "Star
Wars Collection", derived from its titles) with a third on its watchlist, three of Steven
Spielberg's films, and a ranked list: each section's rings and numbers are the API's, the
collection's missing films are listed (the watchlist badge on the one listed), the ranked
list's missing films with their positions; the owner hides a person and shows them again (a
reload keeps either); the progress line follows the completion phase and loads the page again
when it ends; a share link opens the page read-only (no hide control, no owner id). On a 1280 px
desktop and a 390 px phone, with no console error or CSP violation, no sideways scroll on the
phone."""

from __future__ import annotations

import asyncio
import json
import math
import re
from typing import Any

import httpx
import pytest
from playwright.async_api import Locator, Page, Route, expect
from standin.catalogue import load_catalogue
from standin.films import Film
from standin.people import person_id
from standin.sources import default_data_dir, load_films

from standin import StandinConfig
from tests.fixtures.browser import Watcher, chromium, new_page, shoot
from tests.fixtures.exports import FILM, PROFILE, csv_text, list_csv, make_zip
from tests.fixtures.servers import running_app, running_standin, standin_app_settings
from tests.fixtures.standin import HAS_SHARED_DATA, NEEDS_SHARED_DATA
from tests.fixtures.uploads import upload_completed

pytestmark = pytest.mark.skipif(not HAS_SHARED_DATA, reason=NEEDS_SHARED_DATA)

KEY = "completion-test-key"
DESKTOP_1280 = {"width": 1280, "height": 900}
PHONE_390 = {"width": 390, "height": 844}
SECTIONS = ("collections", "directors", "actors", "lists")
SPIELBERG = "Steven Spielberg"


def film(title: str, year: int) -> Film:
    """The stand-in's one film of that title and year."""
    (found,) = [
        f
        for f in load_films(default_data_dir())
        if f.title == title and f.release_date[:4] == str(year)
    ]
    return found


def star_wars() -> tuple[int, list[Film]]:
    """The stand-in's Star Wars collection (its id) and its first three films."""
    catalogue = load_catalogue()
    first = film("Star Wars", 1977)
    collection = catalogue.collection_of(first.id)
    assert collection is not None
    found = catalogue.collection(collection.id)
    assert found is not None
    _, parts = found
    episodes = [f for f in parts if f.title.startswith("Star Wars: Episode")]
    return collection.id, [first, *episodes[:2]]


def row(f: Film, day: str = "2024-01-01") -> str:
    return f"{day},{f.title},{f.release_date[:4]},"


def export() -> tuple[bytes, dict[str, Any]]:
    collection_id, (new_hope, menace, clones) = star_wars()
    spielberg = [film("Jaws", 1975), film("Munich", 2005), film("Lincoln", 2012)]
    assert all(SPIELBERG in f.directors for f in spielberg)
    unseen = [film("Jurassic Park", 1993), film("Hook", 1991)]
    ranked = [
        f"1,{spielberg[0].title},{spielberg[0].release_date[:4]},,",
        f"2,{unseen[0].title},{unseen[0].release_date[:4]},,",
        f"3,{spielberg[1].title},{spielberg[1].release_date[:4]},,",
        f"4,{unseen[1].title},{unseen[1].release_date[:4]},,",
    ]
    payload = make_zip(
        {
            "watched.csv": csv_text(FILM, [row(f) for f in [new_hope, menace, *spielberg]]),
            "watchlist.csv": csv_text(FILM, [row(clones, "2024-02-01")]),
            "profile.csv": csv_text(PROFILE, ["2020-01-01,anna,,,,,,,,"]),
            "lists/ranked.csv": list_csv("Spielberg ranked", ranked),
        }
    )
    known = {"collection": collection_id, "clones": clones, "unseen": unseen}
    return payload, known


async def settled(api: httpx.AsyncClient, session_id: str, timeout: float = 90.0) -> Any:
    """The completion once its phase fetched every collection and filmography."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        status = (await api.get(f"/api/session/{session_id}/status")).json()
        if status["extras_total"] > 0 and status["extras_done"] == status["extras_total"]:
            body = (await api.get(f"/api/session/{session_id}/completion")).json()
            if not body["pending"]:
                return body
        assert loop.time() < deadline, "the completion phase never ended"
        await asyncio.sleep(0.25)


async def completion(api: httpx.AsyncClient, session_id: str) -> Any:
    response = await api.get(f"/api/session/{session_id}/completion")
    assert response.status_code == 200, response.text
    return response.json()


def items_of(body: Any, section: str) -> list[Any]:
    if section in ("directors", "actors"):
        return list(body["people"][section])
    return list(body[section])


def films_seen(seen: int, total: int) -> str:
    return f"{seen} of {total} film{'' if total == 1 else 's'} seen"


def shown_percent(item: Any) -> str:
    whole = 100 if item["seen"] >= item["total"] > 0 else math.floor(item["percent"])
    return f"{whole}%"


async def loaded(page: Page) -> None:
    view = page.locator("#completion-view")
    await expect(view).to_have_attribute("data-state", "ready")
    await expect(view).to_have_attribute("data-working", "false")


async def shows(page: Page, body: Any) -> None:
    """Every section's cards: the API's items, in its order, their rings and numbers."""
    await loaded(page)
    for section in SECTIONS:
        items = items_of(body, section)
        cards = page.locator(f"#{section}-list > .completion-card")
        await expect(cards).to_have_count(len(items))
        await expect(cards.locator(".card-name")).to_have_text([i["name"] for i in items])
        await expect(cards.locator(".card-count")).to_have_text(
            [f"{i['seen']} of {i['total']}" for i in items]
        )
        rings = await cards.locator(".ring").all()
        assert [await r.get_attribute("role") for r in rings] == ["img"] * len(items)
        labels = [await r.get_attribute("aria-label") for r in rings]
        assert labels == [films_seen(i["seen"], i["total"]) for i in items], section
        await expect(cards.locator(".ring-text")).to_have_text([shown_percent(i) for i in items])
        empty = page.locator(f"#{section}-empty")
        if items:
            await expect(empty).to_be_hidden()
        else:
            await expect(empty).to_be_visible()


def card(page: Page, section: str, item_id: int) -> Locator:
    return page.locator(f"#{section}-list > .completion-card[data-id='{item_id}']")


async def missing_titles(page: Page, where: Locator) -> list[str]:
    details = where.locator("details.missing")
    if await details.get_attribute("open") is None:
        await details.locator("summary").click()
    await expect(details.locator(".missing-film").first).to_be_visible()
    return await details.locator(".missing-title").all_text_contents()


async def no_sideways_scroll(page: Page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    viewport = await page.evaluate("window.innerWidth")
    assert width <= viewport, f"the page is {width} px wide in a {viewport} px window"


async def phase_bars(page: Page, url: str) -> None:
    """The progress view's short bars (progress.js's render() from /status): the watchlist's
    phase and the completion's, as /status says while they run (faked: the library is done)."""
    faked = {"on": True}

    async def running(route: Route) -> None:
        response = await route.fetch()
        status = await response.json()
        if faked["on"]:
            status |= {"status": "enriching", "watchlist_total": 4, "watchlist_enriched": 1}
            status |= {"extras_total": 7, "extras_done": 3}
        await route.fulfill(response=response, body=json.dumps(status))

    async def no_stream(route: Route) -> None:
        await route.fulfill(status=204, body="")

    await page.route(re.compile(r"/api/session/[^/]+/status$"), running)
    await page.route(re.compile(r"/api/session/[^/]+/events$"), no_stream)
    await page.goto(url)
    await expect(page.locator("#phase-watchlist-text")).to_have_text("1 of 4")
    await expect(page.locator("#phase-extras-text")).to_have_text("3 of 7")
    await expect(page.locator("#phase-extras-bar")).to_have_attribute("max", "7")
    assert await page.eval_on_selector("#phase-extras-bar", "bar => bar.value") == 3
    assert await page.eval_on_selector("#phase-watchlist", "box => box.hidden") is False
    faked["on"] = False  # done: the dashboard, the bars' last values the real ones
    await expect(page.locator("#dashboard-view")).to_be_visible()
    await expect(page.locator("#phase-extras-text")).not_to_have_text("3 of 7")
    await page.unroute(re.compile(r"/api/session/[^/]+/status$"))
    await page.unroute(re.compile(r"/api/session/[^/]+/events$"))


def titled(film: Any) -> str:
    return f"{film['title']} ({film['year']})" if film["year"] else film["title"]


async def test_completion_desktop_phone_hide_and_share(database_url: str) -> None:
    watcher = Watcher()
    config = StandinConfig(api_key=KEY, synthesise=True, rate_limit=0, max_connections=0)
    payload, known = export()
    async with (
        running_standin(config) as standin,
        running_app(standin_app_settings(database_url, standin, KEY)) as base,
        chromium() as browser,
        httpx.AsyncClient(base_url=base, timeout=30) as api,
    ):
        session_id = await upload_completed(api, payload)
        body = await settled(api, session_id)
        page_url = f"{base}/session/{session_id}/completion"
        saga = next(c for c in body["collections"] if c["id"] == known["collection"])
        assert saga["seen"] == 2
        spielberg_id = person_id(SPIELBERG)
        director = next(d for d in body["people"]["directors"] if d["id"] == spielberg_id)
        assert director["seen"] == 3
        assert body["people"]["actors"]
        (ranked,) = body["lists"]
        assert (ranked["seen"], ranked["total"]) == (2, 4)

        # the dashboard links to the page; so does the owner's menu
        context, page = await new_page(browser, watcher, DESKTOP_1280)
        await page.goto(f"{base}/session/{session_id}")
        await expect(page.locator("#completion-link")).to_have_attribute(
            "href", f"/session/{session_id}/completion"
        )
        await expect(page.locator(".session-nav a", has_text="Completion")).to_have_attribute(
            "href", f"/session/{session_id}/completion"
        )
        await phase_bars(page, f"{base}/session/{session_id}")
        await page.click("#completion-link")
        await page.wait_for_url(page_url)
        await shows(page, body)
        await expect(page.locator("h1")).to_have_text("Completion")
        await expect(page.locator(".session-nav [aria-current='page']")).to_have_text("Completion")
        await expect(page.locator("#completion-progress")).to_be_hidden()

        # the collection: its missing films, the one on the watchlist badged
        saga_card = card(page, "collections", saga["id"])
        assert await missing_titles(page, saga_card) == [titled(m) for m in saga["missing"]]
        clones = known["clones"].title
        assert clones in [m["title"] for m in saga["missing"]]
        clones_row = saga_card.locator(".missing-film", has_text=clones)
        await expect(clones_row.locator(".badge-watchlist")).to_have_text("on your watchlist")
        for m in saga["missing"]:
            if not m["released"]:
                shown = saga_card.locator(".missing-film", has_text=m["title"])
                await expect(shown.locator(".badge-soon")).to_have_text("not out yet")
        # the director's: what is missing, the unreleased ones said so
        director_card = card(page, "directors", spielberg_id)
        assert await missing_titles(page, director_card) == [titled(m) for m in director["missing"]]
        soon = sum(not m["released"] for m in director["missing"])
        await expect(director_card.locator(".badge-soon")).to_have_count(soon)
        # the ranked list: the films not seen, with their places
        list_card = page.locator("#lists-list > .completion-card").first
        assert await missing_titles(page, list_card) == [titled(m) for m in ranked["missing"]]
        await expect(list_card.locator(".missing-position")).to_have_text(["#2", "#4"])
        await expect(list_card.locator(".hide-button")).to_have_count(0)  # a list is not hidden
        await no_sideways_scroll(page)
        await shoot(page, "completion-desktop")

        # hide a person: gone from the directors, in the Hidden fold-out; a reload keeps it
        await director_card.locator(".hide-button").click()
        await expect(director_card).to_have_count(0)
        await loaded(page)
        hidden = await completion(api, session_id)
        assert hidden["hidden"] == [{"kind": "person", "id": spielberg_id}]
        await shows(page, hidden)
        await expect(page.locator("#hidden-block > summary")).to_be_focused()
        await expect(page.locator("#hidden-count")).to_have_text("(1)")
        await page.reload()
        await shows(page, hidden)
        await expect(card(page, "directors", spielberg_id)).to_have_count(0)
        await page.click("#hidden-block > summary")
        again = page.locator(f"#hidden-list .hidden-item[data-id='{spielberg_id}']")
        await expect(again.locator(".hidden-name")).to_have_text(SPIELBERG)
        # ... and show it again: back, and a reload keeps that too
        await again.get_by_role("button", name=f"Show {SPIELBERG} again").click()
        await expect(card(page, "directors", spielberg_id)).to_have_count(1)
        assert (await completion(api, session_id))["hidden"] == []
        await page.reload()
        await shows(page, body)
        await expect(page.locator("#hidden-list > li")).to_have_count(0)
        await expect(page.locator("#hidden-count")).to_have_text("")
        await context.close()

        # the phone, 390 px: the same rings, no sideways scroll
        phone_context, phone = await new_page(browser, watcher, PHONE_390)
        await phone.goto(page_url)
        await shows(phone, body)
        await missing_titles(phone, card(phone, "collections", saga["id"]))
        await no_sideways_scroll(phone)
        await shoot(phone, "completion-phone")
        await phone_context.close()

        # the completion phase still running: the progress line, then the page loaded again
        context, page = await new_page(browser, watcher, DESKTOP_1280)
        faked = {"left": 2}
        total = (await api.get(f"/api/session/{session_id}/status")).json()["extras_total"]

        async def mid_phase(route: Route) -> None:
            response = await route.fetch()
            status = await response.json()
            if faked["left"] > 0:
                faked["left"] -= 1
                status["extras_done"] = 1
            await route.fulfill(response=response, body=json.dumps(status))

        await page.route(re.compile(r"/api/session/[^/]+/status$"), mid_phase)
        loads: list[str] = []
        page.on("request", lambda r: loads.append(r.url) if r.url.endswith("/completion") else None)
        await page.goto(page_url)
        progress = page.locator("#completion-progress")
        await expect(progress).to_be_visible()
        await expect(progress).to_contain_text(
            f"Fetching collections and filmographies: 1 of {total}"
        )
        await expect(page.locator("#completion-progress-bar")).to_have_attribute("max", str(total))
        asked = len(loads)
        await expect(progress).to_be_hidden(timeout=15_000)
        await loaded(page)
        assert len(loads) > asked  # loaded again once the phase ended
        await shows(page, body)
        await context.close()

        # a share link: read-only, the same numbers, no hide control, no owner id
        share_id = (await api.post(f"/api/session/{session_id}/share")).json()["share_id"]
        for viewport in (DESKTOP_1280, PHONE_390):
            context, viewer = await new_page(browser, watcher, viewport)
            await viewer.goto(f"{base}/session/{share_id}")
            await expect(viewer.locator("#completion-link")).to_have_attribute(
                "href", f"/session/{share_id}/completion"
            )
            await viewer.goto(f"{base}/session/{share_id}/completion")
            await shows(viewer, body)
            await expect(viewer.locator("#shared-banner")).to_contain_text("read-only")
            assert await viewer.locator(".hide-button, #hidden-block, .show-button").count() == 0
            assert session_id not in await viewer.content()
            watchlisted = card(viewer, "collections", saga["id"]).locator(".badge-watchlist")
            await missing_titles(viewer, card(viewer, "collections", saga["id"]))
            await expect(watchlisted).to_have_text("on the watchlist")
            await no_sideways_scroll(viewer)
            await context.close()
    watcher.check()
