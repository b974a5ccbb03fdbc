"""data rights (RGPD): a family's request to close its account, and its anonymisation

Revision ID: 0024_rights
Revises: 0017_due_rule
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.base import UtcDateTime

revision = "0024_rights"
down_revision = "0023_documents"
branch_labels = None
depends_on = None

_COLUMNS = ("closure_requested_at", "closure_requested_by", "anonymised_at")


def upgrade() -> None:
    op.add_column("family", sa.Column("closure_requested_at", UtcDateTime(timezone=True), nullable=True))
    op.add_column("family", sa.Column("closure_requested_by", sa.Integer(), nullable=True))
    op.add_column("family", sa.Column("anonymised_at", UtcDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (see 0009_meal): no table rebuild, which foreign keys would refuse.
    for column in _COLUMNS:
        op.execute(f"ALTER TABLE family DROP COLUMN {column}")
