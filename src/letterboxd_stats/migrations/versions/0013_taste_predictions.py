"""taste predictions

`taste_predictions`: the taste model's result for one version of a library (its accuracy and a
predicted rating per watchlist entry), computed in the background. A library's go with it (ON
DELETE CASCADE). Downgrade drops the table.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 21:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "taste_predictions",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.DateTime(timezone=True), nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rated", sa.Integer(), nullable=False),
        sa.Column("accuracy", sa.JSON(), nullable=True),
        sa.Column("predictions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["upload_sessions.id"],
            name=op.f("fk_taste_predictions_session_id_upload_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_taste_predictions")),
    )


def downgrade() -> None:
    op.drop_table("taste_predictions")
