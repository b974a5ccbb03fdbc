"""Promotion from the waiting list, with its charges and mails, inside the caller's transaction."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from db.models import Reservation
from db.states import ReservationState as R
from services.billing.charges import create_charges
from services.booking import capacity
from services.booking.notify import mail_promoted
from services.booking.rules import LOCAL


def promote_and_notify(session: Session, slot_ids: Iterable[int], now: datetime,
                       limit: int | None = None) -> list[Reservation]:
    """Give every free place of these (locked) slots to the heads of their queues
    (at most `limit` per slot)."""
    promoted = capacity.promote(session, slot_ids, now, limit)
    create_charges(session, [r for r in promoted if r.state == R.VALIDATED.value],
                   now.astimezone(LOCAL).date())
    mail_promoted(session, promoted)
    return promoted
