"""dashboards speed: the money dashboard reads charges from one covering index

Revision ID: 0007_dash_speed
Revises: 0006_merge
"""
from __future__ import annotations

from alembic import op

revision = "0007_dash_speed"
down_revision = "0006_merge"
branch_labels = None
depends_on = None

COLUMNS = ["day", "registration_id", "family_id", "due_on", "amount_cents", "cancelled_at"]


def upgrade() -> None:
    with op.batch_alter_table("charge", schema=None) as batch_op:
        batch_op.drop_index("ix_charge_day")
        batch_op.create_index("ix_charge_day_amounts", COLUMNS, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("charge", schema=None) as batch_op:
        batch_op.drop_index("ix_charge_day_amounts")
        batch_op.create_index("ix_charge_day", ["day"], unique=False)
