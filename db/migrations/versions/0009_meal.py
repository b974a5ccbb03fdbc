"""meals: the part of a unit's price (and of each charge) that pays for food

Revision ID: 0009_meal
Revises: 0008_surge
"""
from __future__ import annotations

from alembic import op

revision = "0009_meal"
down_revision = "0008_surge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on both engines, the CHECK belonging to the column: SQLite's batch mode
    # would rebuild tables that others point at, which fails on a database holding data.
    op.execute("ALTER TABLE unit ADD COLUMN meal_cents INTEGER DEFAULT 0 NOT NULL "
               "CONSTRAINT ck_unit_meal CHECK (meal_cents >= 0)")
    op.execute("ALTER TABLE charge ADD COLUMN meal_cents INTEGER DEFAULT 0 NOT NULL "
               "CONSTRAINT ck_charge_meal CHECK (meal_cents >= 0 AND meal_cents <= amount_cents)")


def downgrade() -> None:
    op.execute("ALTER TABLE charge DROP COLUMN meal_cents")
    op.execute("ALTER TABLE unit DROP COLUMN meal_cents")
