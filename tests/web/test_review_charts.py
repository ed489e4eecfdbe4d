"""The dashboard's "Year in review" group (web/static/js/sections/review_*.js) in Debian's
Chromium, against the app and the TMDB stand-in on real ports: a library of 40 films watched
over 2023 and 2024 (rewatches, ratings, reviews), enriched; the page's one fetch of
/api/session/{id}/review feeds a world map (chartjs-chart-geo: every country of the answer on
it, its tooltip the API's count, or named as too small for the map), three donuts, a calendar
heatmap (chartjs-chart-matrix), a decade-by-genre table heatmap, the rating drift and the gaps.
Every chart is drawn (its canvas not blank) and has a table or figures beside it that say what
the API answers, all time and for 2024; on a 1280 px desktop and a 375 px phone, with no
console error or CSP violation and no sideways scroll on the phone."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Page, expect

from tests.fixtures.browser import PHONE, Watcher, new_page, screenshot_dir, shoot
from tests.fixtures.year_review import fmt, inked, no_sideways_scroll, year_review_site

KEY = "review-charts-key"
DESKTOP_1280 = {"width": 1280, "height": 900}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DASH = "\N{EN DASH}"  # the page's figure for no value
MAP = 'window.Chart.getChart(document.getElementById("chart-map"))'
PAIRS = (
    "rows => rows.map(r => "
    "[r.querySelector('{first}').textContent, r.querySelector('{second}').textContent])"
)
CANVASES = [
    "chart-map",
    "chart-releases",
    "chart-first-watches",
    "chart-reviewed",
    "chart-calendar",
    "chart-drift",
]


def films(n: int) -> str:
    return f"{n} film" if n == 1 else f"{n} films"


def percent(share: float | None) -> str:
    return DASH if share is None else f"{fmt(share * 100)}%"


def share_of(part: int, whole: int) -> str:
    return percent(part / whole) if whole else DASH


async def table_rows(page: Page, table_id: str) -> list[list[str]]:
    rows: list[list[str]] = await page.eval_on_selector_all(
        f"#{table_id} tbody tr",
        "rows => rows.map(r => [...r.children].map(c => c.textContent.trim()))",
    )
    return rows


async def all_drawn(page: Page) -> None:
    for canvas_id in CANVASES:
        await page.wait_for_function(
            "(id) => window.Chart && window.Chart.getChart(document.getElementById(id))",
            arg=canvas_id,
        )
        assert await inked(page, canvas_id) > 200, f"{canvas_id} is blank"


async def loaded(page: Page, year: str) -> None:
    await expect(page.locator("#main")).to_have_attribute("data-loaded-year", year)
    await expect(page.locator("#review-head")).to_have_attribute("data-loaded-year", year)
    await all_drawn(page)


PANELS = ["map", "breakdowns", "calendar", "decades", "drift", "gaps"]


async def shoot_panels(page: Page, name: str) -> None:
    """Each panel of the group on its own (the full page is long): `<name>-<panel>.png`."""
    for panel in PANELS:
        locator = page.locator(f"section[aria-labelledby=review-{panel}-title]")
        await locator.screenshot(path=str(screenshot_dir() / f"{name}-{panel}.png"))


async def shows_the_map(page: Page, review: Any) -> None:
    """Every country of the answer is on the map with its count, or named as too small for it;
    the table lists them all; hovering a country shows its count."""
    items = review["countries"]["items"]
    assert items, "the library's films have production countries"
    known = review["countries"]["based_on"] - review["countries"]["unknown"]
    assert await table_rows(page, "review-map-table") == [
        [i["name"], fmt(i["films"]), share_of(i["films"], known)] for i in items
    ]
    on_map: dict[str, int] = dict(
        await page.evaluate(
            f"""() => {MAP}.data.datasets[0].data
                .filter((d) => d.value).map((d) => [String(d.feature.id), d.value])"""
        )
    )
    off = [i for i in items if i["numeric"] not in on_map]
    assert on_map == {i["numeric"]: i["films"] for i in items if i not in off}
    if off:
        await expect(page.locator("#review-map-off")).to_contain_text(off[0]["name"])
    else:
        await expect(page.locator("#review-map-off")).to_be_hidden()
    # the tooltip: a country whose centre lies within it, hovered
    target = await page.evaluate(
        """() => {
            const chart = window.Chart.getChart(document.getElementById("chart-map"));
            const meta = chart.getDatasetMeta(0);
            const data = chart.data.datasets[0].data;
            for (let i = 0; i < data.length; i += 1) {
                if (!data[i].value) continue;
                const { x, y } = meta.data[i].getCenterPoint();
                const { name, value } = data[i];
                if (meta.data[i].inRange(x, y)) return { x, y, name, value };
            }
            return null;
        }"""
    )
    assert target, "no country of the answer can be hovered"
    await page.locator("#chart-map").scroll_into_view_if_needed()
    box = await page.locator("#chart-map").bounding_box()
    assert box
    await page.mouse.move(box["x"] + target["x"], box["y"] + target["y"])
    await page.wait_for_function(f"() => {MAP}.tooltip.getActiveElements().length > 0")
    lines = await page.evaluate(f"() => {MAP}.tooltip.body.flatMap((b) => b.lines)")
    assert lines == [f"{target['name']}: {films(target['value'])}"]
    await page.mouse.move(0, 0)


async def shows_the_breakdowns(page: Page, review: Any, year: int | None) -> None:
    b = review["breakdowns"]
    donuts = {
        "releases": [
            (
                f"Released in {year}" if year else "Seen the year they came out",
                b["releases"]["of_period"],
            ),
            ("Released before" if year else "Seen later", b["releases"]["older"]),
        ],
        "first-watches": [
            ("First watches", b["first_watches"]["first"]),
            ("Rewatches", b["first_watches"]["rewatches"]),
        ],
        "reviewed": [
            ("Reviewed", b["reviewed"]["reviewed"]),
            ("Not reviewed", b["reviewed"]["not_reviewed"]),
        ],
    }
    for name, parts in donuts.items():
        total = sum(v for _, v in parts)
        assert total > 0, name
        shown = await page.eval_on_selector_all(
            f"#review-{name}-facts > div",
            PAIRS.format(first="dt", second="dd"),
        )
        assert shown == [[label, f"{fmt(v)} ({share_of(v, total)})"] for label, v in parts], name
        drawn = await page.evaluate(
            "(id) => window.Chart.getChart(document.getElementById(id)).data.datasets[0].data",
            f"chart-{name}",
        )
        assert drawn == [v for _, v in parts], name
    assert b["first_watches"]["rewatches"] > 0
    assert b["reviewed"]["reviewed"] > 0


async def shows_the_calendar(page: Page, review: Any) -> None:
    calendar = sorted(review["calendar"], key=lambda y: -y["year"])
    assert calendar
    expected = []
    for y in calendar:
        months = [0] * 12
        for d in y["days"]:
            months[int(d["date"][5:7]) - 1] += d["viewings"]
        expected.append([str(y["year"]), *map(fmt, months), fmt(sum(months)), fmt(len(y["days"]))])
    assert await table_rows(page, "review-calendar-table") == expected
    cells = await page.evaluate(
        """() => window.Chart.getChart(document.getElementById("chart-calendar"))
            .data.datasets[0].data.map((c) => [c.date, c.v])"""
    )
    assert sorted(map(tuple, cells)) == sorted(
        (d["date"], d["viewings"]) for y in calendar for d in y["days"]
    )


async def shows_the_decades(page: Page, review: Any) -> None:
    g = review["decade_genre"]
    assert g["cells"]
    head = await page.eval_on_selector_all(
        "#review-decades-table thead th", "cells => cells.map(c => c.textContent)"
    )
    assert head == ["Genre", *(f"{d}s" for d in g["decades"])]
    cells = {(c["genre"], c["decade"]): c for c in g["cells"]}
    shown = await page.eval_on_selector_all(
        "#review-decades-table tbody tr",
        """rows => rows.map(r => [r.querySelector('th').textContent,
            ...[...r.querySelectorAll('td')].map(td => [td.firstChild.textContent, td.title])])""",
    )
    expected = []
    for genre in g["genres"]:
        row: list[Any] = [genre]
        for decade in g["decades"]:
            cell = cells.get((genre, decade))
            if cell is None:
                row.append(["", f"{genre}, {decade}s: no films"])
                continue
            mean = (
                "none rated"
                if cell["mean_rating"] is None
                else f"mean rating {fmt(cell['mean_rating'], 2)}★"
            )
            row.append([fmt(cell["films"]), f"{genre}, {decade}s: {films(cell['films'])}, {mean}"])
        expected.append(row)
    assert shown == expected


def month_name(period: str) -> str:
    return f"{MONTHS[int(period[5:7]) - 1]} {period[:4]}"


async def shows_the_drift(page: Page, review: Any) -> None:
    drift = review["rating_drift"]
    assert drift
    assert await table_rows(page, "review-drift-table") == [
        [month_name(m["period"]), f"{fmt(m['mean'], 2)}★", fmt(m["ratings"])] for m in drift
    ]


async def shows_the_gaps(page: Page, review: Any) -> None:
    g = review["gaps"]
    facts = await page.eval_on_selector_all(
        "#review-gaps-facts dd", "cells => cells.map(c => c.textContent)"
    )
    w, lang = g["women_directors"], g["non_english"]
    assert len(facts) == 2
    if w["known"]:
        assert facts[0].startswith(f"{fmt(w['films'])} of {films(w['known'])} with known directors")
        assert (
            f"({percent(w['share'])}); director unknown for {percent(w['unknown_share'])}."
            in facts[0]
        )
    else:
        assert facts[0] == f"The directors' gender is unknown for all {films(w['based_on'])}."
    assert lang["known"], "the stand-in gives every film an original language"
    assert facts[1] == (
        f"{fmt(lang['films'])} of {films(lang['known'])} with a known original language "
        f"{'is' if lang['films'] == 1 else 'are'} not in English ({percent(lang['share'])}); "
        f"language unknown for {percent(lang['unknown_share'])}."
    )
    continents = await page.eval_on_selector_all(
        "#review-continents li",
        PAIRS.format(first=".ranked-name", second=".ranked-value"),
    )
    assert continents == [
        [c["name"], f"{films(c['films'])} ({percent(c['share'])})"]
        for c in g["continents"]["items"]
    ]
    decades = g["decades_never"]["items"]
    await expect(page.locator("#review-decades-never")).to_have_text(
        ", ".join(f"{d}s" for d in decades)
        if decades
        else "None: you have films of every decade the catalogue holds."
    )
    never = g["countries_never"]["items"]
    if never:
        names = await page.locator("#review-countries-never .ranked-name").all_text_contents()
        assert names == [c["name"] for c in never]


async def shows_the_review(page: Page, review: Any, year: int | None) -> None:
    await shows_the_map(page, review)
    await shows_the_breakdowns(page, review, year)
    await shows_the_calendar(page, review)
    await shows_the_decades(page, review)
    await shows_the_drift(page, review)
    await shows_the_gaps(page, review)
    # every chart has its text alternative: a table in a <details>, or figures beside it
    for table in ("review-map-table", "review-calendar-table", "review-drift-table"):
        await expect(page.locator(f"details:has(#{table}) > summary")).to_be_visible()


async def test_year_in_review_charts_desktop_and_phone(database_url: str) -> None:
    watcher = Watcher()
    async with year_review_site(database_url, KEY) as site:
        base, browser, session_id = site.base, site.browser, site.session_id
        answers = await site.all_time_and_2024("review")
        assert len(answers[None]["calendar"]) == 2  # 2023 and 2024

        fetched: list[str] = []
        context, page = await new_page(browser, watcher, DESKTOP_1280)
        page.on("request", lambda r: fetched.append(r.url) if "/review" in r.url else None)
        await page.goto(f"{base}/session/{session_id}")
        await loaded(page, "all")
        await shows_the_review(page, answers[None], None)
        assert [u for u in fetched if "/api/" in u] == [f"{base}/api/session/{session_id}/review"]
        await page.locator("#review-head").scroll_into_view_if_needed()
        await shoot(page, "review-charts-desktop")
        await shoot_panels(page, "review-charts-desktop")
        for table in ("review-map-table", "review-calendar-table", "review-drift-table"):
            await page.locator(f"details:has(#{table}) > summary").click()
            await expect(page.locator(f"#{table}")).to_be_visible()
        await shoot(page, "review-charts-tables-desktop")

        # the year in review: one more fetch, every section redrawn for 2024
        await page.select_option("#year-select", "2024")
        await loaded(page, "2024")
        await shows_the_review(page, answers[2024], 2024)
        await expect(page.locator("#review-title")).to_have_text("2024: the year in review")
        await shoot(page, "review-charts-2024-desktop")
        await context.close()

        phone_context, phone = await new_page(browser, watcher, PHONE)
        await phone.goto(f"{base}/session/{session_id}?year=2024")
        await loaded(phone, "2024")
        await shows_the_review(phone, answers[2024], 2024)
        await no_sideways_scroll(phone)
        # no hover on a phone: a tapped cell of the decades' table says what its tooltip says
        cell = phone.locator("#review-decades-table td.heat:not(.heat-0)").first
        await cell.click()
        title = await cell.get_attribute("title") or ""
        assert "mean rating" in title or "none rated" in title
        await expect(phone.locator("#review-decades-picked")).to_have_text(title)
        for table in ("review-map-table", "review-calendar-table", "review-drift-table"):
            await phone.locator(f"details:has(#{table}) > summary").click()
        await no_sideways_scroll(phone)
        await shoot(phone, "review-charts-2024-phone")
        await phone.goto(f"{base}/session/{session_id}")
        await loaded(phone, "all")
        await no_sideways_scroll(phone)
        await shoot(phone, "review-charts-phone")
        await shoot_panels(phone, "review-charts-phone")
        await phone_context.close()
    watcher.check()
