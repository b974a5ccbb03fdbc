"""Many rows in one round trip, with a statement compiled once.

`insert(model).values(rows)` builds a new multi-row VALUES for every call, and compiling it
cost some 6 ms of Python per statement under the slots' locks (three of them per
cancellation with promotions: a third of the lock hold, bench/bench_cancellations.py).
Executing the plain `insert(table)` with the list of rows instead lets SQLAlchemy compile it
once, cache it, and send the rows batched into multi-row VALUES ("insertmanyvalues", on
psycopg and SQLite alike), RETURNING included.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Row, insert
from sqlalchemy.orm import Session


def insert_rows(session: Session, model: type, rows: list[dict[str, Any]],
                returning: tuple[Any, ...] = ()) -> list[Row[Any]]:
    """Insert the rows (each with the same keys); what `returning` names of each row
    written (in no particular order)."""
    if not rows:
        return []
    statement = insert(model.__table__)  # type: ignore[attr-defined]
    connection = session.connection()
    if returning:
        return list(connection.execute(statement.returning(*returning), rows).all())
    connection.execute(statement, rows)
    return []
