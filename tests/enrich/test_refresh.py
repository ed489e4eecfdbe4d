"""Fresh metadata (issue 15 §4): a library opened has its films' metadata older than
TMDB_REFRESH_DAYS fetched again in the background (`enrich.refresh`), at its own pace and
through the shared limiter, never while an enrichment job runs, each film once whichever
process asks, and the sessions using a film that changed get a new `updated_at` (the key of
their cached statistics). TMDB is faked at the HTTP boundary (`FakeTmdb`); time that matters
runs on fake clocks."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.db import SessionMaker, create_sessionmaker, session_scope
from letterboxd_stats.enrich import repository
from letterboxd_stats.enrich.refresh import CLAIM, MetadataRefresher, Pace, RefreshPaced
from letterboxd_stats.enrich.runner import InProcessRunner
from letterboxd_stats.logging import redact_api_keys
from letterboxd_stats.models import (
    Film,
    MatchStatus,
    SessionStatus,
    TmdbKind,
    TmdbMovie,
    UploadSession,
)
from letterboxd_stats.models import WatchlistEntry as Wish
from letterboxd_stats.resources import refresh_pace, tmdb_client
from letterboxd_stats.stats.tags import film_labels, pack
from letterboxd_stats.tmdb.client import ClientOptions, TmdbClient
from letterboxd_stats.tmdb.limiter import LocalLimiter, PostgresLimiter
from letterboxd_stats.tmdb.metadata import movie_row, tv_row
from letterboxd_stats.tmdb.schemas import MovieData, MovieDetails, TvDetails
from tests.fixtures.apps import AppClient, make_settings
from tests.fixtures.clocks import FakeClock
from tests.fixtures.exports import FILM, csv_text, make_zip, multipart, small_export
from tests.fixtures.tmdb import API_KEY, CATALOGUE, TMDB_SETTINGS, FakeFilm, FakeSeries, FakeTmdb
from tests.fixtures.uploads import enriched, movies_by_title, wait_completed

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=120)
RECENT = NOW - timedelta(days=10)
MAX_AGE = timedelta(days=90)
FAST = {"tmdb_refresh_per_minute": 60_000}  # the app's own pace is not what these tests test


@dataclass
class Remade(FakeFilm):
    """A film whose TMDB entry was filled in since it was fetched: a runtime, a new genre, a
    new vote average, a writer."""

    def details(self) -> dict[str, Any]:
        answer = super().details()
        answer["runtime"] = 171
        answer["vote_average"] = 8.3
        answer["genres"] = [*answer["genres"], {"id": 53, "name": "Thriller"}]
        answer["credits"]["crew"].append(
            {"id": 77, "name": "A Writer", "profile_path": None, "job": "Screenplay"}
        )
        return answer


def early(film: FakeFilm) -> dict[str, Any]:
    """The film as TMDB had it when it was first fetched: no runtime, no credits yet."""
    return film.details() | {"runtime": None, "vote_average": 5.0, "credits": {}, "genres": []}


class WallClock:
    """The refresher's `now`, moved by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Arrivals:
    """Every request as it reaches TMDB (before the fake answers or holds it), with the time
    of `clock` then; answered by `fake`."""

    def __init__(self, fake: FakeTmdb, clock: FakeClock | None = None) -> None:
        self.fake = fake
        self.clock = clock
        self.paths: list[str] = []
        self.times: list[float] = []

    def transport(self) -> httpx.MockTransport:
        async def handle(request: httpx.Request) -> httpx.Response:
            self.paths.append(request.url.path)
            self.times.append(self.clock() if self.clock is not None else 0.0)
            return await self.fake.handle(request)

        return httpx.MockTransport(handle)

    def movies(self) -> list[int]:
        return [int(p.rsplit("/", 1)[1]) for p in self.paths if p.startswith("/3/movie/")]


