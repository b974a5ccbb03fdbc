"""the centre's logo (organisation.logo, logo_type), shown at the top of every HTML mail

Revision ID: 0032_logo
Revises: 0028_reminders
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0032_logo"
down_revision = "0029_guardians"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD/DROP COLUMN (see 0016_throttle): no table rebuild, which the foreign keys to
    # organisation would refuse on SQLite.
    op.add_column("organisation", sa.Column("logo", sa.LargeBinary(), nullable=True))
    op.add_column("organisation", sa.Column("logo_type", sa.String(20), nullable=False,
                                            server_default=""))


def downgrade() -> None:
    op.drop_column("organisation", "logo_type")
    op.drop_column("organisation", "logo")
