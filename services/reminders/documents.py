"""A required document expires soon: the family is asked for a new one before it lapses."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Document, DocumentType, Family
from services.booking.rules import LOCAL
from services.documents.files import ACCEPTED, EXPIRES_SOON_DAYS, PENDING
from services.reminders import DOCUMENT
from services.reminders.opening import Due
from services.reminders.words import day_words


def due_documents(session: Session, now: datetime) -> list[Due]:
    """One reminder per family and required document type whose latest accepted copy ends
    within EXPIRES_SOON_DAYS (as the dashboard counts), unless a new copy waits for review.
    Once the date has passed it is no longer owed: the dashboard says « expirée » instead."""
    today = now.astimezone(LOCAL).date()
    latest = func.max(Document.valid_until)
    rows = session.execute(
        select(Document.family_id, Document.type_id, DocumentType.name, latest)
        .join(DocumentType, DocumentType.id == Document.type_id)
        .join(Family, Family.id == Document.family_id)
        .where(Document.status == ACCEPTED, DocumentType.active.is_(True),
               DocumentType.required.is_(True), Family.closure_requested_at.is_(None))
        .group_by(Document.family_id, Document.type_id, DocumentType.name)
        .having(latest >= today, latest < today + timedelta(days=EXPIRES_SOON_DAYS))
        .order_by(Document.family_id, DocumentType.name)).all()
    waiting = set(session.execute(select(Document.family_id, Document.type_id)
                                  .where(Document.status == PENDING)).tuples())
    # The end date is part of the key: a new copy accepted later is reminded in its turn.
    return [Due(family_id, DOCUMENT, f"document:{type_id}:{until:%Y-%m-%d}",
                f"- {name} : valable jusqu'au {day_words(until)}")
            for family_id, type_id, name, until in rows if (family_id, type_id) not in waiting]