async def library(
    sessionmaker: SessionMaker,
    films: list[tuple[FakeFilm, datetime]],
    *,
    watchlist: Sequence[tuple[FakeFilm, datetime]] = (),
    details: Any = early,
) -> uuid.UUID:
    """A completed session whose films (and watchlist entries) are matched to `films`, each
    stored (by the enrichment's own writer) as `details(film)` answered it, fetched then."""
    session_id = uuid.uuid4()
    async with session_scope(sessionmaker) as db:
        db.add(
            UploadSession(
                id=session_id,
                status=SessionStatus.completed,
                error_message=None,
                created_at=OLD,
                updated_at=OLD,
                last_active_at=NOW + timedelta(days=3650),
                username=None,
                ignored_files=[],
                trace_id=None,
                total_movies=len(films),
                diary_count=0,
                rating_count=0,
                review_count=0,
                like_count=0,
                list_count=0,
                list_entry_count=0,
                watchlist_count=len(watchlist),
                enriched_count=len(films),
                matched_count=len(films),
                needs_review_count=0,
                unmatched_count=0,
                failed_count=0,
            )
        )
        await db.flush()
        db.add_all(
            Film(
                session_id=session_id,
                film_no=n,
                title=film.title,
                year=film.year,
                letterboxd_uri=None,
                watched=True,
                liked=False,
                match_status=MatchStatus.matched,
                tmdb_id=film.id,
            )
            for n, (film, _) in enumerate(films, start=1)
        )
        db.add_all(
            Wish(
                session_id=session_id,
                entry_no=n,
                added_on=date(2024, 1, 1),
                title=film.title,
                year=film.year,
                match_status=MatchStatus.matched,
                tmdb_id=film.id,
            )
            for n, (film, _) in enumerate(watchlist, start=1)
        )
        rows = [
            movie_row(MovieDetails.model_validate_json(json.dumps(details(film))), fetched)
            for film, fetched in [*films, *watchlist]
        ]
        await repository.upsert_movies(db, rows)
    return session_id


async def stored(sessionmaker: SessionMaker, tmdb_id: int) -> TmdbMovie:
    async with session_scope(sessionmaker) as db:
        movie = await db.get(TmdbMovie, (tmdb_id, TmdbKind.movie))
    assert movie is not None
    return movie


async def updated_at(sessionmaker: SessionMaker, session_id: uuid.UUID) -> datetime:
    async with session_scope(sessionmaker) as db:
        value = await db.scalar(
            select(UploadSession.updated_at).where(UploadSession.id == session_id)
        )
    assert value is not None
    return value


async def _no_job(_session_id: uuid.UUID) -> None:
    return None


@asynccontextmanager
async def refreshing(
    sessionmaker: SessionMaker,
    arrivals: Arrivals,
    *,
    runner: InProcessRunner | None = None,
    per_minute: int = 6000,
    clock: FakeClock | None = None,
    now: WallClock | None = None,
    **options: Any,
) -> AsyncIterator[MetadataRefresher]:
    """A started refresher on `arrivals`' fake TMDB: its client as the app builds it (the
    shared limiter wrapped in the refresh's pace), every wait on `clock`."""
    clock = clock or FakeClock()
    pace = Pace(per_minute, clock=clock, sleep=clock.sleep)
    async with httpx.AsyncClient(transport=arrivals.transport()) as http:
        client = TmdbClient(
            http,
            ClientOptions(
                base_url="https://tmdb.test/3",
                api_key=API_KEY,
                bearer_token=None,
                max_attempts=3,
                backoff_seconds=0,
            ),
            limiter=RefreshPaced(LocalLimiter(10_000), pace),
            sleep=clock.sleep,
            clock=clock,
        )
        refresher = MetadataRefresher(
            sessionmaker,
            client,
            runner or InProcessRunner(sessionmaker, _no_job),
            max_age=MAX_AGE,
            sleep=clock.sleep,
            clock=clock,
            now=now or WallClock(),
            **options,
        )
        refresher.start()
        try:
            yield refresher
        finally:
            await refresher.stop()


def genres(stats: httpx.Response) -> set[str]:
    return {item["name"] for item in stats.json()["genres"]["most_watched"]}


