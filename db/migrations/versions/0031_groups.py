"""siblings booked together (« ensemble ou pas du tout », issue #13): the reservations of one
cell of a grouped submission share a group id; promotion reads a waiting group's members
by it

Revision ID: 0031_groups
Revises: 0028_reminders
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0031_groups"
down_revision = "0032_logo"
branch_labels = None
depends_on = None

_WAITING_GROUP = sa.text("state = 'waitlisted' AND group_id IS NOT NULL")


def upgrade() -> None:
    op.add_column("reservation", sa.Column("group_id", sa.BigInteger(), nullable=True))
    op.create_index("ix_reservation_group", "reservation", ["group_id"],
                    sqlite_where=_WAITING_GROUP, postgresql_where=_WAITING_GROUP)


def downgrade() -> None:
    op.drop_index("ix_reservation_group", table_name="reservation")
    # SQLite drops a plain column in place (3.35+) once its index is gone; a batch copy of
    # the table would trip the foreign keys that point at reservation.
    op.drop_column("reservation", "group_id")
