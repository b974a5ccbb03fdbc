"""each queued booking request names its family (services/booking/queue.py records it, as its
audit entry already did): the applier locks the families of a batch before any slot and
refuses the bookings of a family that asked to close its account in the meantime
(services/booking/applier.py). Requests recorded before this have none: they are applied as
before.

Revision ID: 0043_request_family
Revises: 0042_submit_generic
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0043_request_family"
down_revision = "0042_submit_generic"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("booking_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("family_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_booking_request_family_id_family", "family",
                                    ["family_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("booking_request", schema=None) as batch_op:
        batch_op.drop_constraint("fk_booking_request_family_id_family", type_="foreignkey")
        batch_op.drop_column("family_id")