async def opened(refresher: MetadataRefresher, *session_ids: uuid.UUID) -> None:
    for session_id in session_ids:
        refresher.opened(session_id)
    await asyncio.wait_for(refresher.wait_idle(), timeout=10)


# --- old rows refreshed ---


async def test_old_rows_are_refreshed_data_columns_tags_and_fetched_at(
    sessionmaker: SessionMaker,
) -> None:
    heat, ran, amelie = Remade(949, "Heat", 1995), Remade(11645, "Ran", 1985), CATALOGUE[3]
    fake = FakeTmdb([heat, ran, amelie])
    arrivals = Arrivals(fake)
    session_id = await library(
        sessionmaker, [(heat, OLD), (amelie, RECENT)], watchlist=[(ran, OLD)]
    )
    before = await stored(sessionmaker, heat.id)
    assert (before.runtime, before.vote_average, before.data["crew"]) == (None, 5.0, [])
    wall = WallClock(NOW)
    async with refreshing(sessionmaker, arrivals, now=wall) as refresher:
        await opened(refresher, session_id)
    assert sorted(arrivals.movies()) == [heat.id, ran.id]  # the recent film is not asked for
    assert refresher.refreshed == 2
    for film in (heat, ran):
        after = await stored(sessionmaker, film.id)
        expected = movie_row(MovieDetails.model_validate_json(json.dumps(film.details())), NOW)
        packed = pack(film_labels(expected["data"]))
        assert after.data == expected["data"].model_dump(mode="json")
        assert MovieData.model_validate(after.data).runtime == 171
        assert (after.runtime, after.vote_average) == (171, 8.3)  # the typed columns
        assert (after.tags, after.labels) == (packed.tags, packed.labels)  # the packed tags
        assert after.tags != before.tags
        assert "Thriller" in after.labels
        assert (after.fetched_at, after.refresh_claimed_until) == (NOW, None)
    untouched = await stored(sessionmaker, amelie.id)
    assert untouched.fetched_at == RECENT
    assert await updated_at(sessionmaker, session_id) > OLD  # its cached statistics go


async def test_a_refresh_that_changes_nothing_keeps_the_sessions_version(
    sessionmaker: SessionMaker,
) -> None:
    heat = CATALOGUE[0]
    session_id = await library(sessionmaker, [(heat, OLD)], details=lambda film: film.details())
    async with refreshing(sessionmaker, Arrivals(FakeTmdb([heat]))) as refresher:
        await opened(refresher, session_id)
    assert refresher.refreshed == 1
    assert (await stored(sessionmaker, heat.id)).fetched_at == NOW  # asked, found the same
    assert await updated_at(sessionmaker, session_id) == OLD  # its statistics still hold


async def test_a_refresh_invalidates_the_cached_stats_of_every_session_using_the_film(
    make_client: Any, sessionmaker: SessionMaker
) -> None:
    """Through the app: the library opened (/stats) is answered at once from the old metadata,
    and kept; once the refresh has stored the new metadata, /stats says so: the cached answer
    of the old version is not served. /movies shows when each film was fetched."""
    fake = FakeTmdb(list(CATALOGUE))
    client, session_id, _ = await enriched(make_client, fake, **FAST)
    _, other_id, _ = await enriched(make_client, fake, **FAST)  # another library, the same films
    async with session_scope(sessionmaker) as db:
        await db.execute(update(TmdbMovie).values(fetched_at=datetime.now(UTC) - 2 * MAX_AGE))
    fake.films = [Remade(f.id, f.title, f.year, f.popularity, f.original_title) for f in CATALOGUE]
    fake.hold_after = fake.served  # the refresh's requests wait until released
    first = await client.get(f"/api/session/{session_id}/stats")  # opened: queued, not awaited
    assert first.status_code == 200
    assert "Crime" in genres(first)
    assert "Thriller" not in genres(first)  # the old metadata
    assert genres(await client.get(f"/api/session/{other_id}/stats")) == genres(first)
    fake.release.set()
    refresher: MetadataRefresher = client.app.state.refresher
    await asyncio.wait_for(refresher.wait_idle(), timeout=10)
    assert refresher.refreshed == 4  # three films and the watchlist's, each asked once
    assert sorted(fake.movie_requests.values()) == [2, 2, 2, 2]  # the enrichment's, the refresh's

    for sid in (session_id, other_id):  # the other session's cached answer went too
        assert "Thriller" in genres(await client.get(f"/api/session/{sid}/stats"))
    films = await movies_by_title(client, session_id)
    assert films["Heat"]["runtime"] == 171
    fetched = datetime.fromisoformat(films["Heat"]["fetched_at"])
    assert datetime.now(UTC) - fetched < timedelta(minutes=5)
    assert films["Only In Diary"]["fetched_at"] is None  # no metadata


