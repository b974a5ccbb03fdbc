"""the centre's own words: web site, legal notice, rules, welcome, booking memo, canteen notice, news

Revision ID: 0011_organisation_profile
Revises: 0010_paid
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.base import UtcDateTime

revision = "0011_organisation_profile"
down_revision = "0010_paid"
branch_labels = None
depends_on = None

TEXTS = ["legal_notice", "welcome_message", "booking_memo", "canteen_notice"]
STRINGS = [("city", 100), ("postal_code", 10), ("website", 300), ("rules_url", 300),
           ("canteen_url", 300)]


def upgrade() -> None:
    for name in TEXTS:
        op.add_column("organisation", sa.Column(name, sa.Text(), nullable=False, server_default=""))
    for name, size in STRINGS:
        op.add_column("organisation",
                      sa.Column(name, sa.String(size), nullable=False, server_default=""))
    op.add_column("organisation", sa.Column("rules_pdf", sa.LargeBinary(), nullable=True))
    op.create_table(
        "news_item",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisation.id"),
                  nullable=False, index=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False, server_default=""),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("news_item")
    # Plain DROP COLUMN (see 0009_meal): no table rebuild, which foreign keys would refuse.
    for name in ["rules_pdf", *[n for n, _ in STRINGS], *TEXTS]:
        op.execute(f"ALTER TABLE organisation DROP COLUMN {name}")
