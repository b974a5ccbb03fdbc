"""households: a child may belong to a second household (child_household); a registration
belongs to the household that asked (registration.family_id), one open per household

Revision ID: 0030_households
Revises: 0028_reminders
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.base import UtcDateTime

revision = "0030_households"
down_revision = "0034_submit_fn"
branch_labels = None
depends_on = None

_OPEN = sa.text("state IN ('requested', 'validated')")
_PLAIN = "family_id INTEGER REFERENCES family (id)"
_STRICT = "family_id INTEGER NOT NULL REFERENCES family (id)"


def _sqlite_schema(old: str, new: str) -> None:
    """Edit registration's column text on SQLite without rebuilding the table (reservation
    and charge point to it): the documented writable_schema procedure, valid because every
    row already satisfies the new text (see 0020_records)."""
    conn = op.get_bind()
    version = conn.exec_driver_sql("PRAGMA schema_version").scalar()
    conn.exec_driver_sql("PRAGMA writable_schema=ON")
    conn.exec_driver_sql("UPDATE sqlite_master SET sql = replace(sql, ?, ?) "
                         "WHERE type = 'table' AND name = 'registration'", (old, new))
    conn.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    conn.exec_driver_sql("PRAGMA writable_schema=OFF")


def upgrade() -> None:
    op.create_table(
        "child_household",
        sa.Column("child_id", sa.Integer(), sa.ForeignKey("child.id"), primary_key=True),
        sa.Column("family_id", sa.Integer(), sa.ForeignKey("family.id"), primary_key=True),
        sa.Column("linked_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("linked_by", sa.Integer(), nullable=True),
    )
    op.create_index("ix_child_household_family_id", "child_household", ["family_id"])
    sqlite = op.get_bind().dialect.name == "sqlite"
    # Plain ADD COLUMN: SQLite refuses NOT NULL with a foreign key there, so the column is
    # filled from the child's (first) household and made NOT NULL afterwards.
    op.execute(f"ALTER TABLE registration ADD COLUMN {_PLAIN}")
    op.execute("UPDATE registration SET family_id = "
               "(SELECT c.family_id FROM child c WHERE c.id = registration.child_id)")
    if sqlite:
        _sqlite_schema(_PLAIN, _STRICT)
    else:
        op.alter_column("registration", "family_id", nullable=False)
    op.create_index("ix_registration_family_id", "registration", ["family_id"])
    op.drop_index("uq_registration_open", table_name="registration",
                  sqlite_where=_OPEN, postgresql_where=_OPEN)
    op.create_index("uq_registration_open", "registration",
                    ["child_id", "period_id", "family_id"], unique=True,
                    sqlite_where=_OPEN, postgresql_where=_OPEN)


def downgrade() -> None:
    op.drop_index("uq_registration_open", table_name="registration",
                  sqlite_where=_OPEN, postgresql_where=_OPEN)
    op.create_index("uq_registration_open", "registration", ["child_id", "period_id"],
                    unique=True, sqlite_where=_OPEN, postgresql_where=_OPEN)
    op.drop_index("ix_registration_family_id", table_name="registration")
    if op.get_bind().dialect.name == "sqlite":
        # DROP COLUMN refuses a column with a foreign key: take the clause off first.
        _sqlite_schema(_STRICT, "family_id INTEGER")
        op.execute("ALTER TABLE registration DROP COLUMN family_id")
    else:
        op.drop_column("registration", "family_id")
    op.drop_index("ix_child_household_family_id", table_name="child_household")
    op.drop_table("child_household")
