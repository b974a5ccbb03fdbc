"""the booking queue's requests compressed with lz4 on PostgreSQL (issue #17): a prepared
submission's payload is some 32 KB of JSON (every text its cells may need); pglz, the
default, spent about 0.2 ms of the server's time a request between the page's insert and the
applier's read, on a 2-core machine where the applier competes with the pages for a core.
A server built without lz4 keeps pglz.

Revision ID: 0041_payload_lz4
Revises: 0040_closed_pending
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0041_payload_lz4"
down_revision = "0040_closed_pending"
branch_labels = None
depends_on = None

_HAS_LZ4 = ("SELECT 'lz4' = ANY (enumvals) FROM pg_settings "
            "WHERE name = 'default_toast_compression'")


def _compress(method: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql" or not bind.execute(sa.text(_HAS_LZ4)).scalar():
        return
    # Values already stored keep their compression; new ones take the column's.
    op.execute(f"ALTER TABLE booking_request ALTER COLUMN payload SET COMPRESSION {method}")


def upgrade() -> None:
    _compress("lz4")


def downgrade() -> None:
    _compress("pglz")
