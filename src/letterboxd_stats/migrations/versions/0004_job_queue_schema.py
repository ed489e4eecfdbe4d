"""the job queue's schema (procrastinate), on PostgreSQL

The SQL is procrastinate's own `schema.sql` for the pinned version (uv.lock); a procrastinate
upgrade that changes its schema comes with a migration here that applies its migration files.
SQLite has no queue (the in-process runner): nothing to do there.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 22:30:00
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy.util import await_

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DROP = """
DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers,
    procrastinate_jobs, procrastinate_workers CASCADE;
DO $$
DECLARE f record;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
             WHERE p.proname LIKE 'procrastinate\\_%' LOOP
        EXECUTE 'DROP FUNCTION IF EXISTS ' || f.signature || ' CASCADE';
    END LOOP;
END $$;
DROP TYPE IF EXISTS procrastinate_job_status, procrastinate_job_event_type,
    procrastinate_job_to_defer_v1 CASCADE;
"""


def _run_script(sql: str) -> None:
    """Several statements at once, through asyncpg's simple query protocol."""
    driver_connection = op.get_bind().connection.driver_connection
    assert driver_connection is not None
    await_(driver_connection.execute(sql))


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # imported here: SQLite has no queue, and procrastinate takes ~0.3 s to import
        from procrastinate.schema import SchemaManager

        _run_script(SchemaManager.get_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _run_script(_DROP)
