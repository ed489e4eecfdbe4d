"""watch providers

Where to stream a film (TMDB's `watch/providers`, JustWatch's data): `watch_offers`, one row per
film (kind, id) and region, a global cache like `tmdb_movies`, whose `providers_fetched_at`
says when they were fetched; a library's region and services (`upload_sessions.watch_region`,
`watch_services`). Downgrade drops them.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 23:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "watch_offers",
        sa.Column("tmdb_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(8), server_default="movie", nullable=False),
        sa.Column("region", sa.String(length=2), nullable=False),
        sa.Column("link", sa.Text(), nullable=True),
        sa.Column("offers", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("tmdb_id", "kind", "region", name=op.f("pk_watch_offers")),
    )
    with op.batch_alter_table("tmdb_movies") as batch:
        batch.add_column(
            sa.Column("providers_fetched_at", sa.DateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("upload_sessions") as batch:
        batch.add_column(sa.Column("watch_region", sa.String(length=2), nullable=True))
        batch.add_column(
            sa.Column("watch_services", sa.JSON(), server_default="[]", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("upload_sessions") as batch:
        batch.drop_column("watch_services")
        batch.drop_column("watch_region")
    with op.batch_alter_table("tmdb_movies") as batch:
        batch.drop_column("providers_fetched_at")
    op.drop_table("watch_offers")
