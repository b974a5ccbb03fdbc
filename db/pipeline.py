"""One statement and the COMMIT in one network write (PostgreSQL, psycopg's pipeline mode):
a transaction holding hot locks ends without waiting for a round trip in between, nor for
the GIL between two of them (shared/docs/concurrency.md, "Where the lock time goes")."""
from __future__ import annotations

from typing import Any

import psycopg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session


def send_and_commit(session: Session, sql: str, params: dict[str, Any],
                    commit: bool = True) -> list[tuple[Any, ...]]:
    """Run `sql` (psycopg's %(name)s parameters) in the session's transaction, and commit
    with it unless `commit` is False (inside the booking queue's batch and its savepoint).
    The session's own commit then finds nothing left to do. Its rows, if it returns any."""
    session.flush()
    connection = session.connection()
    raw = connection.connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    try:
        if not commit:
            cursor = raw.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
        with raw.pipeline():
            cursor = raw.cursor()
            cursor.execute(sql, params)
            raw.commit()
        return cursor.fetchall() if cursor.description else []
    except psycopg.Error as exc:
        # Wrapped as SQLAlchemy would: with_retry knows a deadlock or a lost connection by it.
        lost = connection.dialect.is_disconnect(exc, raw, None)
        if lost:
            connection.invalidate(exc)
        raise DBAPIError.instance(sql, params, exc, psycopg.Error, connection_invalidated=lost,
                                  dialect=connection.dialect) from exc