@pytest.mark.parametrize("path", ["/session/{id}", "/api/session/{id}/movies"])
async def test_the_dashboard_and_the_films_open_the_library_too(
    make_client: Any, sessionmaker: SessionMaker, path: str
) -> None:
    """As /stats does (above); /status (polled while a job runs) does not."""
    fake = FakeTmdb(list(CATALOGUE))
    client, session_id, _ = await enriched(make_client, fake, **FAST)
    async with session_scope(sessionmaker) as db:
        await db.execute(update(TmdbMovie).values(fetched_at=datetime.now(UTC) - 2 * MAX_AGE))
    asked = fake.requests["movie"]
    refresher: MetadataRefresher = client.app.state.refresher
    assert (await client.get(f"/api/session/{session_id}/status")).status_code == 200
    await asyncio.wait_for(refresher.wait_idle(), timeout=10)
    assert fake.requests["movie"] == asked
    assert (await client.get(path.format(id=session_id))).status_code == 200
    await asyncio.wait_for(refresher.wait_idle(), timeout=10)
    assert fake.requests["movie"] == asked + 4
    missing = path.format(id=uuid.uuid4())
    assert (await client.get(missing)).status_code == 404  # nothing to open


# --- a running enrichment is not slowed ---


async def test_the_refresh_waits_while_an_enrichment_job_runs(sessionmaker: SessionMaker) -> None:
    heat = Remade(949, "Heat", 1995)
    arrivals = Arrivals(FakeTmdb([heat]))
    session_id = await library(sessionmaker, [(heat, OLD)])
    job_may_end = asyncio.Event()

    async def job(_session_id: uuid.UUID) -> None:
        await job_may_end.wait()

    runner = InProcessRunner(sessionmaker, job)
    await runner.submit(uuid.uuid4())
    async with refreshing(sessionmaker, arrivals, runner=runner) as refresher:
        refresher.opened(session_id)
        for _ in range(50):  # the refresher's polls (on the fake clock) find the job running
            await asyncio.sleep(0.001)
        assert arrivals.paths == []  # not one request while the job runs
        assert (await stored(sessionmaker, heat.id)).fetched_at == OLD
        job_may_end.set()
        await runner.wait_idle()
        await asyncio.wait_for(refresher.wait_idle(), timeout=10)
    assert arrivals.movies() == [heat.id]
    assert (await stored(sessionmaker, heat.id)).fetched_at == NOW


