"""metadata refresh

`tmdb_movies.refresh_claimed_until`: a process refreshing a film's metadata holds the film until
then (`enrich.refresh`), so that two processes never fetch it at once; after a failed refresh
the film is left until then. The films and watchlist entries of every library get an index on
`tmdb_id`: a refreshed film moves the `updated_at` of the sessions that use it (their cached
statistics), found through it. Downgrade drops the column and the indexes.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tmdb_movies") as batch:
        batch.add_column(sa.Column("refresh_claimed_until", sa.DateTime(timezone=True)))
    with op.batch_alter_table("session_films") as batch:
        batch.create_index("ix_session_films_tmdb_id", ["tmdb_id"], unique=False)
    with op.batch_alter_table("watchlist_entries") as batch:
        batch.create_index("ix_watchlist_entries_tmdb_id", ["tmdb_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("watchlist_entries") as batch:
        batch.drop_index("ix_watchlist_entries_tmdb_id")
    with op.batch_alter_table("session_films") as batch:
        batch.drop_index("ix_session_films_tmdb_id")
    with op.batch_alter_table("tmdb_movies") as batch:
        batch.drop_column("refresh_claimed_until")
