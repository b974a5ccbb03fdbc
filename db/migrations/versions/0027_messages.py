"""the message box: threads between a family and its centre, and their messages

Revision ID: 0027_messages
Revises: 0017_due_rule
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.base import UtcDateTime

revision = "0027_messages"
down_revision = "0026_cancel"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "message_thread",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("family_id", sa.Integer(), sa.ForeignKey("family.id"), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("state", sa.String(20), nullable=False, server_default="open"),
        sa.Column("from_family", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("last_message_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("family_read_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("staff_read_at", UtcDateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_message_thread_family_id", "message_thread", ["family_id"])
    op.create_index("ix_message_thread_last", "message_thread", ["last_message_at"])
    op.create_table(
        "message",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("thread_id", sa.Integer(), sa.ForeignKey("message_thread.id"),
                  nullable=False),
        sa.Column("author_user_id", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(200), nullable=False, server_default=""),
        sa.Column("from_family", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_message_thread_id", "message", ["thread_id"])


def downgrade() -> None:
    op.drop_table("message")
    op.drop_table("message_thread")
