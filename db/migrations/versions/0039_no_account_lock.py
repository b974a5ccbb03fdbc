"""user_account loses failed_attempts and locked_until: never used since sign-in throttling
moved to its own table (0016_throttle, services/auth/throttle.py), they only misled readers

Revision ID: 0039_no_account_lock
Revises: 0038_cancel_fn
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.base

revision = "0039_no_account_lock"
down_revision = "0038_cancel_fn"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # In place on both engines (SQLite 3.35+): a batch copy of user_account would have to
    # drop a table that others reference.
    op.execute("ALTER TABLE user_account DROP COLUMN failed_attempts")
    op.execute("ALTER TABLE user_account DROP COLUMN locked_until")


def downgrade() -> None:
    op.add_column("user_account", sa.Column("failed_attempts", sa.Integer(), nullable=False,
                                            server_default="0"))
    op.add_column("user_account", sa.Column("locked_until", db.base.UtcDateTime(timezone=True),
                                            nullable=True))
