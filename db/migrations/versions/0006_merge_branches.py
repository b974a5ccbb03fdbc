"""Join the money (0004) and dashboards (0005) branches into one line of history.

Revision ID: 0006_merge
Revises: 0004_money, 0005_dash
"""
from __future__ import annotations

revision = "0006_merge"
down_revision = ("0004_money", "0005_dash")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
