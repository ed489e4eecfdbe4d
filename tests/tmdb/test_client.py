"""The TMDB client against fake TMDB answers at the transport (httpx.MockTransport)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from letterboxd_stats.tmdb.client import (
    ClientOptions,
    TmdbAuthError,
    TmdbClient,
    TmdbNotFound,
    TmdbRetriesExhausted,
)
from letterboxd_stats.tmdb.schemas import SearchResult
from tests.fixtures.clocks import FakeClock

KEY = "secret-key-123"
MATRIX = {"id": 603, "title": "The Matrix", "release_date": "1999-03-30"}
RATE_LIMITED = {
    "status_code": 25,
    "status_message": "Your request count (41) is over the allowed limit of 40.",
}
INVALID_KEY = {
    "status_code": 7,
    "status_message": "Invalid API key: You must be granted a valid key.",
    "success": False,
}


class Recorder:
    """TMDB's answers in turn, the requests sent, and the client's clock: a `FakeClock`,
    moved by the client's sleeps, never by real time."""

    def __init__(self, answers: list[Callable[[httpx.Request], httpx.Response]]) -> None:
        self.answers = answers
        self.requests: list[httpx.Request] = []
        self.clock = FakeClock()

    @property
    def sleeps(self) -> list[float]:
        return self.clock.sleeps

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        return answer(request)


def ok(body: object) -> Callable[[httpx.Request], httpx.Response]:
    return lambda _r: httpx.Response(200, json=body)


def status(
    code: int, body: object, headers: dict[str, str] | None = None
) -> Callable[[httpx.Request], httpx.Response]:
    return lambda _r: httpx.Response(code, json=body, headers=headers or {})


def _plain(results: list[SearchResult]) -> list[dict[str, object]]:
    """Search results as TMDB sent them (the fields it sent)."""
    return [r.model_dump(exclude_unset=True) for r in results]


def client_for(recorder: Recorder, **options: object) -> TmdbClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder.handle))
    defaults: dict[str, object] = {
        "base_url": "https://tmdb.test/3",
        "api_key": KEY,
        "bearer_token": None,
        "rate_limit": 1000.0,
        "max_attempts": 4,
        "backoff_seconds": 0.5,
        "backoff_max_seconds": 8.0,
    }
    return TmdbClient(
        http,
        ClientOptions(**(defaults | options)),  # type: ignore[arg-type]
        sleep=recorder.clock.sleep,
        clock=recorder.clock,
    )


async def test_search_sends_query_key_and_params() -> None:
    recorder = Recorder(
        [ok({"page": 1, "results": [MATRIX], "total_pages": 1, "total_results": 1})]
    )
    results = await client_for(recorder).search_movie("The Matrix", {"primary_release_year": 1999})
    assert _plain(results) == [MATRIX]
    request = recorder.requests[0]
    assert request.url.path == "/3/search/movie"
    assert request.url.params["query"] == "The Matrix"
    assert request.url.params["primary_release_year"] == "1999"
    assert request.url.params["api_key"] == KEY
    assert "authorization" not in request.headers


async def test_bearer_token_goes_in_the_header() -> None:
    recorder = Recorder([ok(MATRIX)])
    await client_for(recorder, api_key=None, bearer_token="tok").movie(603)
    request = recorder.requests[0]
    assert request.headers["authorization"] == "Bearer tok"
    assert "api_key" not in request.url.params
    assert request.url.params["append_to_response"] == "credits,keywords,release_dates"


async def test_429_honours_retry_after_then_succeeds() -> None:
    recorder = Recorder([status(429, RATE_LIMITED, {"Retry-After": "3"}), ok(MATRIX)])
    client = client_for(recorder)
    assert (await client.movie(603)).id == 603
    assert len(recorder.requests) == 2
    assert client.rate_limited == 1
    assert max(recorder.sleeps) >= 3  # never sooner than TMDB asked


async def test_5xx_and_timeouts_are_retried_with_growing_backoff_then_give_up() -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    recorder = Recorder([status(503, {"status_code": 46}), timeout, status(502, {})])
    with pytest.raises(TmdbRetriesExhausted, match="after 4 attempts") as raised:
        await client_for(recorder).movie(603)
    assert len(recorder.requests) == 4
    assert KEY not in str(raised.value)
    assert all(0 <= s <= 8.0 for s in recorder.sleeps)
    assert len(recorder.sleeps) == 3


