"""stored files' names, written before each file and by the transaction that removes a row
naming one (services/documents/storage.py): the background worker removes a file no row
names some minutes on, so an upload or an anonymisation stopped halfway leaves no family's
file on disk.

Revision ID: 0044_file_discard
Revises: 0043_request_family
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.base

revision = "0044_file_discard"
down_revision = "0043_request_family"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "file_discard",
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("requested_at", db.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("stored_name", name=op.f("pk_file_discard")),
    )


def downgrade() -> None:
    op.drop_table("file_discard")