async def test_the_app_refresh_yields_to_a_running_enrichment(
    make_client: Any, sessionmaker: SessionMaker
) -> None:
    """The app's wiring: while another library's enrichment waits for TMDB, opening a library
    with stale films sends no request; once the job is done, the refresh goes."""
    fake = FakeTmdb(list(CATALOGUE))
    arrivals = Arrivals(fake)
    client: AppClient = await make_client(
        tmdb_transport=arrivals.transport(), **TMDB_SETTINGS, **FAST
    )
    upload = await client.post("/api/upload", files=multipart(("e.zip", make_zip(small_export()))))
    session_id = upload.json()["session_id"]
    await wait_completed(client, session_id)
    await client.app.state.runner.wait_idle()
    async with session_scope(sessionmaker) as db:
        await db.execute(update(TmdbMovie).values(fetched_at=datetime.now(UTC) - 2 * MAX_AGE))
    fake.hold_after = fake.served  # the next request (the new library's search) waits
    unknown = csv_text(FILM, ["2024-01-02,A Film Nobody Has Made,2011,https://boxd.it/none"])
    other = await client.post("/api/upload", files=multipart(("watched.csv", unknown)))
    assert other.status_code == 202
    asked = len(arrivals.paths)
    for _ in range(100):  # until the job's first search reaches TMDB (and is held)
        if len(arrivals.paths) > asked:
            break
        await asyncio.sleep(0.01)
    assert arrivals.paths[asked:] == ["/3/search/movie"]
    assert (await client.get(f"/api/session/{session_id}/stats")).status_code == 200
    await asyncio.sleep(0.3)  # the refresher has had time to ask, were it not waiting
    assert arrivals.paths[asked:] == ["/3/search/movie"]  # the job's request only
    fake.release.set()
    await wait_completed(client, other.json()["session_id"])
    refresher: MetadataRefresher = client.app.state.refresher
    await client.app.state.runner.wait_idle()
    await asyncio.wait_for(refresher.wait_idle(), timeout=15)
    assert sorted(arrivals.movies()[-4:]) == sorted(f.id for f in CATALOGUE if f.id != 950)


# --- the limiter respected ---


async def test_refresh_requests_keep_their_own_pace_retries_included(
    sessionmaker: SessionMaker,
) -> None:
    """At most TMDB_REFRESH_PER_MINUTE requests in any minute of the (fake) clock, each taking
    a slot of the shared limiter too; a film answered 503 then 200 costs two slots."""
    films = [Remade(100 + n, f"Film {n}", 2000 + n) for n in range(5)]
    fake = FakeTmdb(list(films), script=["503"])  # the first request fails once
    clock = FakeClock()
    arrivals = Arrivals(fake, clock)
    session_id = await library(sessionmaker, [(film, OLD) for film in films])
    async with refreshing(sessionmaker, arrivals, per_minute=2, clock=clock) as refresher:
        await opened(refresher, session_id)
    assert len(arrivals.times) == 6  # five films, one of them twice
    assert sorted(set(arrivals.movies())) == [film.id for film in films]
    gaps = [b - a for a, b in zip(arrivals.times, arrivals.times[1:], strict=False)]
    assert all(gap >= 30.0 for gap in gaps), gaps  # 2 a minute: 30 s apart, the retry too
    for start in range(len(arrivals.times)):  # any minute holds at most 2
        in_window = [
            t for t in arrivals.times if arrivals.times[start] <= t < arrivals.times[start] + 60
        ]
        assert len(in_window) <= 2


async def test_other_requests_on_the_client_are_not_paced() -> None:
    """The same client's requests outside the refresher (the jobs', the users') go straight
    to the shared limiter."""
    clock = FakeClock()
    pace = Pace(1, clock=clock, sleep=clock.sleep)
    fake = FakeTmdb(list(CATALOGUE))
    shared_slots: list[float] = []

    class Counting(LocalLimiter):
        async def acquire(self) -> None:
            shared_slots.append(clock())
            await super().acquire()

    async with httpx.AsyncClient(transport=fake.transport()) as http:
        client = TmdbClient(
            http,
            ClientOptions(base_url="https://tmdb.test/3", api_key=API_KEY, bearer_token=None),
            limiter=RefreshPaced(Counting(10_000), pace),
            sleep=clock.sleep,
            clock=clock,
        )
        for film in CATALOGUE:
            await client.movie(film.id)
    assert (len(shared_slots), clock.sleeps) == (len(CATALOGUE), [])  # no pace waited for


def test_a_pace_needs_a_positive_rate() -> None:
    with pytest.raises(ValueError, match="positive"):
        Pace(0)


