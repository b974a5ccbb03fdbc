"""Removing capacity slots safely: a slot that any reservation points to is never removed."""
from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from db.models import CapacitySlot, Reservation
from db.states import ACTIVE_RESERVATION


def active_count(session: Session, slot_ids: list[int]) -> int:
    """Live reservations (held places and waiting requests) on these slots."""
    if not slot_ids:
        return 0
    return int(session.scalar(select(func.count(Reservation.id)).where(
        Reservation.slot_id.in_(slot_ids),
        Reservation.state.in_([s.value for s in ACTIVE_RESERVATION]))) or 0)


def drop_slots(session: Session, slot_ids: list[int]) -> int:
    """Delete slots nobody ever booked; close (0 places) those with past, dead bookings,
    which history still points to. Returns how many slots were closed either way."""
    if not slot_ids:
        return 0
    used = set(session.scalars(select(Reservation.slot_id).where(
        Reservation.slot_id.in_(slot_ids))))
    free = [s for s in slot_ids if s not in used]
    if free:
        session.execute(delete(CapacitySlot).where(CapacitySlot.id.in_(free)))
    if used:
        session.query(CapacitySlot).filter(CapacitySlot.id.in_(used)).update(
            {CapacitySlot.places: 0}, synchronize_session=False)
    return len(slot_ids)


def french_days(days: list[date], limit: int = 5) -> str:
    shown = ", ".join(f"{d:%d/%m/%Y}" for d in sorted(days)[:limit])
    return shown + ("…" if len(days) > limit else "")
