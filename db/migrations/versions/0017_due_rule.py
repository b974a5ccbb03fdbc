"""the centre's payment rule per period: due at the latest N days before the period starts
(when that is later than validation + PAYMENT_DAYS)

Revision ID: 0017_due_rule
Revises: 0020_records
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_due_rule"
down_revision = "0020_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("period", sa.Column("pay_days_before_start", sa.Integer(), nullable=False,
                                      server_default="7"))


def downgrade() -> None:
    # Plain DROP COLUMN (see 0009_meal): no table rebuild, which foreign keys would refuse.
    op.execute("ALTER TABLE period DROP COLUMN pay_days_before_start")
