"""tv entries

Letterboxd lists some TV (miniseries, specials); TMDB keeps series apart from movies, with ids
of their own (movie 1399 and series 1399 are unrelated). `tmdb_movies` is keyed by
(`tmdb_id`, `kind`), `kind` being `movie` or `tv`; what names a TMDB entry says which kind
(`session_films.tmdb_kind`, `watchlist_entries.tmdb_kind`, `tmdb_matches.tmdb_kind`). Every
existing row is a movie's. Downgrade refuses while a series is stored (its id would be read as
a movie's).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REFERENCES = ("session_films", "watchlist_entries", "tmdb_matches")


def _kind(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.String(8), server_default="movie", nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("tmdb_movies") as batch:
        batch.add_column(_kind("kind"))
        batch.drop_constraint("pk_tmdb_movies", type_="primary")
        batch.create_primary_key("pk_tmdb_movies", ["tmdb_id", "kind"])
    for table in _REFERENCES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(_kind("tmdb_kind"))


def downgrade() -> None:
    connection = op.get_bind()
    series = connection.execute(
        sa.text("SELECT count(*) FROM tmdb_movies WHERE kind <> 'movie'")
    ).scalar_one()
    if series:
        raise RuntimeError(
            f"{series} TV series are stored: an older version would read their ids as movies'"
        )
    for table in _REFERENCES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("tmdb_kind")
    with op.batch_alter_table("tmdb_movies") as batch:
        batch.drop_constraint("pk_tmdb_movies", type_="primary")
        batch.create_primary_key("pk_tmdb_movies", ["tmdb_id"])
        batch.drop_column("kind")
