"""What a film counts in is packed when it is stored (`stats.tags`): the statistics read the
packed tags, never the film's JSON, and answer as the JSON would."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.models import TmdbMovie
from letterboxd_stats.stats.rows import Labels, TmdbFacts, facts_from_data
from letterboxd_stats.stats.tags import SEPARATOR, Label, film_labels, pack, unpack_tags
from letterboxd_stats.tmdb.schemas import MovieData
from tests.fixtures.apps import AppClient
from tests.fixtures.exports import FILM, csv_text, multipart
from tests.fixtures.tmdb import TMDB_SETTINGS, FakeFilm, FakeTmdb
from tests.fixtures.uploads import wait_completed

ODD = MovieData.model_validate(
    {
        "original_language": "xx",
        "genres": [{"id": 18, "name": f"Dra{SEPARATOR}ma"}, {"id": 18, "name": "again"}],
        "crew": [{"id": None, "name": f"No{SEPARATOR}Id", "profile_path": None, "job": "Editor"}],
    }
)


def _facts(tmdb_id: int, data: dict[str, Any]) -> TmdbFacts:
    return facts_from_data(
        tmdb_id,
        data,
        release_date=None,
        runtime=None,
        popularity=None,
        vote_average=None,
        vote_count=None,
        poster_path=None,
    )


def test_packing_keeps_every_tag_and_label_in_order() -> None:
    packed = pack(film_labels(ODD))
    assert unpack_tags(packed.tags) == ("genres:18", "languages:xx", "editors:name:No Id")
    facts = TmdbFacts(
        1, None, None, None, None, None, None, unpack_tags(packed.tags), packed.labels
    )
    assert dict(facts.labels) == {
        "genres:18": Label("Dra ma"),  # the separator cannot be in a name
        "languages:xx": Label("xx"),
        "editors:name:No Id": Label("No Id"),
    }
    assert facts.label("languages:xx") == Label("xx")
    assert pack({}).tags == ""
    assert unpack_tags("") == ()


def test_a_tag_is_shown_as_the_last_film_counting_in_it_shows_it() -> None:
    """As `dict(chain(labels of every film))` did: a language's name comes from the film."""
    named = _facts(1, {"original_language": "xx", "spoken_languages": [
        {"iso_639_1": "xx", "english_name": "No Language"}]})  # fmt: skip
    unnamed = _facts(2, {"original_language": "xx"})
    assert Labels([named, unnamed])["languages:xx"] == Label("xx")
    assert Labels([unnamed, named])["languages:xx"] == Label("No Language")
    assert len(Labels([named, unnamed])) == 1
    assert list(Labels([named])) == ["languages:xx"]


async def test_statistics_never_read_the_films_json(make_client: Any, engine: AsyncEngine) -> None:
    fake = FakeTmdb([FakeFilm(949, "Heat", 1995), FakeFilm(603, "The Matrix", 1999)])
    client: AppClient = await make_client(
        tmdb_transport=fake.transport(), stats_cache_bytes=0, **TMDB_SETTINGS
    )
    rows = [
        "2024-01-02,Heat,1995,https://boxd.it/a",
        "2024-01-03,The Matrix,1999,https://boxd.it/b",
    ]
    upload = await client.post(
        "/api/upload", files=multipart(("watched.csv", csv_text(FILM, rows)))
    )
    session_id = upload.json()["session_id"]
    assert (await wait_completed(client, session_id))["matched_count"] == 2
    before = (await client.get(f"/api/session/{session_id}/stats")).json()
    assert [g["name"] for g in before["genres"]["most_watched"]] == ["Crime", "Drama"]
    assert before["people"]["directors"]["total"] == 2
    async with engine.begin() as conn:  # the JSON says nothing now; the packed tags still do
        await conn.execute(update(TmdbMovie).values(data={"version": 1}))
    after = (await client.get(f"/api/session/{session_id}/stats")).json()
    assert after == before
