"""the health sheet (fiche sanitaire), authorised pick-up persons and the centre's consents

Revision ID: 0022_health
Revises: 0017_due_rule
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.base import UtcDateTime

revision = "0022_health"
down_revision = "0024_rights"
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = [sa.Column(name, sa.Text(), nullable=False) for name in (
        "food_allergies", "food_action", "medicine_allergies", "medicine_action",
        "other_allergies", "other_action")]
    op.create_table(
        "health_sheet",
        sa.Column("child_id", sa.Integer(), sa.ForeignKey("child.id"), nullable=False),
        *text,
        sa.Column("pai", sa.Boolean(), nullable=False),
        sa.Column("treatment", sa.Text(), nullable=False),
        sa.Column("diet", sa.String(20), nullable=False),
        sa.Column("diet_other", sa.String(200), nullable=False),
        sa.Column("doctor_name", sa.String(200), nullable=False),
        sa.Column("doctor_phone", sa.String(40), nullable=False),
        sa.Column("dtp_dates", sa.String(300), nullable=False),
        sa.Column("dtp_last_booster", sa.Date(), nullable=True),
        sa.Column("other_info", sa.Text(), nullable=False),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("child_id", name="pk_health_sheet"),
    )
    op.create_table(
        "pickup_person",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("family_id", sa.Integer(), sa.ForeignKey("family.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("relationship", sa.String(50), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("may_pick_up", sa.Boolean(), nullable=False),
        sa.Column("emergency", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_pickup_person_family_id", "pickup_person", ["family_id"])
    op.create_table(
        "consent_kind",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisation.id"),
                  nullable=False),
        sa.Column("label", sa.String(300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_consent_kind_organisation_id", "consent_kind", ["organisation_id"])
    op.create_table(
        "consent_answer",
        sa.Column("child_id", sa.Integer(), sa.ForeignKey("child.id"), nullable=False),
        sa.Column("consent_id", sa.Integer(), sa.ForeignKey("consent_kind.id"), nullable=False),
        sa.Column("answer", sa.Boolean(), nullable=False),
        sa.Column("answered_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("answered_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("child_id", "consent_id", name="pk_consent_answer"),
    )


def downgrade() -> None:
    op.drop_table("consent_answer")
    op.drop_index("ix_consent_kind_organisation_id", table_name="consent_kind")
    op.drop_table("consent_kind")
    op.drop_index("ix_pickup_person_family_id", table_name="pickup_person")
    op.drop_table("pickup_person")
    op.drop_table("health_sheet")
