"""match details and progress counters

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 17:38:57.931717
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("session_films", schema=None) as batch_op:
        batch_op.add_column(sa.Column("match_confidence", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("match_method", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("match_reason", sa.Text(), nullable=True))
        batch_op.create_index(
            "ix_session_films_session_status", ["session_id", "match_status"], unique=False
        )

    with op.batch_alter_table("tmdb_matches", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("method", sa.String(length=32), nullable=False, server_default="search")
        )
        batch_op.add_column(
            sa.Column(
                "status",
                sa.Enum(
                    "pending",
                    "matched",
                    "needs_review",
                    "unmatched",
                    "failed",
                    name="matchstatus",
                    native_enum=False,
                    length=16,
                ),
                nullable=False,
                server_default="matched",
            )
        )
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))

    with op.batch_alter_table("upload_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("trace_id", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("needs_review_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("unmatched_count", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("upload_sessions", schema=None) as batch_op:
        batch_op.drop_column("unmatched_count")
        batch_op.drop_column("needs_review_count")
        batch_op.drop_column("trace_id")

    with op.batch_alter_table("tmdb_matches", schema=None) as batch_op:
        batch_op.drop_column("reason")
        batch_op.drop_column("status")
        batch_op.drop_column("method")

    with op.batch_alter_table("session_films", schema=None) as batch_op:
        batch_op.drop_index("ix_session_films_session_status")
        batch_op.drop_column("match_reason")
        batch_op.drop_column("match_method")
        batch_op.drop_column("match_confidence")
