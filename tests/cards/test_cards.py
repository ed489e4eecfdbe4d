"""Share cards: both formats at their exact size and not blank; kept until the library changes;
a share id only on /api/share (unknown, revoked and owner ids alike are 404); bad parameters
422; the shared dashboard's Open Graph tags pointing at the share card; posters fetched once
from a fake image host (at the HTTP boundary) and read from disk afterwards, within their
bound; no image host: text tiles."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import uuid
import zlib
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image, ImageStat

from letterboxd_stats.cards.posters import POSTER_SIZE, PosterCache, PosterOptions
from letterboxd_stats.cards.render import render_card
from letterboxd_stats.cards.schemas import CardData, CardFilm, CardFormat, CardGenre
from letterboxd_stats.cards.schemas import Counter as CardCounter
from letterboxd_stats.cards.service import top_films
from letterboxd_stats.stats.schemas import StatsResponse
from tests.fixtures.apps import AppClient
from tests.fixtures.tmdb import CATALOGUE, FakeTmdb
from tests.fixtures.uploads import enriched, movies_by_title

IMAGE_HOST = "https://images.test/t/p"
SIZES = {"og": (1200, 630), "story": (1080, 1920)}
MIN_STDDEV = 12.0  # a blank (or one-colour) card is far below; a drawn one far above


def poster_jpeg(path: str) -> bytes:
    """A poster of a colour of its own, with a gradient (so that it is not one colour)."""
    seed = zlib.crc32(path.encode())
    colour = (seed % 200 + 30, (seed >> 8) % 200 + 30, (seed >> 16) % 200 + 30)
    image = Image.new("RGB", (342, 513), colour)
    image.paste(Image.linear_gradient("L").resize((342, 200)).convert("RGB"), (0, 313))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return out.getvalue()


@dataclass
class TmdbWithImages(FakeTmdb):
    """The fake TMDB, and TMDB's image host beside it on the same transport; `offline`: the
    image host cannot be reached."""

    offline: bool = False
    image_requests: Counter[str] = field(default_factory=Counter)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.route)

    async def route(self, request: httpx.Request) -> httpx.Response:
        if request.url.host != "images.test":
            return await self.handle(request)
        self.image_requests[request.url.path] += 1
        if self.offline:
            raise httpx.ConnectError("no route to host", request=request)
        prefix = f"/t/p/{POSTER_SIZE}/"
        if not request.url.path.startswith(prefix):
            return httpx.Response(404)
        return httpx.Response(
            200, content=poster_jpeg(request.url.path), headers={"Content-Type": "image/jpeg"}
        )


def card_settings(tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    return {
        "tmdb_image_base_url": IMAGE_HOST,
        "poster_cache_dir": tmp_path / "posters",
        **overrides,
    }


def png(response: httpx.Response) -> Image.Image:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    return image


def spread(image: Image.Image) -> float:
    """The mean standard deviation of the pixels over the three bands."""
    stddev = ImageStat.Stat(image.convert("RGB")).stddev
    return sum(stddev) / len(stddev)


async def library(make_client: Any, tmp_path: Path, **settings: Any) -> tuple[AppClient, str]:
    fake = TmdbWithImages(CATALOGUE, offline=settings.pop("offline", False))
    client, session_id, status = await enriched(make_client, fake, **card_settings(tmp_path))
    assert status["status"] == "completed"
    client.fake = fake  # type: ignore[attr-defined]
    return client, session_id


def fake_of(client: AppClient) -> TmdbWithImages:
    fake: TmdbWithImages = client.fake  # type: ignore[attr-defined]
    return fake


async def share(client: AppClient, session_id: str) -> str:
    shared = await client.post(f"/api/session/{session_id}/share")
    assert shared.status_code == 201, shared.text
    share_id: str = shared.json()["share_id"]
    return share_id


# --- the images ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["og", "story"])
async def test_each_format_has_its_exact_size_and_is_drawn(
    make_client: Any, tmp_path: Path, fmt: str
) -> None:
    client, session_id = await library(make_client, tmp_path)
    share_id = await share(client, session_id)
    for path in (
        f"/api/session/{session_id}",
        f"/api/session/{share_id}",
        f"/api/share/{share_id}",
    ):
        for query in (f"?format={fmt}", f"?format={fmt}&year=2024"):
            image = png(await client.get(f"{path}/card.png{query}"))
            assert image.size == SIZES[fmt]
            assert spread(image) > MIN_STDDEV
    # the top films' posters (the rated ones, then the most viewed), each asked once
    films = await movies_by_title(client, session_id)
    rated = {f"/t/p/{POSTER_SIZE}{films[title]['poster_path']}" for title in ("Heat", "Amélie")}
    posters = {f"/t/p/{POSTER_SIZE}{film['poster_path']}" for film in films.values()}
    assert rated <= set(fake_of(client).image_requests) <= posters
    assert all(count == 1 for count in fake_of(client).image_requests.values())


async def test_the_top_films_are_the_rated_then_the_most_viewed(
    make_client: Any, tmp_path: Path
) -> None:
    client, session_id = await library(make_client, tmp_path)
    answer = await client.get(f"/api/session/{session_id}/stats")
    stats = StatsResponse.model_validate_json(answer.content)
    films, heading = top_films(stats, 4)
    rated = [(f.title, f.rating) for f in stats.ratings.highest_rated]
    assert [(f.title, f.rating) for f in films[: len(rated)]] == rated
    assert len(rated) == 2
    viewed = [f.title for f in stats.diary.most_viewed if f.title not in dict(rated)]
    assert [f.title for f in films[len(rated) :]] == viewed[: 4 - len(rated)]
    assert len(films) == min(4, len(rated) + len(viewed))
    assert heading == ("Top rated and most viewed" if viewed else "Highest rated")
    assert top_films(stats, 1) == (films[:1], "Highest rated")


async def test_the_default_format_is_og(make_client: Any, tmp_path: Path) -> None:
    client, session_id = await library(make_client, tmp_path)
    assert png(await client.get(f"/api/session/{session_id}/card.png")).size == SIZES["og"]


async def test_a_poster_is_drawn_where_the_film_is() -> None:
    """Pure rendering: the same card with a poster or without differs where the poster goes,
    and the poster's colour is found there."""
    poster = poster_jpeg("/red.jpg")
    film = CardFilm("A Film", 2001, 4.5, poster)
    data = CardData(
        username="someone",
        period="2024",
        counters=(CardCounter("films", "12"),),
        films=(film,),
        films_heading="Highest rated",
        genres=(CardGenre("Drama", 3),),
    )
    with_poster = Image.open(io.BytesIO(render_card(data, CardFormat.story))).convert("RGB")
    tile = dataclasses.replace(data, films=(CardFilm("A Film", 2001, 4.5, None),))
    without = Image.open(io.BytesIO(render_card(tile, CardFormat.story))).convert("RGB")
    assert with_poster.size == without.size == SIZES["story"]
    differ = [
        (x, y)
        for x in range(0, 1080, 20)
        for y in range(0, 1920, 20)
        if with_poster.getpixel((x, y)) != without.getpixel((x, y))
    ]
    assert differ  # the poster replaced the text tile
    expected = Image.open(io.BytesIO(poster)).convert("RGB").getpixel((100, 100))
    assert isinstance(expected, tuple)
    found = [with_poster.getpixel(p) for p in differ]
    assert any(
        isinstance(pixel, tuple)
        and all(abs(a - b) <= 12 for a, b in zip(pixel, expected, strict=True))
        for pixel in found
    )


