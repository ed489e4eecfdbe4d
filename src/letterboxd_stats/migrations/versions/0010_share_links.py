"""share links and expiry from activity

`upload_sessions.share_id`: the library's read-only share link (a second random UUIDv4, unique;
null without one). `upload_sessions.last_active_at` replaces `expires_at`: a library expires
SESSION_TTL_DAYS after its last activity, whatever the setting is when the cleanup runs (0:
never), instead of at a date fixed on upload. An existing library's last activity is its upload
(so that under the default of 30 days it expires when it did). Downgrade puts `expires_at` back
at 30 days after the last activity, and drops the share links.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 22:00:00
"""

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

from letterboxd_stats.models import UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_TTL = timedelta(days=30)


def upgrade() -> None:
    with op.batch_alter_table("upload_sessions") as batch:
        batch.add_column(sa.Column("last_active_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("share_id", sa.Uuid()))
    sessions = sa.table("upload_sessions", sa.column("created_at"), sa.column("last_active_at"))
    op.execute(sessions.update().values(last_active_at=sessions.c.created_at))
    with op.batch_alter_table("upload_sessions") as batch:
        batch.alter_column(
            "last_active_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )
        batch.drop_index("ix_upload_sessions_expires_at")
        batch.drop_column("expires_at")
        batch.create_index("ix_upload_sessions_last_active_at", ["last_active_at"], unique=False)
        batch.create_unique_constraint("uq_upload_sessions_share_id", ["share_id"])


def downgrade() -> None:
    with op.batch_alter_table("upload_sessions") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True)))
    connection = op.get_bind()
    sessions = sa.table(
        "upload_sessions",
        sa.column("id", sa.Uuid()),
        sa.column("last_active_at", UTCDateTime()),
        sa.column("expires_at", UTCDateTime()),
    )
    rows = connection.execute(sa.select(sessions.c.id, sessions.c.last_active_at)).all()
    for session_id, last_active_at in rows:  # the dialects add intervals differently
        connection.execute(
            sessions.update()
            .where(sessions.c.id == session_id)
            .values(expires_at=last_active_at + DEFAULT_TTL)
        )
    with op.batch_alter_table("upload_sessions") as batch:
        batch.alter_column("expires_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.drop_constraint("uq_upload_sessions_share_id", type_="unique")
        batch.drop_index("ix_upload_sessions_last_active_at")
        batch.drop_column("share_id")
        batch.drop_column("last_active_at")
        batch.create_index("ix_upload_sessions_expires_at", ["expires_at"], unique=False)
