"""money in one read: a charge keeps what was paid on it and its activity

Revision ID: 0010_paid
Revises: 0009_meal
"""
from __future__ import annotations

from alembic import op

revision = "0010_paid"
down_revision = "0009_meal"
branch_labels = None
depends_on = None

OLD = ["day", "registration_id", "family_id", "due_on", "amount_cents", "cancelled_at"]
BY_DAY = ["day", "activity_id", "due_on", "amount_cents", "paid_cents", "cancelled_at",
          "registration_id"]
BY_FAMILY = ["family_id", "due_on", "day", "amount_cents", "paid_cents", "cancelled_at",
             "registration_id"]


def upgrade() -> None:
    # Plain ADD COLUMN (see 0009_meal): no table rebuild on SQLite.
    op.execute("ALTER TABLE charge ADD COLUMN paid_cents INTEGER DEFAULT 0 NOT NULL "
               "CONSTRAINT ck_charge_paid CHECK (paid_cents >= 0 AND paid_cents <= amount_cents)")
    op.execute("ALTER TABLE charge ADD COLUMN activity_id INTEGER")
    op.execute("UPDATE charge SET paid_cents = (SELECT sum(a.amount_cents) "
               "FROM payment_allocation a WHERE a.charge_id = charge.id) "
               "WHERE id IN (SELECT charge_id FROM payment_allocation)")
    op.execute("UPDATE charge SET activity_id = (SELECT p.activity_id FROM registration r "
               "JOIN period p ON p.id = r.period_id WHERE r.id = charge.registration_id)")
    op.drop_index("ix_charge_day_amounts", table_name="charge")
    op.drop_index("ix_charge_family_id", table_name="charge")
    op.create_index("ix_charge_day_amounts", "charge", BY_DAY)
    op.create_index("ix_charge_family_amounts", "charge", BY_FAMILY)
    op.execute("ANALYZE charge")  # the planner's statistics for the new indexes


def downgrade() -> None:
    op.drop_index("ix_charge_family_amounts", table_name="charge")
    op.drop_index("ix_charge_day_amounts", table_name="charge")
    op.create_index("ix_charge_family_id", "charge", ["family_id"])
    op.create_index("ix_charge_day_amounts", "charge", OLD)
    op.execute("ALTER TABLE charge DROP COLUMN activity_id")
    op.execute("ALTER TABLE charge DROP COLUMN paid_cents")
