"""versioned movie data

`tmdb_movies.data` is now a `tmdb.schemas.MovieData` document with a `version` (1). Rows
stored before (version 0: the same fields, no `version`, and from before issue 13 possibly
values beyond the bounds) are read by `MovieData`, which bounds them, and written back as
version 1. `MovieData` reads every older version, so this stays right as the shape moves on
(a later version converts version 1 rows in a migration of its own). Downgrade keeps the
documents: version 0 readers ignored fields they did not know.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 17:30:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from letterboxd_stats.tmdb.schemas import MOVIE_DATA_VERSION, MovieData

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500

_movies = sa.table("tmdb_movies", sa.column("tmdb_id", sa.Integer), sa.column("data", sa.JSON))


def upgrade() -> None:
    connection = op.get_bind()
    after = -1
    while True:
        rows = connection.execute(
            sa.select(_movies.c.tmdb_id, _movies.c.data)
            .where(_movies.c.tmdb_id > after)
            .order_by(_movies.c.tmdb_id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        after = rows[-1].tmdb_id
        changed = [
            {"b_id": row.tmdb_id, "b_data": _converted(row.data)}
            for row in rows
            if not isinstance(row.data, dict) or row.data.get("version") != MOVIE_DATA_VERSION
        ]
        if changed:
            connection.execute(
                _movies.update()
                .where(_movies.c.tmdb_id == sa.bindparam("b_id"))
                .values(data=sa.bindparam("b_data", type_=sa.JSON)),
                changed,
            )


def _converted(data: Any) -> dict[str, Any]:
    return MovieData.model_validate(data if isinstance(data, dict) else {}).model_dump(mode="json")


def downgrade() -> None:
    pass
