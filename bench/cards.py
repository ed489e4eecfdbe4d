"""Share cards (GET /api/session/{id}/card.png): the time to draw each format, cold and warm,
and the time of a kept card, for the largest real export.

    .venv/bin/python -m bench.cards [--requests 50] [--renders 20]

The library is a real export (patrickmjones, in ../shared/data: 2,614 films, 2,132 diary
entries), uploaded as it is and enriched against an unthrottled stand-in (synthesised films
for the titles outside its catalogue), on SQLite; the job is waited for until it is entirely
done (the watchlist's phase and the completion phase too: each write moves the library's
version, which is the cards' cache key). TMDB's image host is a loopback server in this process
that answers every poster with a 342x513 JPEG of its own and counts the requests.

The year is the diary's busiest. For each format (og 1200x630, story 1080x1920):
- cold: the first card request of a freshly started app with an empty poster directory
  (the statistics computed, the posters fetched, the card drawn), once per format;
- restarted: the same in another fresh process whose poster directory is full (statistics
  computed, posters read from disk, drawn);
- render: the drawing itself, in this process (`cards.render.render_card` on the card's data,
  posters from the same directory), `--renders` times. Bound: p95 ≤ 300 ms, either format;
- kept: `--requests` requests of the card once kept (no drawing), timed by the client.
The two cards are written to bench/results/card-og.png and card-story.png, to look at.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import statistics
import tempfile
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from bench.common import (
    RESULTS,
    SHARED,
    app_server,
    figure_row,
    percentile,
    print_table,
    standin,
    timed_get,
    upload_settled,
    write_results,
)
from bench.import_time import export_zip
from letterboxd_stats.cards.posters import PosterCache, PosterOptions
from letterboxd_stats.cards.render import render_card
from letterboxd_stats.cards.schemas import CardFormat
from letterboxd_stats.cards.service import card_data
from letterboxd_stats.stats.schemas import StatsResponse

EXPORT = SHARED / "letterboxd-exports" / "patrickmjones"
BOUND_MS = 300.0
SETTLE_SECONDS = 1800


@contextmanager
def image_host() -> Iterator[tuple[str, Counter[str]]]:
    """TMDB's image host on loopback: a JPEG per path; the requests counted by path."""
    asked: Counter[str] = Counter()
    made: dict[str, bytes] = {}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with lock:
                asked[self.path] += 1
                body = made.get(self.path)
                if body is None:
                    body = made[self.path] = _poster(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/t/p", asked
    finally:
        server.shutdown()
        server.server_close()


def _poster(path: str) -> bytes:
    seed = zlib.crc32(path.encode())
    colour = (seed % 200 + 30, (seed >> 8) % 200 + 30, (seed >> 16) % 200 + 30)
    image = Image.new("RGB", (342, 513), colour)
    image.paste(Image.linear_gradient("L").resize((342, 240)).convert("RGB"), (0, 273))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def busiest_year(folder: Path) -> int:
    with (folder / "diary.csv").open(encoding="utf-8-sig", newline="") as handle:
        years = Counter(row["Watched Date"][:4] for row in csv.DictReader(handle))
    return int(years.most_common(1)[0][0])


async def _render_times(
    stats: StatsResponse, username: str | None, fmt: CardFormat, options: PosterOptions, n: int
) -> list[float]:
    async with httpx.AsyncClient() as http:
        data = await card_data(stats, username, fmt, PosterCache(http, options))
    if not any(film.poster for film in data.films):
        raise RuntimeError("the posters were not on disk")
    times = []
    for _ in range(n):
        started = time.perf_counter()
        render_card(data, fmt)
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure(requests: int, renders: int) -> tuple[list[dict[str, Any]], int]:
    payload = export_zip(EXPORT)
    year = busiest_year(EXPORT)
    rows: list[dict[str, Any]] = []
    with (
        tempfile.TemporaryDirectory(prefix="lbx-bench-") as workdir,
        standin(rate_limit=0, latency_ms=0, jitter_ms=0) as tmdb,
        image_host() as (images, asked),
    ):
        url = f"sqlite+aiosqlite:///{workdir}/bench.db"
        posters = Path(workdir) / "posters"
        settings = {
            "TMDB_RATE_LIMIT": "2000",
            "TMDB_IMAGE_BASE_URL": images,
            "POSTER_CACHE_DIR": str(posters),
        }
        started = time.perf_counter()
        with (
            app_server(url, tmdb, workdir, settings=settings) as (app, _pid),
            httpx.Client(base_url=app, timeout=300) as client,
        ):
            session_id, status = upload_settled(
                client, payload, filename="export.zip", timeout=SETTLE_SECONDS
            )
            summary = client.get(f"/api/session/{session_id}").json()
            stats = StatsResponse.model_validate_json(
                client.get(f"/api/session/{session_id}/stats?year={year}").content
            )
        rows.append(figure_row("films in the library", status["total_movies"], "films"))
        rows.append(figure_row(f"diary viewings in {year}", stats.totals.viewings, "viewings"))
        rows.append(figure_row("upload to settled, s", time.perf_counter() - started, "s"))
        options = PosterOptions(posters, 50 * 1024 * 1024, images, 3.0)
        for fmt in CardFormat:
            path = f"/api/session/{session_id}/card.png?year={year}&format={fmt.value}"
            for item in posters.glob("*") if posters.exists() else ():
                item.unlink()
            before = sum(asked.values())
            with (
                app_server(url, tmdb, workdir, settings=settings) as (app, _pid),
                httpx.Client(base_url=app, timeout=300) as client,
            ):
                cold = timed_get(client, path)
                fetched = sum(asked.values()) - before
                answer = client.get(path)
                answer.raise_for_status()
                size = Image.open(io.BytesIO(answer.content)).size
                if size != fmt.size:
                    raise RuntimeError(f"{fmt.value}: {size}, not {fmt.size}")
                RESULTS.mkdir(parents=True, exist_ok=True)
                (RESULTS / f"card-{fmt.value}.png").write_bytes(answer.content)  # to look at
                kept = [timed_get(client, path) for _ in range(requests)]
            with (
                app_server(url, tmdb, workdir, settings=settings) as (app, _pid),
                httpx.Client(base_url=app, timeout=300) as client,
            ):
                before = sum(asked.values())
                restarted = timed_get(client, path)
                if sum(asked.values()) != before:
                    raise RuntimeError("posters fetched again although on disk")
            drawn = asyncio.run(_render_times(stats, summary["username"], fmt, options, renders))
            name = f"{fmt.value} {fmt.size[0]}x{fmt.size[1]}"
            rows += [
                figure_row(f"{name}: PNG size, KiB", len(answer.content) / 1024, "KiB"),
                figure_row(f"{name}: posters fetched (cold)", fetched, "posters"),
                figure_row(f"{name}: cold request, ms", cold, "ms"),
                figure_row(f"{name}: restarted, posters on disk, ms", restarted, "ms"),
                figure_row(f"{name}: render p50 ms of {renders}", _median(drawn), "ms"),
                figure_row(
                    f"{name}: render p95 ms of {renders}",
                    percentile(drawn, 0.95),
                    "ms",
                    BOUND_MS,
                ),
                figure_row(f"{name}: kept, p50 ms of {requests}", _median(kept), "ms"),
                figure_row(f"{name}: kept, p95 ms of {requests}", percentile(kept, 0.95), "ms"),
            ]
    return rows, year


def _median(values: list[float]) -> float:
    return float(statistics.median(values))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--renders", type=int, default=20)
    args = parser.parse_args()
    if args.requests < 1 or args.renders < 1:
        parser.error("--requests and --renders must be at least 1")
    if not EXPORT.is_dir():
        raise SystemExit(f"no export at {EXPORT}")
    rows, year = measure(args.requests, args.renders)
    print_table(f"Share cards of {EXPORT.name}'s {year} (GET /api/session/{{id}}/card.png)", rows)
    figures = {
        "rows": rows,
        "export": EXPORT.name,
        "year": year,
        "requests": args.requests,
        "renders": args.renders,
    }
    print(f"written to {write_results('cards', figures)}")


if __name__ == "__main__":
    main()
