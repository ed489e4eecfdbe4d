"""completion

Completion of collections and filmographies: the global caches `tmdb_collections` (a
collection's films) and `tmdb_people` (a person's films, directed and acted), a library's
hidden collections and people (`completion_ignores`, ON DELETE CASCADE), and the completion
phase's counters (`upload_sessions.extras_total`, `extras_done`). Downgrade drops them.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 23:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tmdb_collections",
        sa.Column("collection_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("poster_path", sa.Text(), nullable=True),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("collection_id", name=op.f("pk_tmdb_collections")),
    )
    op.create_table(
        "tmdb_people",
        sa.Column("person_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("directed", sa.JSON(), nullable=False),
        sa.Column("acted", sa.JSON(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_tmdb_people")),
    )
    op.create_table(
        "completion_ignores",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("ref_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["upload_sessions.id"],
            name=op.f("fk_completion_ignores_session_id_upload_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "kind", "ref_id", name=op.f("pk_completion_ignores")),
    )
    with op.batch_alter_table("upload_sessions") as batch:
        batch.add_column(
            sa.Column("extras_total", sa.Integer(), server_default="0", nullable=False)
        )
        batch.add_column(sa.Column("extras_done", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("upload_sessions") as batch:
        batch.drop_column("extras_done")
        batch.drop_column("extras_total")
    op.drop_table("completion_ignores")
    op.drop_table("tmdb_people")
    op.drop_table("tmdb_collections")
