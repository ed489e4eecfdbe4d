"""Migrations 0006 and 0007: TMDB documents stored before `MovieData` was versioned are
converted, and get the packed tags the statistics read."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from sqlalchemy.ext.asyncio import AsyncEngine

from letterboxd_stats.kit.migrations import alembic_config, upgrade
from letterboxd_stats.stats.tags import SEPARATOR
from letterboxd_stats.tmdb.schemas import MAX_INT, MAX_ITEMS, MOVIE_DATA_VERSION

PACKED = sa.table("tmdb_movies", *(sa.column(name) for name in ("tmdb_id", "tags", "labels")))
OLD_MOVIES = sa.table(  # tmdb_movies as revision 0005 left it
    "tmdb_movies",
    *(sa.column(name) for name in ("tmdb_id", "title", "fetched_at")),
    sa.column("data", sa.JSON),
)
VERSION_0 = {  # as `trim_details` wrote it before, and before issue 13's bounds
    "id": 77,
    "title": "Old",
    "original_title": "Old",
    "original_language": "en",
    "release_date": "1999-01-01",
    "runtime": MAX_INT + 1,
    "popularity": 1.5,
    "vote_average": 7.0,
    "vote_count": 10,
    "poster_path": "/p.jpg",
    "backdrop_path": None,
    "imdb_id": "tt1",
    "genres": [{"id": n, "name": f"g{n}"} for n in range(MAX_ITEMS + 5)],
    "production_countries": [{"iso_3166_1": "US", "name": "United States"}],
    "spoken_languages": [{"iso_639_1": "en", "english_name": "English", "name": "English"}],
    "production_companies": [],
    "keywords": [{"id": 1, "name": "k"}],
    "cast": [{"id": 6, "name": "A", "profile_path": None, "character": "c", "order": 0}],
    "crew": [{"id": 7, "name": "D", "profile_path": "/d.jpg", "job": "Director"}],
}


async def test_migrations_0006_0007_convert_version_0_documents(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: command.downgrade(alembic_config(sync), "0005"))
        await conn.execute(
            sa.insert(OLD_MOVIES),
            [{"tmdb_id": 77, "title": "Old", "fetched_at": datetime.now(UTC), "data": VERSION_0}],
        )
    await upgrade(engine)
    async with engine.begin() as conn:
        data = (
            await conn.execute(sa.select(OLD_MOVIES.c.data).where(OLD_MOVIES.c.tmdb_id == 77))
        ).scalar_one()
        packed = (
            await conn.execute(
                sa.select(PACKED.c.tags, PACKED.c.labels).where(PACKED.c.tmdb_id == 77)
            )
        ).one()
        await conn.execute(sa.delete(OLD_MOVIES).where(OLD_MOVIES.c.tmdb_id == 77))
    assert data["version"] == MOVIE_DATA_VERSION
    assert data["runtime"] is None  # bounded now
    assert len(data["genres"]) == MAX_ITEMS
    unchanged = {k: v for k, v in VERSION_0.items() if k not in ("runtime", "genres")}
    assert {k: data[k] for k in unchanged} == unchanged
    tags = packed.tags.split(SEPARATOR)
    assert tags[:2] == ["genres:0", "genres:1"]
    assert tags[-4:] == ["keywords:1", "languages:en", "actors:6", "directors:7"]
    assert packed.labels.split(SEPARATOR)[-2:] == ["D", "/d.jpg"]
