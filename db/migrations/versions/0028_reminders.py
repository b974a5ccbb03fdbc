"""reminders before it is too late: each sent once (reminder_sent), switchable per family
(reminder_preference)

Revision ID: 0028_reminders
Revises: 0017_due_rule
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.base import UtcDateTime

revision = "0028_reminders"
down_revision = "0027_messages"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminder_sent",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("family_id", sa.Integer(), sa.ForeignKey("family.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("family_id", "kind", "key", name="uq_reminder_once"),
    )
    op.create_index("ix_reminder_sent_family_id", "reminder_sent", ["family_id"])
    op.create_table(
        "reminder_preference",
        sa.Column("family_id", sa.Integer(), sa.ForeignKey("family.id"), primary_key=True),
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("reminder_preference")
    op.drop_index("ix_reminder_sent_family_id", table_name="reminder_sent")
    op.drop_table("reminder_sent")
