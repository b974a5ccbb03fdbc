"""the booking queue of the opening rush: booking_request, one row per submission in
arrival order (issue #17, services/booking/applier.py)

Revision ID: 0035_booking_queue
Revises: 0034_submit_fn
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.base import UtcDateTime

revision = "0035_booking_queue"
down_revision = "0033_msg_files"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "booking_request",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("arrived_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("waiter", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("applied_at", UtcDateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_booking_request_state_id", "booking_request", ["state", "id"])


def downgrade() -> None:
    op.drop_index("ix_booking_request_state_id", table_name="booking_request")
    op.drop_table("booking_request")