async def test_the_apps_client_paces_the_refresh_on_the_shared_budget(
    engine: AsyncEngine, database_url: str
) -> None:
    """As the app builds it: the refresh's pace before the process's (or the deployment's)
    budget; on PostgreSQL the pace is shared by every process too."""
    settings = make_settings(database_url, tmdb_api_key="k", tmdb_refresh_per_minute=30)
    async with httpx.AsyncClient() as http:
        client = tmdb_client(settings, http, engine, refresh_pace=refresh_pace(settings, engine))
    assert client is not None
    assert isinstance(client.limiter, RefreshPaced)
    shared = LocalLimiter if settings.is_sqlite else PostgresLimiter
    assert isinstance(client.limiter.limiter, shared)
    if settings.is_sqlite:
        assert isinstance(client.limiter.pace, Pace)
        assert client.limiter.pace.interval == 2.0
    else:
        assert isinstance(client.limiter.pace, PostgresLimiter)
        assert (client.limiter.pace.name, client.limiter.pace.rate) == ("tmdb-refresh", 0.5)
    assert refresh_pace(make_settings(database_url, tmdb_refresh_per_minute=0), engine) is None


# --- TMDB failures ---


async def test_a_film_gone_from_tmdb_keeps_its_data_and_is_not_asked_again(
    sessionmaker: SessionMaker,
) -> None:
    gone = FakeFilm(4242, "Deleted Since", 2003)
    arrivals = Arrivals(FakeTmdb([]))  # TMDB answers 404
    session_id = await library(sessionmaker, [(gone, OLD)])
    before = await stored(sessionmaker, gone.id)
    wall = WallClock(NOW)
    async with refreshing(sessionmaker, arrivals, now=wall, recheck=0) as refresher:
        await opened(refresher, session_id)
        assert arrivals.movies() == [gone.id]
        wall.now = NOW + timedelta(days=1)
        await opened(refresher, session_id)  # opened again: not asked again
    assert arrivals.movies() == [gone.id]
    after = await stored(sessionmaker, gone.id)
    assert (after.data, after.tags, after.labels) == (before.data, before.tags, before.labels)
    assert (after.fetched_at, after.refresh_claimed_until) == (NOW, None)
    assert await updated_at(sessionmaker, session_id) == OLD