# --- kept until the library changes ----------------------------------------------------------


async def test_a_card_is_kept_until_the_library_changes(make_client: Any, tmp_path: Path) -> None:
    client, session_id = await library(make_client, tmp_path)
    url = f"/api/session/{session_id}/card.png?format=story"
    first = await client.get(url)
    assert png(first).size == SIZES["story"]
    again = await client.get(url)
    assert again.content == first.content
    cards = client.app.state.cards
    assert len(cards._kept) == 1  # one card kept, the second request drew nothing

    movie_id = (await movies_by_title(client, session_id))["Only In Diary"]["movie_id"]
    fixed = await client.put(
        f"/api/session/{session_id}/movies/{movie_id}/match", json={"tmdb_id": 11645}
    )
    assert fixed.status_code == 200, fixed.text
    after = await client.get(url)
    assert png(after).size == SIZES["story"]
    assert after.content != first.content  # one more film with TMDB data: hours, genres…


async def test_a_share_link_change_renews_the_kept_card(make_client: Any, tmp_path: Path) -> None:
    client, session_id = await library(make_client, tmp_path)
    url = f"/api/session/{session_id}/card.png"
    await client.get(url)
    (key, (version, _png)), *_ = list(client.app.state.cards._kept.items())
    await share(client, session_id)
    await client.get(url)
    assert client.app.state.cards._kept[key][0] != version


