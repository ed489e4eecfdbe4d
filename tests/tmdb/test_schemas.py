"""The typed TMDB models accept what TMDB really answers (../shared/data/tmdb-api-samples) and
bound what it could answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from letterboxd_stats.tmdb.metadata import trim_details
from letterboxd_stats.tmdb.schemas import (
    MAX_ITEMS,
    MOVIE_DATA_VERSION,
    Credits,
    MovieData,
    MovieDetails,
    SearchAnswer,
)

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "tmdb-api-samples"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"recorded TMDB answers not present at {SAMPLES} (../shared/data)"
)


def _samples(prefix: str) -> list[Path]:
    if not SAMPLES.is_dir():
        return []
    return sorted(p for p in SAMPLES.glob(f"{prefix}*.json") if not p.name.endswith(".meta.json"))


@needs_samples
def test_there_are_samples_of_every_kind() -> None:
    assert len(_samples("search_movie")) >= 4
    assert len(_samples("movie_")) >= 5


@needs_samples
@pytest.mark.parametrize("path", _samples("search_movie"), ids=lambda p: p.name)
def test_every_recorded_search_answer_validates(path: Path) -> None:
    raw = path.read_bytes()
    answer = SearchAnswer.model_validate_json(raw)
    sent = json.loads(raw)["results"]
    assert [r.id for r in answer.results] == [r["id"] for r in sent]
    for result, original in zip(answer.results, sent, strict=True):
        assert (result.title, result.release_date, result.popularity) == (
            original["title"],
            original.get("release_date"),
            original["popularity"],
        )


@needs_samples
@pytest.mark.parametrize(
    "path", [p for p in _samples("movie_") if "_credits__" not in p.name], ids=lambda p: p.name
)
def test_every_recorded_movie_answer_validates_and_is_kept(path: Path) -> None:
    raw = path.read_bytes()
    sent = json.loads(raw)
    details = MovieDetails.model_validate_json(raw)
    assert (details.id, details.title, details.runtime) == (
        sent["id"],
        sent["title"],
        sent["runtime"],
    )
    assert [g.name for g in details.genres] == [g["name"] for g in sent["genres"]]
    assert len(details.credits.cast) == len(sent.get("credits", {}).get("cast", []))
    assert len(details.keywords.keywords) == len(sent.get("keywords", {}).get("keywords", []))
    if "release_dates" in sent:
        assert len(details.release_dates.results) == len(sent["release_dates"]["results"])
    data = trim_details(details)
    stored = data.model_dump(mode="json")
    assert stored["version"] == MOVIE_DATA_VERSION
    assert MovieData.model_validate(stored) == data  # what is stored reads back the same
    if sent.get("credits"):
        assert data.cast
        assert data.crew
        assert data.cast[0].name == sent["credits"]["cast"][0]["name"]
        assert {c.job for c in data.crew} >= {"Director"}


@needs_samples
def test_a_recorded_credits_answer_validates() -> None:
    [path] = [p for p in _samples("movie_") if "_credits__" in p.name]
    sent = json.loads(path.read_bytes())
    credits = Credits.model_validate_json(path.read_bytes())
    assert len(credits.cast) == len(sent["cast"])
    assert len(credits.crew) == len(sent["crew"])


def test_junk_reads_as_empty_but_an_answer_without_id_or_title_fails() -> None:
    details = MovieDetails.model_validate(
        {
            "id": 5,
            "title": "T",
            "genres": "junk",
            "credits": [1, 2],
            "keywords": {"keywords": [7, {"id": 3, "name": "k"}]},
            "runtime": True,
            "popularity": "high",
        }
    )
    assert (details.genres, details.credits.cast, details.runtime, details.popularity) == (
        [],
        [],
        None,
        None,
    )
    assert [k.id for k in details.keywords.keywords] == [3]
    for body in ({"title": "T"}, {"id": 5}, {"id": 0, "title": "T"}, {"id": 5, "title": 7}):
        with pytest.raises(ValueError, match="validation error"):
            MovieDetails.model_validate(body)
    with pytest.raises(ValueError, match="validation error"):
        SearchAnswer.model_validate({"page": 1})


def test_stored_lists_are_bounded() -> None:
    data = MovieData.model_validate({"genres": [{"id": n, "name": "g"} for n in range(500)]})
    assert len(data.genres) == MAX_ITEMS
    assert MovieData.model_validate({}).version == MOVIE_DATA_VERSION  # a version 0 document
