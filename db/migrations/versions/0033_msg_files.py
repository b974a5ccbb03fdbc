"""message attachments: the one file a message may carry, stored as uploaded documents are

Revision ID: 0033_msg_files
Revises: 0028_reminders
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0033_msg_files"
down_revision = "0030_households"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "message_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(64), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(40), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_attachment")),
        sa.ForeignKeyConstraint(["message_id"], ["message.id"],
                                name=op.f("fk_message_attachment_message_id_message")),
        sa.UniqueConstraint("message_id", name=op.f("uq_message_attachment_message_id")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_message_attachment_stored_name")),
    )


def downgrade() -> None:
    op.drop_table("message_attachment")