# --- who may ask -----------------------------------------------------------------------------


async def test_the_share_route_takes_a_current_share_id_only(
    make_client: Any, tmp_path: Path
) -> None:
    client, session_id = await library(make_client, tmp_path)
    share_id = await share(client, session_id)
    unknown = await client.get(f"/api/share/{uuid.uuid4()}/card.png")
    assert unknown.status_code == 404
    assert unknown.json() == {"error": "SessionNotFound", "detail": "no session with this id"}
    for bad in (session_id, "not-an-id", session_id.upper()):
        owner = await client.get(f"/api/share/{bad}/card.png")
        assert owner.status_code == 404
        assert owner.json() == unknown.json()
    assert png(await client.get(f"/api/share/{share_id}/card.png")).size == SIZES["og"]

    revoked = await client.delete(f"/api/session/{session_id}/share")
    assert revoked.status_code == 204
    for path in (f"/api/share/{share_id}/card.png", f"/api/session/{share_id}/card.png"):
        gone = await client.get(path)
        assert gone.status_code == 404  # the card kept in memory is not served to it
        assert gone.json() == unknown.json()
    assert png(await client.get(f"/api/session/{session_id}/card.png")).size == SIZES["og"]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("format=gif", "format"),
        ("format=", "format"),
        ("year=1800", "year"),
        ("year=2101", "year"),
        ("year=last", "year"),
    ],
)
async def test_bad_parameters_are_422(
    make_client: Any, tmp_path: Path, query: str, named: str
) -> None:
    client, session_id = await library(make_client, tmp_path)
    share_id = await share(client, session_id)
    for path in (f"/api/session/{session_id}", f"/api/share/{share_id}"):
        answer = await client.get(f"{path}/card.png?{query}")
        assert answer.status_code == 422, answer.text
        body = answer.json()
        assert body["error"] == "ValidationError"
        assert named in body["detail"]


async def test_the_openapi_declares_a_png(make_client: Any, tmp_path: Path) -> None:
    client = await make_client(**card_settings(tmp_path))
    paths = (await client.get("/openapi.json")).json()["paths"]
    for path in ("/api/session/{session_id}/card.png", "/api/share/{share_id}/card.png"):
        responses = paths[path]["get"]["responses"]
        assert "image/png" in responses["200"]["content"]
        assert {"404", "422"} <= set(responses)


# --- Open Graph ------------------------------------------------------------------------------