@pytest.mark.parametrize("fault", ["503", "timeout"])
async def test_a_failing_tmdb_leaves_the_film_for_later_never_a_crash(
    sessionmaker: SessionMaker,
    fault: str,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    redact_api_keys()  # as the app's logging set-up does: httpx's own lines show no key
    caplog.set_level(logging.DEBUG)
    heat, ran = Remade(949, "Heat", 1995), Remade(11645, "Ran", 1985)
    fake = FakeTmdb([heat, ran], script=[fault] * 3)  # the first film's three attempts fail
    arrivals = Arrivals(fake)
    session_id = await library(sessionmaker, [(heat, OLD), (ran, OLD)])
    before = await stored(sessionmaker, heat.id)
    wall = WallClock(NOW)
    async with refreshing(sessionmaker, arrivals, now=wall, recheck=0) as refresher:
        await opened(refresher, session_id)
        assert refresher.running  # the task goes on: the next film was refreshed
        assert arrivals.movies() == [heat.id] * 3 + [ran.id]
        failed = await stored(sessionmaker, heat.id)
        assert (failed.data, failed.fetched_at) == (before.data, OLD)  # kept as it was
        assert failed.refresh_claimed_until == NOW + CLAIM
        assert (await stored(sessionmaker, ran.id)).fetched_at == NOW

        wall.now = NOW + CLAIM / 2
        await opened(refresher, session_id)  # soon after: left alone
        assert arrivals.movies() == [heat.id] * 3 + [ran.id]
        wall.now = NOW + CLAIM + timedelta(minutes=1)
        await opened(refresher, session_id)  # later: asked again, and it answers
    assert arrivals.movies() == [heat.id] * 3 + [ran.id, heat.id]
    assert (await stored(sessionmaker, heat.id)).runtime == 171
    printed = capfd.readouterr()
    logged = f"{printed.out}\n{printed.err}\n{caplog.text}"
    assert "refresh.failed" in logged
    assert "tmdb_id=949" in logged
    assert API_KEY not in logged


async def test_a_rejected_key_drops_the_queue(sessionmaker: SessionMaker) -> None:
    films = [Remade(100 + n, f"Film {n}", 2000) for n in range(4)]
    arrivals = Arrivals(FakeTmdb(list(films), reject_key=True))
    session_id = await library(sessionmaker, [(film, OLD) for film in films])
    async with refreshing(sessionmaker, arrivals) as refresher:
        await opened(refresher, session_id)
    assert len(arrivals.movies()) == 1  # one refusal, not one per film
    assert {(await stored(sessionmaker, film.id)).fetched_at for film in films} == {OLD}


async def test_a_database_that_does_not_answer_is_logged_and_the_refresher_goes_on(
    capfd: pytest.CaptureFixture[str],
) -> None:
    from letterboxd_stats.db import create_engine

    engine = create_engine("sqlite+aiosqlite:////nonexistent-dir/none.db")
    try:
        gone = create_sessionmaker(engine)
        async with refreshing(gone, Arrivals(FakeTmdb([])), db_patience=0.01) as refresher:
            await opened(refresher, uuid.uuid4())
            assert refresher.running
            await opened(refresher, uuid.uuid4())  # still taking work
    finally:
        await engine.dispose()
    printed = capfd.readouterr()
    assert f"{printed.out}{printed.err}".count("refresh.database_gone") == 2


# --- each film once, whichever process asks ---


async def test_two_processes_never_refresh_the_same_film(sessionmaker: SessionMaker) -> None:
    films = [Remade(100 + n, f"Film {n}", 2000) for n in range(8)]
    fake = FakeTmdb(list(films))
    first = await library(sessionmaker, [(film, OLD) for film in films])
    second = await library(sessionmaker, [(film, OLD) for film in films[2:]])
    async with (
        refreshing(sessionmaker, Arrivals(fake)) as one,
        refreshing(sessionmaker, Arrivals(fake)) as other,
    ):
        await asyncio.gather(opened(one, first, second), opened(other, second, first))
    assert sorted(fake.movie_requests) == [film.id for film in films]
    assert set(fake.movie_requests.values()) == {1}
    assert one.refreshed + other.refreshed == len(films)


async def test_a_claimed_film_is_skipped_until_its_claim_lapses(
    sessionmaker: SessionMaker,
) -> None:
    heat = Remade(949, "Heat", 1995)
    session_id = await library(sessionmaker, [(heat, OLD)])
    stale_before = NOW - MAX_AGE
    async with session_scope(sessionmaker) as db:
        claim = {"stale_before": stale_before, "now": NOW, "until": NOW + CLAIM}
        entry = (TmdbKind.movie, heat.id)
        assert await repository.claim_stale_movie(db, entry, **claim)
        assert not await repository.claim_stale_movie(db, entry, **claim)
        assert (
            await repository.stale_movie_ids(db, session_id, stale_before=stale_before, now=NOW)
            == []
        )
        later = NOW + CLAIM + timedelta(seconds=1)
        assert await repository.stale_movie_ids(
            db, session_id, stale_before=stale_before, now=later
        ) == [entry]


async def test_a_library_opened_again_soon_is_looked_at_once(sessionmaker: SessionMaker) -> None:
    heat, ran = Remade(949, "Heat", 1995), Remade(11645, "Ran", 1985)
    arrivals = Arrivals(FakeTmdb([heat, ran]))
    session_id = await library(sessionmaker, [(heat, OLD), (ran, RECENT)])
    clock, wall = FakeClock(), WallClock(NOW)
    async with refreshing(sessionmaker, arrivals, clock=clock, now=wall, recheck=600) as refresher:
        await opened(refresher, session_id)
        wall.now = NOW + timedelta(days=85)  # the other film is stale now too, not the first
        await opened(refresher, session_id)
        assert arrivals.movies() == [heat.id]  # looked at once within 600 s
        clock.advance(601)
        await opened(refresher, session_id)
    assert arrivals.movies() == [heat.id, ran.id]


# --- settings ---


async def test_the_refresh_is_off_at_zero_per_minute(make_client: Any) -> None:
    fake = FakeTmdb(list(CATALOGUE))
    client, session_id, _ = await enriched(make_client, fake, tmdb_refresh_per_minute=0)
    refresher: MetadataRefresher = client.app.state.refresher
    assert not refresher.running
    assert (await client.get(f"/api/session/{session_id}/stats")).status_code == 200
    client_on = await make_client()  # no TMDB credentials: nothing to refresh with
    assert not client_on.app.state.refresher.running


def test_the_refresh_age_stays_within_what_tmdb_allows(database_url: str) -> None:
    assert make_settings(database_url).tmdb_refresh_days == 90
    with pytest.raises(ValidationError, match="tmdb_refresh_days"):
        make_settings(database_url, tmdb_refresh_days=183)  # TMDB: six months at most
    with pytest.raises(ValidationError, match="tmdb_refresh_per_minute"):
        make_settings(database_url, tmdb_refresh_per_minute=-1)


async def test_stopped_mid_request_the_film_stays_claimed_until_it_lapses(
    sessionmaker: SessionMaker,
) -> None:
    heat = Remade(949, "Heat", 1995)
    fake = FakeTmdb([heat], hold_after=0)  # TMDB never answers
    arrivals = Arrivals(fake)
    session_id = await library(sessionmaker, [(heat, OLD)])
    async with refreshing(sessionmaker, arrivals) as refresher:
        refresher.opened(session_id)
        for _ in range(200):
            if arrivals.paths:
                break
            await asyncio.sleep(0.005)
        assert arrivals.movies() == [heat.id]
        await refresher.stop()  # the app shutting down: no error, nothing half-written
        assert not refresher.running
        await asyncio.wait_for(refresher.wait_idle(), timeout=1)
    film = await stored(sessionmaker, heat.id)
    assert (film.fetched_at, film.refresh_claimed_until) == (OLD, NOW + CLAIM)


async def test_a_stale_series_is_refreshed_from_tmdbs_tv_not_the_movie_of_its_number(
    sessionmaker: SessionMaker,
) -> None:
    movie = CATALOGUE[0]
    series = FakeSeries(movie.id, "Chernobyl", 2019, episodes=5, episode_minutes=(60,))
    arrivals = Arrivals(FakeTmdb([movie], series=[series]))
    session_id = await library(sessionmaker, [(movie, RECENT)])  # the movie is fresh
    early_series = series.details() | {"number_of_episodes": None, "aggregate_credits": {}}
    async with session_scope(sessionmaker) as db:
        db.add(
            Film(
                session_id=session_id,
                film_no=2,
                title=series.name,
                year=series.year,
                letterboxd_uri=None,
                watched=True,
                liked=False,
                match_status=MatchStatus.matched,
                tmdb_id=series.id,
                tmdb_kind=TmdbKind.tv,
            )
        )
        await repository.upsert_movies(
            db, [tv_row(TvDetails.model_validate_json(json.dumps(early_series)), OLD)]
        )
    async with refreshing(sessionmaker, arrivals, now=WallClock(NOW)) as refresher:
        await opened(refresher, session_id)
    assert arrivals.paths == [f"/3/tv/{series.id}"]  # not /3/movie/: another film's number
    async with session_scope(sessionmaker) as db:
        after = await db.get(TmdbMovie, (series.id, TmdbKind.tv))
        kept = await db.get(TmdbMovie, (movie.id, TmdbKind.movie))
    assert after is not None
    assert kept is not None
    assert (after.fetched_at, after.runtime) == (NOW, 60 * 5)
    assert MovieData.model_validate(after.data).kind is TmdbKind.tv
    assert kept.fetched_at == RECENT
