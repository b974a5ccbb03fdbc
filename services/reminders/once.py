"""Each reminder once: a row in reminder_sent, inserted in the mail's own transaction."""
from __future__ import annotations

from datetime import date

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from db.models import ReminderSent


def claim(session: Session, family_id: int, kind: str, key: str, today: date) -> bool:
    """True if this transaction is the one sending (family, kind, key). Two workers
    racing both insert; the unique constraint lets one win (on PostgreSQL the other waits
    for it to commit, then inserts nothing; on SQLite writers are serialised by BEGIN
    IMMEDIATE). If the mail's transaction rolls back, the claim goes with it."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" \
        else sqlite.insert
    statement = (insert(ReminderSent)
                 .values(family_id=family_id, kind=kind, key=key, sent_on=today)
                 .on_conflict_do_nothing(index_elements=["family_id", "kind", "key"])
                 .returning(ReminderSent.id))
    return session.execute(statement).first() is not None