class Metas(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        key = named.get("property") or named.get("name")
        if tag == "meta" and key and named.get("content") is not None:
            self.found[key] = named["content"] or ""


def metas(page: str) -> dict[str, str]:
    parser = Metas()
    parser.feed(page)
    return parser.found


async def test_the_shared_dashboard_points_at_its_share_card(
    make_client: Any, tmp_path: Path
) -> None:
    client, session_id = await library(make_client, tmp_path)
    share_id = await share(client, session_id)
    for query, period in (("", ""), ("?year=2024", "&year=2024")):
        page = await client.get(f"/session/{share_id}{query}")
        assert page.status_code == 200
        assert session_id not in page.text
        tags = metas(page.text)
        image = f"http://test/api/share/{share_id}/card.png?format=og{period}"
        assert tags["og:image"] == image
        assert tags["twitter:image"] == image
        assert tags["twitter:card"] == "summary_large_image"
        assert tags["og:title"]
        assert tags["og:description"]
        card = png(await client.get(image.removeprefix("http://test")))
        assert card.size == SIZES["og"]
    for bad in ("1", "abc", "2101"):  # a year the API does not take: the all-time card
        tags = metas((await client.get(f"/session/{share_id}?year={bad}")).text)
        assert tags["og:image"] == f"http://test/api/share/{share_id}/card.png?format=og"


async def test_the_owner_page_never_points_at_the_owner_id(
    make_client: Any, tmp_path: Path
) -> None:
    client, session_id = await library(make_client, tmp_path)
    assert "og:image" not in metas((await client.get(f"/session/{session_id}")).text)
    share_id = await share(client, session_id)
    tags = metas((await client.get(f"/session/{session_id}")).text)
    assert tags["og:image"] == f"http://test/api/share/{share_id}/card.png?format=og"
    assert all(session_id not in content for content in tags.values())
    await client.delete(f"/api/session/{session_id}/share")
    assert "og:image" not in metas((await client.get(f"/session/{session_id}")).text)


# --- posters ---------------------------------------------------------------------------------


async def test_posters_are_fetched_once_then_read_from_disk(
    make_client: Any, tmp_path: Path
) -> None:
    client, session_id = await library(make_client, tmp_path)
    for fmt in ("og", "story"):
        png(await client.get(f"/api/session/{session_id}/card.png?format={fmt}"))
    fake = fake_of(client)
    asked = dict(fake.image_requests)
    assert asked
    assert all(count == 1 for count in asked.values())
    stored = sorted(p.name for p in (tmp_path / "posters").iterdir())
    assert stored == sorted(f"{POSTER_SIZE}_{path.rsplit('/', 1)[1]}" for path in asked)

    # another app (nothing in memory) on the same directory: the posters come from the disk
    other = await make_client(tmdb_transport=fake.transport(), **card_settings(tmp_path))
    png(await other.get(f"/api/session/{session_id}/card.png?format=story&year=2024"))
    assert dict(fake.image_requests) == asked


async def test_no_image_host_gives_text_tiles(make_client: Any, tmp_path: Path) -> None:
    client, session_id = await library(make_client, tmp_path, offline=True)
    for fmt in ("og", "story"):
        image = png(await client.get(f"/api/session/{session_id}/card.png?format={fmt}"))
        assert image.size == SIZES[fmt]
        assert spread(image) > MIN_STDDEV
    fake = fake_of(client)
    assert fake.image_requests  # it was asked, once per poster: a failure is remembered
    assert all(count == 1 for count in fake.image_requests.values())
    assert not (tmp_path / "posters").exists() or not list((tmp_path / "posters").iterdir())


async def test_the_disk_cache_keeps_to_its_bound_least_recently_used_first(
    tmp_path: Path,
) -> None:
    asked: Counter[str] = Counter()

    def host(request: httpx.Request) -> httpx.Response:
        asked[request.url.path] += 1
        return httpx.Response(200, content=b"x" * 1000)

    directory = tmp_path / "posters"
    async with httpx.AsyncClient(transport=httpx.MockTransport(host)) as http:
        posters = PosterCache(
            http,
            PosterOptions(directory, max_bytes=2500, base_url=IMAGE_HOST, timeout_seconds=1),
        )
        for name in ("/a.jpg", "/b.jpg"):
            assert await posters.get(name) == b"x" * 1000
            await asyncio.sleep(0.02)  # distinct modification times
        assert await posters.get("/a.jpg") == b"x" * 1000  # read from disk: a is used again
        assert asked["/t/p/w342/a.jpg"] == 1
        await asyncio.sleep(0.02)
        await posters.get("/c.jpg")  # over the bound: b, the least recently used, goes
        names = sorted(p.name for p in directory.iterdir())
        assert names == ["w342_a.jpg", "w342_c.jpg"]
        assert sum(p.stat().st_size for p in directory.iterdir()) <= 2500
        await posters.get("/b.jpg")
        assert asked["/t/p/w342/b.jpg"] == 2  # fetched again
        assert sum(p.stat().st_size for p in directory.iterdir()) <= 2500
        # a path that is not TMDB's shape is never asked for (nor written)
        assert await posters.get("/../../etc/passwd") is None
        assert await posters.get(None) is None
        assert sum(asked.values()) == 4


async def test_one_fetch_for_one_poster_asked_at_once(tmp_path: Path) -> None:
    asked: Counter[str] = Counter()

    async def host(request: httpx.Request) -> httpx.Response:
        asked[request.url.path] += 1
        await asyncio.sleep(0.05)
        return httpx.Response(200, content=b"poster")

    async with httpx.AsyncClient(transport=httpx.MockTransport(host)) as http:
        posters = PosterCache(
            http,
            PosterOptions(tmp_path, max_bytes=10_000, base_url=IMAGE_HOST, timeout_seconds=1),
        )
        got = await posters.get_many(["/same.jpg"] * 5)
    assert got == [b"poster"] * 5
    assert sum(asked.values()) == 1
