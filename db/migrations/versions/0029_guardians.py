"""each guardian's mails: a preference (all / mine / none) and the payer flag; each mail
says what kind it is, which guardian it went to and whose action caused it

Revision ID: 0029_guardians
Revises: 0028_reminders
"""
from __future__ import annotations

from alembic import op

revision = "0029_guardians"
down_revision = "0028_reminders"
branch_labels = None
depends_on = None

# Plain ALTER TABLE ... ADD COLUMN on both engines: SQLite adds a NOT NULL column with a
# default in place, with no rebuild of a table other tables point to.
_GUARDIAN = [("mail_preference", "VARCHAR(10) NOT NULL DEFAULT 'all'"),
             ("is_payer", "BOOLEAN NOT NULL DEFAULT false")]
_MAIL = [("kind", "VARCHAR(20) NOT NULL DEFAULT 'info'"),
         ("guardian_id", "INTEGER"),
         ("caused_by", "INTEGER")]


def upgrade() -> None:
    for table, columns in (("guardian", _GUARDIAN), ("mail", _MAIL)):
        for name, ddl in columns:
            op.execute(f"ALTER TABLE {table} ADD COLUMN {name} {ddl}")
    # The first guardian of each family (by id) pays until staff say otherwise.
    op.execute("UPDATE guardian SET is_payer = true WHERE id IN "
               "(SELECT min(id) FROM guardian GROUP BY family_id)")


def downgrade() -> None:
    for table, columns in (("mail", _MAIL), ("guardian", _GUARDIAN)):
        for name, _ in columns:
            op.execute(f"ALTER TABLE {table} DROP COLUMN {name}")
