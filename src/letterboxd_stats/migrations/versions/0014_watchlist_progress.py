"""watchlist progress

`upload_sessions.watchlist_enriched`: the watchlist entries in a final state, moved by the
enrichment job in the same transaction as the entries it counts (the watchlist's own progress
phase, after the library's). Libraries enriched before are counted from their entries.
Downgrade drops the column.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 23:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("upload_sessions") as batch:
        batch.add_column(
            sa.Column("watchlist_enriched", sa.Integer(), server_default="0", nullable=False)
        )
    op.execute(
        "UPDATE upload_sessions SET watchlist_enriched = ("
        " SELECT count(*) FROM watchlist_entries w"
        " WHERE w.session_id = upload_sessions.id AND w.match_status <> 'pending')"
    )


def downgrade() -> None:
    with op.batch_alter_table("upload_sessions") as batch:
        batch.drop_column("watchlist_enriched")
