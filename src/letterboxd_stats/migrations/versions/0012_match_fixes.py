"""match fixes

`match_fixes`: each library's fix of a Letterboxd film (by its film key), so that when
`MATCH_FIX_QUORUM` libraries agree on one TMDB entry new libraries get it without a search
(method `community`). A library's fixes go with it (ON DELETE CASCADE). Downgrade drops the
table.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "match_fixes",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("film_key", sa.String(600), nullable=False),
        sa.Column("tmdb_id", sa.Integer(), nullable=False),
        sa.Column("tmdb_kind", sa.String(8), server_default="movie", nullable=False),
        sa.Column("fixed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["upload_sessions.id"],
            name=op.f("fk_match_fixes_session_id_upload_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "film_key", name=op.f("pk_match_fixes")),
    )
    op.create_index("ix_match_fixes_film_key", "match_fixes", ["film_key", "tmdb_kind", "tmdb_id"])


def downgrade() -> None:
    op.drop_index("ix_match_fixes_film_key", table_name="match_fixes")
    op.drop_table("match_fixes")
