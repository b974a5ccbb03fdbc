"""records: a desk payment reversed by a counter-entry; the audit log names its family

Revision ID: 0020_records
Revises: 0016_throttle
"""
from __future__ import annotations

from alembic import op

revision = "0020_records"
down_revision = "0016_throttle"
branch_labels = None
depends_on = None

# The audit entries whose family can be found from their entity.
_FAMILY_OF = {
    "family": "audit_entry.entity_id",
    "child": "(SELECT c.family_id FROM child c WHERE c.id = audit_entry.entity_id)",
    "registration": "(SELECT c.family_id FROM registration r JOIN child c ON c.id = r.child_id "
                    "WHERE r.id = audit_entry.entity_id)",
    "payment": "(SELECT p.family_id FROM payment p WHERE p.id = audit_entry.entity_id)",
    "guardian": "(SELECT g.family_id FROM guardian g WHERE g.id = audit_entry.entity_id)",
    "reservation": "(SELECT c.family_id FROM reservation r JOIN child c ON c.id = r.child_id "
                   "WHERE r.id = audit_entry.entity_id)",
}


def _loosen_sqlite(table: str, old: str, new: str) -> None:
    """Change a CHECK on SQLite without rebuilding a table other tables point to: the
    procedure SQLite's documentation gives for loosening a constraint (section "Making
    other kinds of table schema changes" of ALTER TABLE), valid since no row is affected."""
    conn = op.get_bind()
    version = conn.exec_driver_sql("PRAGMA schema_version").scalar()
    conn.exec_driver_sql("PRAGMA writable_schema=ON")
    conn.exec_driver_sql("UPDATE sqlite_master SET sql = replace(sql, ?, ?) "
                         "WHERE type = 'table' AND name = ?", (old, new, table))
    conn.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    conn.exec_driver_sql("PRAGMA writable_schema=OFF")


def _set_amount_checks(rule: str, old_rule: str) -> None:
    for table in ("payment", "payment_allocation"):
        if op.get_bind().dialect.name == "sqlite":
            _loosen_sqlite(table, f"CHECK (amount_cents {old_rule})",
                           f"CHECK (amount_cents {rule})")
        else:
            op.drop_constraint(op.f(f"ck_{table}_amount"), table, type_="check")
            op.create_check_constraint(op.f(f"ck_{table}_amount"), table,
                                       f"amount_cents {rule}")


def upgrade() -> None:
    # A reversal is a payment of the opposite amount, and its allocations are negative.
    _set_amount_checks("<> 0", "> 0")
    # No foreign key (written by the service that writes both rows): a plain column that
    # SQLite adds and drops without rebuilding a table other tables point to.
    op.execute("ALTER TABLE payment ADD COLUMN reverses_id INTEGER")
    op.create_index("ix_payment_reverses_id", "payment", ["reverses_id"], unique=True)
    # Plain ADD COLUMN: no rebuild of a table that may hold a year of entries.
    op.execute("ALTER TABLE audit_entry ADD COLUMN family_id INTEGER")
    for entity, family in _FAMILY_OF.items():
        op.execute(f"UPDATE audit_entry SET family_id = {family} WHERE entity = '{entity}'")
    op.create_index("ix_audit_family_at", "audit_entry", ["family_id", "at"])
    op.create_index("ix_audit_user_at", "audit_entry", ["user_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_user_at", "audit_entry")
    op.drop_index("ix_audit_family_at", "audit_entry")
    op.execute("ALTER TABLE audit_entry DROP COLUMN family_id")
    op.execute("DELETE FROM payment_allocation WHERE amount_cents < 0")
    op.execute("DELETE FROM payment WHERE amount_cents < 0")
    op.drop_index("ix_payment_reverses_id", "payment")
    op.execute("ALTER TABLE payment DROP COLUMN reverses_id")
    _set_amount_checks("> 0", "<> 0")
