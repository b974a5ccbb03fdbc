"""the waiting list of a slot in queue order, as an index: a cancellation promotes the
heads of every freed slot's queue by reading only those heads (issue #17)

Revision ID: 0026_cancel
Revises: 0017_due_rule
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026_cancel"
down_revision = "0022_health"
branch_labels = None
depends_on = None

_WAITING = sa.text("state = 'waitlisted'")


def upgrade() -> None:
    op.create_index("ix_reservation_queue", "reservation", ["slot_id", "queue_rank", "id"],
                    sqlite_where=_WAITING, postgresql_where=_WAITING)


def downgrade() -> None:
    op.drop_index("ix_reservation_queue", table_name="reservation")
