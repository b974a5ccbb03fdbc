"""meals: the part of a unit's price (and of each charge) that pays for food

Revision ID: 0009_meal
Revises: 0008_surge
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_meal"
down_revision = "0008_surge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meal_cents", sa.Integer(), server_default="0",
                                      nullable=False))
        batch_op.create_check_constraint(op.f("ck_unit_meal"), "meal_cents >= 0")
    with op.batch_alter_table("charge", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meal_cents", sa.Integer(), server_default="0",
                                      nullable=False))
        batch_op.create_check_constraint(op.f("ck_charge_meal"),
                                         "meal_cents >= 0 AND meal_cents <= amount_cents")


def downgrade() -> None:
    with op.batch_alter_table("charge", schema=None) as batch_op:
        batch_op.drop_constraint("ck_charge_meal", type_="check")
        batch_op.drop_column("meal_cents")
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.drop_constraint("ck_unit_meal", type_="check")
        batch_op.drop_column("meal_cents")
