"""Invoice and credit-note numbers: ONE unbroken sequence per organisation.

French invoicing rules want numbers in a continuous chronological sequence, with no gap and
no duplicate. A database SEQUENCE would leave gaps (a rolled-back transaction burns its value),
so the next number comes from a counter row, read and bumped in the very transaction that
issues the document: locked FOR UPDATE on PostgreSQL (a second issuer waits until the first
commits or rolls back, then reads the new value), under the writer lock on SQLite (every write
transaction begins IMMEDIATE, see db/engine.py). A rollback takes its number back with it.

Invoices (F) and credit notes (A) share the one sequence: F2026-000041, A2026-000042, ...; the
year is the year of issue, for the reader; the counter never starts again.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.models import InvoiceCounter

INVOICE, CREDIT_NOTE = "F", "A"


def _locked(session: Session, organisation_id: int) -> InvoiceCounter | None:
    return session.scalars(select(InvoiceCounter)
                           .where(InvoiceCounter.organisation_id == organisation_id)
                           .with_for_update()
                           .execution_options(populate_existing=True)).first()


def allocate(session: Session, organisation_id: int, prefix: str, on: date) -> tuple[int, str]:
    """The organisation's next number (sequence, printed number), taken in `session`'s
    transaction: the counter stays locked until it commits or rolls back."""
    counter = _locked(session, organisation_id)
    if counter is None:
        # The centre's first document. Two first issuers at once: ON CONFLICT DO NOTHING
        # makes the second wait for the first's row instead of failing on the primary key.
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        session.execute(insert(InvoiceCounter).values(organisation_id=organisation_id,
                                                      last_number=0).on_conflict_do_nothing())
        counter = _locked(session, organisation_id)
        assert counter is not None
    counter.last_number += 1
    session.flush()
    return counter.last_number, f"{prefix}{on.year}-{counter.last_number:06d}"