async def test_401_fails_at_once() -> None:
    recorder = Recorder([status(401, INVALID_KEY)])
    with pytest.raises(TmdbAuthError, match="TMDB rejected the API key") as raised:
        await client_for(recorder).search_movie("x", {})
    assert len(recorder.requests) == 1
    assert KEY not in str(raised.value)


async def test_404_is_not_found() -> None:
    recorder = Recorder([status(404, {"success": False, "status_code": 34})])
    with pytest.raises(TmdbNotFound):
        await client_for(recorder).movie(999)
    assert len(recorder.requests) == 1


@pytest.mark.parametrize(
    "answer",
    [
        lambda _r: httpx.Response(200, content=b"<html>oops</html>"),
        lambda _r: httpx.Response(200, json=[1, 2]),
        lambda _r: httpx.Response(200, json={"id": 603}),  # no title
    ],
)
async def test_unusable_200_answers_are_retried_then_fail(
    answer: Callable[[httpx.Request], httpx.Response],
) -> None:
    recorder = Recorder([answer])
    with pytest.raises(TmdbRetriesExhausted):
        await client_for(recorder, max_attempts=2).movie(603)


async def test_connection_errors_are_retried() -> None:
    def reset(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("reset", request=request)

    recorder = Recorder([reset, ok({"results": [MATRIX]})])
    assert _plain(await client_for(recorder).search_movie("The Matrix", {})) == [MATRIX]


async def test_search_results_without_ids_are_dropped() -> None:
    body = {"results": [MATRIX, {"title": "no id"}, "junk"]}
    recorder = Recorder([ok(body)])
    assert _plain(await client_for(recorder).search_movie("x", {})) == [MATRIX]


async def test_search_results_with_ids_beyond_an_id_are_dropped() -> None:
    """An id beyond 64 bits (or 0, negative, a bool) cannot be a film's: issue 13, item 3."""
    odd = [{"id": 2**80, "title": "huge"}, {"id": -5}, {"id": 0}, {"id": True}, {"id": 2**31}]
    recorder = Recorder([ok({"results": [*odd, MATRIX]})])
    assert _plain(await client_for(recorder).search_movie("x", {})) == [MATRIX]


async def test_a_movie_with_a_null_title_is_an_answer_not_a_fault() -> None:
    recorder = Recorder([ok({"id": 603, "title": None})])
    movie = await client_for(recorder, max_attempts=1).movie(603)
    assert (movie.id, movie.title) == (603, None)
    huge = Recorder([ok({"id": 2**80, "title": "x"})])
    with pytest.raises(TmdbRetriesExhausted):
        await client_for(huge, max_attempts=2).movie(603)


CHERNOBYL = {
    "id": 87108,
    "name": "Chernobyl",
    "original_name": "Chernobyl",
    "first_air_date": "2019-05-06",
    "popularity": 40.1,
}


async def test_tv_search_sends_the_first_air_date_year_and_reads_series() -> None:
    recorder = Recorder([ok({"page": 1, "results": [CHERNOBYL, {"name": "no id"}]})])
    found = await client_for(recorder).search_tv("Chernobyl", {"first_air_date_year": 2019})
    request = recorder.requests[0]
    assert request.url.path == "/3/search/tv"
    assert request.url.params["query"] == "Chernobyl"
    assert request.url.params["first_air_date_year"] == "2019"
    assert [(s.id, s.name) for s in found] == [(87108, "Chernobyl")]  # no id: no series
    candidate = found[0].as_search_result()  # as the matcher reads a film
    assert (candidate.title, candidate.release_date) == ("Chernobyl", "2019-05-06")


async def test_tv_details_append_aggregate_credits_and_keywords() -> None:
    recorder = Recorder([status(503, {}), ok(CHERNOBYL | {"episode_run_time": [60, "x", -1]})])
    series = await client_for(recorder).tv(87108)
    assert recorder.requests[-1].url.path == "/3/tv/87108"
    assert recorder.requests[-1].url.params["append_to_response"] == "aggregate_credits,keywords"
    assert series.episode_run_time == [60]  # what is not a length is left out
    assert len(recorder.sleeps) == 1  # the 503 was retried


async def test_a_series_without_a_name_is_an_unusable_answer() -> None:
    recorder = Recorder([ok({"id": 87108})])
    with pytest.raises(TmdbRetriesExhausted):
        await client_for(recorder, max_attempts=2).tv(87108)
