"""packed movie tags

`tmdb_movies.tags` and `tmdb_movies.labels`: what a film counts in (genres, countries,
languages, studios, keywords, top-billed actors, directors, writers…) and how each is shown,
packed as text (`stats.tags.pack`), written with the film. The statistics read them (and the
typed columns) instead of decoding `data`. Existing rows get them from their `data` (a
`MovieData` document since 0006). Downgrade drops the columns.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from letterboxd_stats.stats.tags import film_labels, pack
from letterboxd_stats.tmdb.schemas import MovieData

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500

_movies = sa.table(
    "tmdb_movies",
    sa.column("tmdb_id", sa.Integer),
    sa.column("data", sa.JSON),
    sa.column("tags", sa.Text),
    sa.column("labels", sa.Text),
)


def upgrade() -> None:
    with op.batch_alter_table("tmdb_movies") as batch:
        batch.add_column(sa.Column("tags", sa.Text(), server_default="", nullable=False))
        batch.add_column(sa.Column("labels", sa.Text(), server_default="", nullable=False))
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
        values = []
        for row in rows:
            packed = pack(film_labels(MovieData.model_validate(row.data or {})))
            values.append({"b_id": row.tmdb_id, "b_tags": packed.tags, "b_labels": packed.labels})
        connection.execute(
            _movies.update()
            .where(_movies.c.tmdb_id == sa.bindparam("b_id"))
            .values(tags=sa.bindparam("b_tags"), labels=sa.bindparam("b_labels")),
            values,
        )


def downgrade() -> None:
    with op.batch_alter_table("tmdb_movies") as batch:
        batch.drop_column("labels")
        batch.drop_column("tags")
