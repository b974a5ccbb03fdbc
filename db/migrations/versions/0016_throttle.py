"""sign-in throttling and volume limits kept in the database; idle timeout of sessions;
single-use links kept apart from the mail body until delivery

Revision ID: 0016_throttle
Revises: 0011_organisation_profile
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.base import UtcDateTime

revision = "0016_throttle"
down_revision = "0011_organisation_profile"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "throttle",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("first_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("last_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", UtcDateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_throttle_last_at", "throttle", ["last_at"])
    op.add_column("session_token",
                  sa.Column("last_seen_at", UtcDateTime(timezone=True), nullable=True))
    # Plain columns (no foreign key): SQLite would rebuild the table to add one.
    op.add_column("mail", sa.Column("link", sa.Text(), nullable=True))
    op.add_column("mail", sa.Column("link_user_id", sa.Integer(), nullable=True))
    op.add_column("mail", sa.Column("link_purpose", sa.String(20), nullable=True))


def downgrade() -> None:
    for name in ("link_purpose", "link_user_id", "link"):
        op.drop_column("mail", name)
    op.drop_column("session_token", "last_seen_at")
    op.drop_index("ix_throttle_last_at", table_name="throttle")
    op.drop_table("throttle")
