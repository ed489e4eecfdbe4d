"""bounded match keys

A match key longer than 255 characters is now stored as its first 190 characters, `#` and the
sha256 of the whole key (`tmdb.matching.bounded_key`, copied here as it is today): existing rows
with a longer key get their new key, so that they stay cache hits. The column keeps its type.
Downgrade keeps the new keys (an older version just misses them and matches those films again).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 11:00:00
"""

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MAX_KEY_CHARS = 255
PREFIX_CHARS = MAX_KEY_CHARS - 65

_matches = sa.table("tmdb_matches", sa.column("match_key", sa.String(600)))


def _bounded(key: str) -> str:
    return f"{key[:PREFIX_CHARS]}#{hashlib.sha256(key.encode()).hexdigest()}"


def upgrade() -> None:
    connection = op.get_bind()
    long_keys = connection.execute(
        sa.select(_matches.c.match_key).where(sa.func.length(_matches.c.match_key) > MAX_KEY_CHARS)
    ).scalars()
    for key in list(long_keys):
        connection.execute(
            _matches.update().where(_matches.c.match_key == key).values(match_key=_bounded(key))
        )


def downgrade() -> None:
    pass
