"""film collections

`tmdb_movies.collection_id`: the franchise a film belongs to (TMDB's `belongs_to_collection`,
kept in `data.collection` too), indexed for completion. Films fetched before have none until
their metadata is fetched again. Downgrade drops it.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 23:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tmdb_movies") as batch:
        batch.add_column(sa.Column("collection_id", sa.Integer(), nullable=True))
        batch.create_index(op.f("ix_tmdb_movies_collection_id"), ["collection_id"])


def downgrade() -> None:
    with op.batch_alter_table("tmdb_movies") as batch:
        batch.drop_index(op.f("ix_tmdb_movies_collection_id"))
        batch.drop_column("collection_id")
