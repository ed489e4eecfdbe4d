"""import history

`import_history`: one row per import of a session's export (the first upload, then each update
with a newer export): when, the export's date, the counts, the change summary (JSON).
`upload_sessions.carried_count`: the films whose result an update carried over, so that the
progress of an update counts its own work. Downgrade drops both.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 22:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_history",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("import_no", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("export_date", sa.Date(), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["upload_sessions.id"],
            name=op.f("fk_import_history_session_id_upload_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "import_no", name=op.f("pk_import_history")),
    )
    with op.batch_alter_table("upload_sessions") as batch:
        batch.add_column(
            sa.Column("carried_count", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("upload_sessions") as batch:
        batch.drop_column("carried_count")
    op.drop_table("import_history")
