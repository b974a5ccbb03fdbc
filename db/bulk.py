"""Many rows in one INSERT (a multi-row VALUES), in chunks that stay under SQLite's limit
of bound parameters per statement; a cancellation's or a promotion's rows fit in one."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Row, insert
from sqlalchemy.orm import Session

ROWS_PER_STATEMENT = 1000  # at most 12 columns here: 12,000 parameters, under 32,766


def insert_rows(session: Session, model: type, rows: list[dict[str, Any]],
                returning: tuple[Any, ...] = ()) -> list[Row[Any]]:
    """Insert the rows in order, one statement per ROWS_PER_STATEMENT; what `returning`
    names of each row written (in no particular order)."""
    out: list[Row[Any]] = []
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        statement = insert(model).values(rows[start:start + ROWS_PER_STATEMENT])
        if returning:
            out.extend(session.execute(statement.returning(*returning)).all())
        else:
            session.execute(statement)
    return out
